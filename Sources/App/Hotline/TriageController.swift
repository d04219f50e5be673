import CityDomain
import Fluent
import Vapor

/// The triage queue: hotline reports the classifier was unsure of, for operators of operations centres to
/// categorise by hand (each correction is kept as a training example) or dismiss.
struct TriageController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let triage = routes.grouped("triage")
        triage.get(use: list)
        triage.post(":reportID", use: decide)
    }

    struct ListQuery: Content {
        var limit: Int?
        var offset: Int?
    }

    struct ListResponse: Content {
        var items: [HotlineReportDTO]
        var total: Int
        var limit: Int
        var offset: Int
    }

    /// `GET /api/v1/triage` — queued reports in the caller's region subtree, oldest first
    /// (``TriageQueries/queue(scope:reference:on:limit:offset:)``). 403 for caseworkers and grid workers (triage
    /// is the operations centres' job), 400 for a limit or offset out of range.
    @Sendable func list(req: Request) async throws -> ListResponse {
        let scope = try req.triager()
        let params = try req.decodeQuery(ListQuery.self)
        let limit = params.limit ?? 50
        let offset = params.offset ?? 0
        guard (1...500).contains(limit) else { throw Abort(.badRequest, reason: "limit must be 1…500, got \(limit)") }
        guard (0...1_000_000).contains(offset) else {
            throw Abort(.badRequest, reason: "offset must be 0…1000000, got \(offset)")
        }
        let total = try await TriageQueries.count(scope: scope, reference: req.reference, on: req.db)
        let rows = try await TriageQueries.queue(
            scope: scope, reference: req.reference, on: req.db, limit: limit, offset: offset)
        return ListResponse(items: rows.map(HotlineReportDTO.init), total: total, limit: limit, offset: offset)
    }

    /// `POST /api/v1/triage/:id` — a ``TriageDecision``: with `category_code` opens and dispatches the case and
    /// stores the correction as a training example; with `dismiss: true` and a `note` closes the report without a
    /// case. 409 when the report is no longer queued, 404 outside scope, 400 for an unknown category or region.
    @Sendable func decide(req: Request) async throws -> HotlineReportDTO {
        HotlineReportDTO(try await req.decideTriage(try req.decodeBody(TriageDecision.self)))
    }
}
