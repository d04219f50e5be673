import CityDomain
import Fluent
import Vapor

/// The triage queue: hotline reports the classifier was unsure of, for operators of operations centres to
/// categorise by hand (each correction is kept as a training example) or dismiss.
struct TriageController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let triage = routes.grouped("triage")
        triage.get(use: list)
        // Beside, not under, /triage: one segment under it is a report id (POST /triage/:id).
        routes.get("triage-counts", use: counts)
        triage.post("bulk", use: bulk)
        triage.post(":reportID", use: decide)
        triage.post(":reportID", "forward", use: forward)
    }

    struct ListQuery: Content {
        var limit: Int?
        var offset: Int?
        /// Keyset paging: the page starts right after this report (queue order); not with `offset`.
        var after: Int?
        /// A suggested category code, or `none`; absent: all.
        var category: String?
    }

    /// The answer of `GET /api/v1/triage-counts`.
    struct CountsResponse: Content {
        struct CategoryCount: Content {
            /// Null: triage suggested no category.
            var categoryCode: String?
            var count: Int

            enum CodingKeys: String, CodingKey {
                case count
                case categoryCode = "category_code"
            }
        }

        var total: Int
        var categories: [CategoryCount]
    }

    typealias ListResponse = Page<HotlineReportDTO>

    /// `GET /api/v1/triage` — queued reports in the caller's region subtree, oldest first
    /// (``TriageQueries/queue(scope:reference:on:limit:offset:)``). 403 for caseworkers and grid workers (triage
    /// is the operations centres' job), 400 for a limit or offset out of range.
    ///
    /// With `after` (a report id) the page starts right after that report in queue order (keyset: stable while
    /// others decide, as cheap deep as shallow); `next_cursor` is then the id to pass as `after` for the next page.
    /// `category` narrows to one suggested category (`none`: reports triage suggested none for); `total` counts
    /// the filtered queue. 400 for `after` with `offset`, an `after` that names no report, a `category` over 100
    /// characters, or an offset with a category.
    @Sendable func list(req: Request) async throws -> ListResponse {
        let scope = try req.triager()
        let params = try req.decodeQuery(ListQuery.self)
        let window = try PageWindow(limit: params.limit, offset: params.offset)
        if let category = params.category, category.count > 100 {
            throw LocalizedRefusal(.badRequest, "triage.category_too_long", ["n": "\(category.count)"])
        }
        let filter = TriageQueries.CategoryFilter(parameter: params.category)
        let total = try await TriageQueries.count(scope: scope, reference: req.reference, filter: filter, on: req.db)
        let rows: [Report]
        if let after = params.after {
            guard params.offset == nil else { throw LocalizedRefusal(.badRequest, "paging.after_and_offset") }
            guard
                let anchor = try await TriageQueries.anchorKey(
                    after, scope: scope, reference: req.reference, on: req.db)
            else {
                throw LocalizedRefusal(.badRequest, "paging.after_unknown", ["id": "\(after)"])
            }
            rows = try await TriageQueries.page(
                scope: scope, reference: req.reference, filter: filter, anchor: .after(anchor),
                limit: window.limit, on: req.db)
        } else if filter == .all {
            rows = try await TriageQueries.queue(
                scope: scope, reference: req.reference, on: req.db, limit: window.limit, offset: window.offset)
        } else {
            guard window.offset == 0 else {
                throw LocalizedRefusal(.badRequest, "paging.category_by_after")
            }
            rows = try await TriageQueries.page(
                scope: scope, reference: req.reference, filter: filter, limit: window.limit, on: req.db)
        }
        let next = rows.count == window.limit ? rows.last?.id.map(String.init) : nil
        return ListResponse(items: rows.map(HotlineReportDTO.init), total: total, window: window, nextCursor: next)
    }

    /// `GET /api/v1/triage-counts` — how many reports wait in the caller's scope, in all and per suggested
    /// category (most first). 403 for caseworkers and grid workers.
    @Sendable func counts(req: Request) async throws -> CountsResponse {
        let scope = try req.triager()
        let counts = try await TriageQueries.countsByCategory(scope: scope, reference: req.reference, on: req.db)
        return CountsResponse(
            total: counts.reduce(0) { $0 + $1.count },
            categories: counts.map { .init(categoryCode: $0.code, count: $0.count) })
    }

    /// `POST /api/v1/triage/:id/forward` — 转办 (``TriageForward``): the report's case goes to the unit named,
    /// with the reason in its audit trail. 400 for a missing or over-long reason, a missing or unknown unit, a unit
    /// that does not serve the report's region; 403 for a unit outside the caller's region; 404, 409 as deciding.
    @Sendable func forward(req: Request) async throws -> HotlineReportDTO {
        HotlineReportDTO(try await req.forwardTriage(try req.decodeBody(TriageForward.self)))
    }

    /// `POST /api/v1/triage/bulk` — one decision on up to 200 reports (``TriageBulk``), each in its own transaction;
    /// 200 with each report's result (decided, conflict, not_found, refused). 400 for none, more than 200, neither
    /// or both of dismissal and category.
    @Sendable func bulk(req: Request) async throws -> TriageBulk.Response {
        try await req.bulkTriage(try req.decodeBody(TriageBulk.self))
    }

    /// `POST /api/v1/triage/:id` — a ``TriageDecision``: with `category_code` opens and dispatches the case and
    /// stores the correction as a training example; with `dismiss: true` and a `note` closes the report without a
    /// case. 409 when the report is no longer queued, 404 outside scope, 400 for an unknown category or region.
    @Sendable func decide(req: Request) async throws -> HotlineReportDTO {
        HotlineReportDTO(try await req.decideTriage(try req.decodeBody(TriageDecision.self)))
    }
}
