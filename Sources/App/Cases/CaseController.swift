import CityDomain
import Fluent
import Vapor

/// The operators' case API: list and filter within the caller's scope, read one case with its timeline, act on it.
struct CaseController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let cases = routes.grouped("cases")
        cases.get(use: list)
        cases.get(":caseID", use: detail)
        cases.get(":caseID", "events", use: events)
        cases.on(.POST, ":caseID", "actions", body: .collect(maxSize: CaseActionInput.bodyLimit), use: act)
        cases.get(":caseID", "photos", ":photoID", use: photo)
        cases.post(":caseID", "reports", ":reportID", "split", use: split)
    }

    /// Query parameters of `GET /api/v1/cases`.
    struct ListQuery: Content {
        var region: String?
        var unit: String?
        var state: String?
        var category: String?
        /// A grid worker's username, or `me` for the caller.
        var assignee: String?
        var overdue: Bool?
        var limit: Int?
        var offset: Int?
        /// A `next_cursor` from the previous page.
        var cursor: String?
    }

    typealias ListResponse = Page<CaseSummaryDTO>

    /// `GET /api/v1/cases` — open cases first, earliest running step limit first (so overdue and due-soon lead),
    /// then newest (``CaseQueries/list(_:scope:reference:on:now:limit:offset:after:)``). Pages by `offset`, or by
    /// keyset: each page but the last carries `next_cursor`, and `?cursor=` with it gives the next page at the cost
    /// of the first however deep. 400 for an unknown filter value, a limit or offset out of range, a cursor this
    /// server did not give, or a cursor with an offset; 403 for a region outside the caller's scope.
    @Sendable func list(req: Request) async throws -> ListResponse {
        let scope = try req.auth.require(OperatorScope.self)
        let params = try req.decodeQuery(ListQuery.self)
        let window = try PageWindow(limit: params.limit, offset: params.offset)
        let filter = CaseFilter(
            region: params.region, unit: params.unit,
            states: params.state.map { $0.split(separator: ",").map(String.init) },
            category: params.category, assignee: params.assignee, overdue: params.overdue == true)
        let reference = req.reference
        let now = req.now
        let cursor = try params.cursor.map(CaseCursor.init(token:))
        if cursor != nil, window.offset != 0 {
            throw LocalizedRefusal(.badRequest, "paging.cursor_and_offset")
        }
        let listing = try await CaseQueries.list(
            filter, scope: scope, reference: reference, on: req.db, now: now, limit: window.limit,
            offset: window.offset, after: cursor)
        return ListResponse(
            items: listing.cases.map { CaseSummaryDTO($0, reference: reference, now: now) }, total: listing.total,
            window: window, nextCursor: listing.next?.token)
    }

    /// `GET /api/v1/cases/:id` — 404 when outside the caller's scope, exactly as when it does not exist.
    @Sendable func detail(req: Request) async throws -> CaseDetailDTO {
        let scope = try req.auth.require(OperatorScope.self)
        return try await Self.detailDTO(try await req.visibleCase(scope: scope), scope: scope, req: req)
    }

    /// `GET /api/v1/cases/:id/events` — the append-only audit trail, oldest first.
    @Sendable func events(req: Request) async throws -> [CaseEventDTO] {
        let record = try await req.visibleCase(scope: try req.auth.require(OperatorScope.self))
        return try await CaseQueries.events(caseID: try record.requireID(), on: req.db)
    }

    /// `GET /api/v1/cases/:id/photos/:photoID` — a photo's bytes, with its content type
    /// (``Vapor/Request/casePhotoResponse(scope:)``).
    @Sendable func photo(req: Request) async throws -> Response {
        try await req.casePhotoResponse(scope: try req.auth.require(OperatorScope.self))
    }

    /// `POST /api/v1/cases/:id/actions` — JSON (``CaseActionInput/ActionBody``) or a multipart form with photos
    /// (``CaseActionInput/ActionForm``). 409 for an action the state does not allow, 403 for one the role does not
    /// allow, 400 for a missing note, unit or assignee or a bad photo, 413 for a body over 20 MiB, 404 outside scope.
    @Sendable func act(req: Request) async throws -> CaseDetailDTO {
        let scope = try req.auth.require(OperatorScope.self)
        let record = try await req.visibleCase(scope: scope)  // before reading a large body: 404 first
        let command = try CaseActionInput.command(from: req)
        let action = command.action
        let updated = try await CaseActions.perform(
            command, on: record, by: scope.actor, reference: req.reference, on: req.db,
            gate: req.application.writeGate, now: req.now)
        req.logger.info(
            "case action",
            metadata: [
                "case_id": "\(updated.id ?? 0)", "action": "\(action.rawValue)",
                "actor": "\(scope.username)", "state": "\(updated.state.rawValue)",
            ])
        return try await Self.detailDTO(updated, scope: scope, req: req)
    }

    /// Body of `POST /api/v1/cases/:id/reports/:reportID/split`.
    struct SplitBody: Content {
        var note: String
        var categoryCode: String?

        enum CodingKeys: String, CodingKey {
            case note
            case categoryCode = "category_code"
        }
    }

    /// `POST /api/v1/cases/:id/reports/:reportID/split` — moves a wrongly merged report to a new case, dispatched
    /// anew; answers 201 with the new case. 403 for caseworkers and grid workers, 404 outside scope or for a report
    /// not in the case, 409 for the case's first or only report or a concurrent change, 400 without a note.
    @Sendable func split(req: Request) async throws -> Response {
        let scope = try req.auth.require(OperatorScope.self)  // splitReport checks the role, for API and console alike
        let body = try req.decodeBody(SplitBody.self)
        let created = try await req.splitReport(scope: scope, note: body.note, categoryCode: body.categoryCode)
        let dto = try await Self.detailDTO(created, scope: scope, req: req)
        return try await dto.encodeResponse(status: .created, for: req)
    }

    /// The API's view of `record` for the operator of `scope` (``CaseQueries/detail(of:scope:reference:on:)``).
    private static func detailDTO(_ record: Case, scope: OperatorScope, req: Request) async throws -> CaseDetailDTO {
        let detail = try await CaseQueries.detail(of: record, scope: scope, reference: req.reference, on: req.db)
        return CaseDetailDTO(detail, reference: req.reference, now: req.now)
    }
}
