import Fluent
import Vapor

/// `GET /health` and `GET /metrics`.
struct HealthController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("health", use: health)
        routes.get("metrics", use: metrics)
        routes.get("openapi.json", use: openAPI)
    }

    /// The OpenAPI 3 document of the operators' API and the Open311 endpoints, bundled as `Resources/openapi.json`.
    @Sendable func openAPI(req: Request) async throws -> Response {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json", subdirectory: "Resources"),
            let data = FileManager.default.contents(atPath: url.path)
        else { throw Abort(.internalServerError, reason: "openapi.json missing from the build") }
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }

    struct HealthDTO: Content {
        var status: String
        var version: String
        var database: String
        var migrationsCurrent: Bool
        var pendingMigrations: [String]
        var calendarYears: String
        var calendarCoversToday: Bool
        var warnings: [String]

        enum CodingKeys: String, CodingKey {
            case status, version, database
            case migrationsCurrent = "migrations_current", pendingMigrations = "pending_migrations"
            case calendarYears = "calendar_years", calendarCoversToday = "calendar_covers_today", warnings
        }
    }

    /// Answers 200 when the database answers and migrations are current, else 503 with the same body.
    @Sendable func health(req: Request) async throws -> Response {
        let pending = try await req.application.migrator.previewPrepareBatch().get().map { "\($0.0.name)" }
        let calendar = req.reference.calendar
        let year = Calendar(identifier: .gregorian).dateComponents(in: Timestamps.shanghai, from: req.now).year ?? 0
        let inTwoMonths =
            Calendar(identifier: .gregorian)
            .dateComponents(in: Timestamps.shanghai, from: req.now.addingTimeInterval(60 * 86_400)).year ?? 0
        var warnings: [String] = []
        if inTwoMonths > calendar.lastYear {
            // Day limits running past the table cannot be computed (and are reported, not guessed) — load the next
            // table before that happens.
            warnings.append(
                "the holiday table ends with \(calendar.lastYear): set CITYNET_HOLIDAY_CSV to a table that includes \(calendar.lastYear + 1)"
            )
        }
        let body = HealthDTO(
            status: pending.isEmpty ? "ok" : "migrations pending", version: cityNetVersion,
            database: req.application.config.storage.kind, migrationsCurrent: pending.isEmpty,
            pendingMigrations: pending, calendarYears: "\(calendar.firstYear)–\(calendar.lastYear)",
            calendarCoversToday: (calendar.firstYear...calendar.lastYear).contains(year), warnings: warnings)
        let response = try await body.encodeResponse(for: req)
        response.status = pending.isEmpty ? .ok : .serviceUnavailable
        return response
    }

    /// Prometheus text exposition format 0.0.4.
    @Sendable func metrics(req: Request) async throws -> Response {
        let text = try await req.application.metrics.exposition(db: req.db)
        var headers = HTTPHeaders()
        headers.add(name: .contentType, value: "text/plain; version=0.0.4; charset=utf-8")
        return Response(status: .ok, headers: headers, body: .init(string: text))
    }
}
