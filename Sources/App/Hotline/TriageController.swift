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

    typealias ListResponse = Page<HotlineReportDTO>

    /// `GET /api/v1/triage` — queued reports in the caller's region subtree, oldest first
    /// (``TriageQueries/queue(scope:reference:on:limit:offset:)``). 403 for caseworkers and grid workers (triage
    /// is the operations centres' job), 400 for a limit or offset out of range.
    @Sendable func list(req: Request) async throws -> ListResponse {
        let scope = try req.triager()
        let params = try req.decodeQuery(ListQuery.self)
        let window = try PageWindow(limit: params.limit, offset: params.offset)
        let total = try await TriageQueries.count(scope: scope, reference: req.reference, on: req.db)
        let rows = try await TriageQueries.queue(
            scope: scope, reference: req.reference, on: req.db, limit: window.limit, offset: window.offset)
        return ListResponse(items: rows.map(HotlineReportDTO.init), total: total, window: window)
    }

    /// `POST /api/v1/triage/:id` — a ``TriageDecision``: with `category_code` opens and dispatches the case and
    /// stores the correction as a training example; with `dismiss: true` and a `note` closes the report without a
    /// case. 409 when the report is no longer queued, 404 outside scope, 400 for an unknown category or region.
    @Sendable func decide(req: Request) async throws -> HotlineReportDTO {
        HotlineReportDTO(try await req.decideTriage(try req.decodeBody(TriageDecision.self)))
    }
}
