import CityDomain
import Fluent
import Hotline
import Vapor

/// The 12345 hotline's intake for the 12345 system (API key in `X-API-Key`) and operators (bearer session):
/// `POST /api/v1/hotline/reports` stores a call and triages it; `GET /api/v1/hotline/reports/:id` reads it back.
struct HotlineController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let reports = routes.grouped("hotline", "reports")
        reports.on(.POST, body: .collect(maxSize: "64kb"), use: create)
        reports.get(":reportID", use: read)
    }

    /// `POST /api/v1/hotline/reports` — 201 with the stored report and its triage (a new case, a merge, or the
    /// triage queue), as far as the caller may see it (``HotlineReportDTO/visible(to:report:hierarchy:)``). 400 for
    /// bad input (nothing stored), 401 without a key or session.
    @Sendable func create(req: Request) async throws -> Response {
        let caller = try req.auth.require(HotlineCaller.self)
        let body = try req.decodeBody(HotlineReportBody.self)
        let call = try Self.validate(body, caller: caller, now: req.now, hierarchy: req.reference.hierarchy)
        let context = HotlineContext(req.application, now: req.now, logger: req.logger)
        let report = try await HotlineIntake.receive(call, context: context)
        req.application.metrics.reportReceived(source: .hotline)
        let answer = HotlineReportDTO(report).visible(to: caller, report: report, hierarchy: req.reference.hierarchy)
        let response = try await answer.encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/hotline/reports/\(report.id ?? 0)")
        return response
    }

    /// `GET /api/v1/hotline/reports/:id` — a key sees the reports it sent, an operator those in scope; 404 otherwise.
    @Sendable func read(req: Request) async throws -> HotlineReportDTO {
        let caller = try req.auth.require(HotlineCaller.self)
        guard let id = req.parameters.get("reportID", as: Int.self) else {
            throw LocalizedRefusal(.badRequest, "report.id_not_integer")
        }
        guard let report = try await Report.find(id, on: req.db), report.source == .hotline,
            caller.canSee(report, hierarchy: req.reference.hierarchy)
        else { throw LocalizedRefusal(.notFound, "triage.not_found", ["id": "\(id)"]) }
        return HotlineReportDTO(report).visible(to: caller, report: report, hierarchy: req.reference.hierarchy)
    }

    /// Checks a call: text 1…4,000 characters (markup kept as text), known channel, plausible time and contact.
    /// - Throws: 400 naming the field.
    static func validate(_ body: HotlineReportBody, caller: HotlineCaller, now: Date, hierarchy: RegionHierarchy)
        throws -> HotlineCall
    {
        try TextRules.validate(
            body.text, field: "text", maxLength: TextRules.maxDescriptionLength, allowEmpty: false, allowMarkup: true)
        guard let channel = HotlineChannel(rawValue: body.channel) else {
            let known = HotlineChannel.allCases.map(\.rawValue).joined(separator: ", ")
            throw Abort(.badRequest, reason: "unknown channel '\(body.channel)'; one of \(known)")
        }
        if let address = body.address {
            try TextRules.validate(address, field: "address", maxLength: 200, allowMarkup: true)
        }
        if let name = body.callerName { try TextRules.validate(name, field: "caller_name", maxLength: 50) }
        if let phone = body.callerPhone.nonBlank {
            let allowed = Set("0123456789+-() ")
            guard phone.count <= 32, phone.allSatisfy(allowed.contains), phone.filter(\.isNumber).count >= 3 else {
                throw Abort(
                    .badRequest,
                    reason: "caller_phone must be up to 32 characters: at least 3 digits, and spaces, +, -, ( or )")
            }
        }
        let receivedAt = body.receivedAt ?? now
        guard receivedAt <= now.addingTimeInterval(300) else {
            throw Abort(.badRequest, reason: "received_at is in the future (\(Timestamps.format(receivedAt)))")
        }
        guard receivedAt >= now.addingTimeInterval(-30 * 86400) else {
            throw Abort(.badRequest, reason: "received_at is more than 30 days ago (\(Timestamps.format(receivedAt)))")
        }
        return HotlineCall(
            text: body.text, address: body.address.nonBlank, callerName: body.callerName.nonBlank,
            callerPhone: body.callerPhone.nonBlank, channel: channel, receivedAt: receivedAt, actor: caller.actor,
            apiKeyID: caller.apiKeyID, fallbackRegion: caller.regionCode ?? hierarchy.root.code)
    }
}

/// Who sends hotline calls: the 12345 system with an API key, or an operator of an operations centre.
struct HotlineCaller: Authenticatable, Sendable {
    let actor: CaseActor
    let apiKeyID: UUID?
    /// The operator's scope; nil for an API key.
    let scope: OperatorScope?

    init(_ scope: OperatorScope) {
        actor = scope.actor
        apiKeyID = nil
        self.scope = scope
    }

    init(apiKeyID: UUID?, name: String) {
        actor = CaseActor(name: "12345:\(name)", unitCode: nil, role: nil)
        self.apiKeyID = apiKeyID
        scope = nil
    }

    /// The operator's region (a call they take in that names no place stays there); nil for the city.
    var regionCode: String? { scope?.regionCode }

    /// A key sees the reports it sent; an operator those in their region subtree and the calls they took in.
    func canSee(_ report: Report, hierarchy: RegionHierarchy) -> Bool {
        if let scope { return scope.covers(report, in: hierarchy) || report.takenBy == scope.username }
        return apiKeyID != nil && report.apiKeyID == apiKeyID
    }
}

extension OperatorScope {
    /// Whether a report's region (the city when it has none) is inside this operator's subtree.
    func covers(_ report: Report, in hierarchy: RegionHierarchy) -> Bool {
        hierarchy.isWithin(report.regionCode ?? hierarchy.root.code, ancestor: regionCode)
    }
}

/// Accepts `X-API-Key: <key>` or the bearer session of an operations-centre operator for the hotline routes: 401
/// with neither, 403 for caseworkers and grid workers (call-taking and triage are the centres' work).
struct HotlineCallerAuthenticator: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.auth.has(OperatorScope.self) {
            request.auth.login(HotlineCaller(try request.triager()))
        } else if let key = request.headers.first(name: "X-API-Key"), !key.isEmpty {
            guard let found = try await request.application.apiKeys.lookup(key, on: request.db, now: request.now) else {
                throw Abort(.unauthorized, reason: "invalid API key")
            }
            guard found.scopes.contains(.hotline) else {
                throw Abort(
                    .forbidden,
                    reason:
                        "API key '\(found.name)' is not a 12345 hotline key: the hotline takes a key created with --scope hotline"
                )
            }
            request.auth.login(HotlineCaller(apiKeyID: found.id, name: found.name))
        } else {
            throw SessionGuard.unauthorized(
                request,
                missing: "send X-API-Key: <key> (citynet apikey create) or an operator's Authorization: Bearer <token>")
        }
        return try await next.respond(to: request)
    }
}
