import CityDomain
import Vapor

/// The sensors a readings API key may send for (CityNet issue 11 §6): one unit's sensors, or every sensor located
/// in a region or below it. Stored in `api_keys.reading_area` as `unit:CODE` or `region:CODE`.
enum ReadingArea: Sendable, Equatable {
    case unit(String)
    case region(String)

    /// The stored form.
    var stored: String {
        switch self {
        case .unit(let code): "unit:\(code)"
        case .region(let code): "region:\(code)"
        }
    }

    /// The area a stored form names, or nil.
    init?(stored: String) {
        if stored.hasPrefix("unit:"), stored.count > 5 {
            self = .unit(String(stored.dropFirst(5)))
        } else if stored.hasPrefix("region:"), stored.count > 7 {
            self = .region(String(stored.dropFirst(7)))
        } else {
            return nil
        }
    }

    /// Whether the area holds the sensor (its responsible unit, or its region within the area's).
    func covers(_ sensor: Sensor, in hierarchy: RegionHierarchy) -> Bool {
        switch self {
        case .unit(let code): sensor.unitCode == code
        case .region(let code): hierarchy.isWithin(sensor.regionCode, ancestor: code)
        }
    }
}

/// A gateway signed in with a readings API key: it may send readings for the sensors of its area and nothing else.
struct ReadingGateway: Authenticatable, Sendable {
    let apiKeyID: UUID?
    let name: String
    let area: ReadingArea
}

/// Accepts the bearer session of an operator, or `X-API-Key: <key>` of a key with the `readings` scope, for the
/// reading routes: 401 with neither (or an unknown key), 403 for a key without that scope or without an area.
struct ReadingSenderAuthenticator: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if !request.auth.has(OperatorScope.self) {
            guard let key = request.headers.first(name: "X-API-Key"), !key.isEmpty else {
                throw SessionGuard.unauthorized(
                    request,
                    missing:
                        "send an operator's Authorization: Bearer <token> or a readings key's X-API-Key: <key> "
                        + "(citynet apikey create --scope readings)")
            }
            guard let found = try await request.application.apiKeys.lookup(key, on: request.db, now: request.now)
            else { throw Abort(.unauthorized, reason: "invalid API key") }
            guard found.scopes.contains(.readings), let area = found.readingArea else {
                throw Abort(
                    .forbidden,
                    reason:
                        "API key '\(found.name)' may not send readings: that takes a key created with --scope readings and --unit or --region"
                )
            }
            request.auth.login(ReadingGateway(apiKeyID: found.id, name: found.name, area: area))
        }
        return try await next.respond(to: request)
    }
}

/// On the operators' routes, an API key instead of a session is refused with 403 (a key only sends Open311
/// requests, 12345 calls or readings, each on its own routes); an unknown key is a 401 as a missing session is.
struct APIKeyElsewhereGuard: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if !request.auth.has(OperatorScope.self), request.headers.bearerAuthorization == nil,
            let key = request.headers.first(name: "X-API-Key"), !key.isEmpty,
            let found = try await request.application.apiKeys.lookup(key, on: request.db, now: request.now)
        {
            throw Abort(
                .forbidden,
                reason:
                    "API key '\(found.name)' cannot be used here: API keys send Open311 requests, 12345 calls or readings only"
            )
        }
        return try await next.respond(to: request)
    }
}
