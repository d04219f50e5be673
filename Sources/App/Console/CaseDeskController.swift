import CityDomain
import Fluent
import Vapor

/// The case desk: `GET /console/cases` (my queue: overdue and due-soon first, with filters), `GET /console/cases/:id`
/// (timeline, reports, location, time limits and exactly the actions the state and role allow) and
/// `POST /console/cases/:id/actions`. Scope as the API: another region's case is a 404.
struct CaseDeskController {
    struct Row: Encodable {
        var summary: CaseSummaryDTO
        var dueSoon: Bool
    }

    struct DeskPage: Encodable {
        var page: ConsolePage
        var rows: [Row]
        var total: Int
        var states: [[String: String]]
        var state: String?
        var overdue: Bool
        /// Whether the "assigned to me" filter is offered (grid workers) and set.
        var offerMine: Bool
        var mine: Bool
        var pageNumber: Int
        var pages: Int
        var previousURL: String?
        var nextURL: String?
    }

    /// Whether less than a quarter of the running step's span is left (not yet overdue, not suspended), counted in
    /// clock time from the step's start to its due instant: 7.5 minutes of a 30-minute dispatch, a day of a
    /// four-day span. A share rather than a fixed span, so that short and long limits are flagged alike.
    static func isDueSoon(_ record: Case, now: Date) -> Bool {
        guard let due = record.stepDueAt, due > now, record.suspendedSince == nil else { return false }
        return due.timeIntervalSince(now) < due.timeIntervalSince(record.stepStartedAt) / 4
    }

    /// Cases per desk page.
    static let pageSize = 100

    @Sendable func list(req: Request) async throws -> View {
        let user = try req.auth.require(ConsoleUser.self)
        let state = req.query[String.self, at: "state"].flatMap { $0.isEmpty ? nil : $0 }
        let overdue = req.query[String.self, at: "overdue"] == "1"
        // Only grid workers are assigned cases, so only their desk offers (and honours) "assigned to me".
        let mine = req.query[String.self, at: "mine"] == "1" && user.scope.role == .gridWorker
        let language = ConsoleText.language(req)
        var params = CaseController.ListQuery()
        params.assignee = mine ? "me" : nil
        params.state = state ?? CaseState.allCases.filter { $0 != .closed }.map(\.rawValue).joined(separator: ",")
        params.overdue = overdue
        let query = try CaseController.query(params, scope: user.scope, req: req)
        let total = try await query.copy().count()
        let pages = max(1, (total + Self.pageSize - 1) / Self.pageSize)
        let pageNumber = min(max(req.query[Int.self, at: "page"] ?? 1, 1), pages)
        let now = req.now
        let records = try await CaseController.inQueueOrder(query)
            .offset((pageNumber - 1) * Self.pageSize).limit(Self.pageSize).all()
        func link(_ page: Int) -> String {
            var components = URLComponents()
            components.path = "/console/cases"
            components.queryItems = [
                state.map { URLQueryItem(name: "state", value: $0) },
                overdue ? URLQueryItem(name: "overdue", value: "1") : nil,
                mine ? URLQueryItem(name: "mine", value: "1") : nil,
                URLQueryItem(name: "page", value: String(page)),
            ].compactMap { $0 }
            return components.string ?? "/console/cases"
        }
        let rows = records.map { record in
            Row(
                summary: CaseSummaryDTO(record, reference: req.reference, now: now, language: language),
                dueSoon: Self.isDueSoon(record, now: now))
        }
        let states = CaseState.allCases.map { ["code": $0.rawValue, "name": $0.name(in: language)] }
        return try await req.view.render(
            "console/desk",
            DeskPage(
                page: ConsolePage(req, title: "desk", active: "desk"), rows: rows, total: total,
                states: states, state: state, overdue: overdue,
                offerMine: user.scope.role == .gridWorker, mine: mine, pageNumber: pageNumber, pages: pages,
                previousURL: pageNumber > 1 ? link(pageNumber - 1) : nil,
                nextURL: pageNumber < pages ? link(pageNumber + 1) : nil))
    }

    struct ActionView: Encodable {
        var action: String
        var name: String
        var needsNote: Bool
        var needsUnit: Bool
        var needsDays: Bool
        var needsAssignee: Bool
        /// Whether the form offers photos (``CaseAction/takesPhotos``).
        var takesPhotos: Bool
    }

    struct EventView: Encodable {
        var at: String
        var action: String
        var actor: String
        var to: String
        var note: String
        /// Console URLs of the photos sent with the action.
        var photos: [String]
    }

    struct CasePage: Encodable {
        var page: ConsolePage
        var detail: CaseDetailDTO
        var stepName: String
        var locateName: String
        var actions: [ActionView]
        var events: [EventView]
        var regionPath: String
        var units: [[String: String]]
        /// Enabled grid workers of the unit holding the case, for `assign`.
        var gridWorkers: [String]
    }

    @Sendable func show(req: Request) async throws -> View {
        let user = try req.auth.require(ConsoleUser.self)
        let record = try await CaseController.visibleCase(req, scope: user.scope)
        let language = ConsoleText.language(req)
        let detail = try await CaseController.detailDTO(
            record, scope: user.scope, reference: req.reference, db: req.db, now: req.now, language: language)
        let actions = detail.allowedActions.compactMap(CaseAction.init(rawValue:)).map { action in
            ActionView(
                action: action.rawValue, name: ConsoleText.actionName(action.rawValue, language),
                needsNote: action.requiresNote, needsUnit: action == .dispatch || action == .reassign,
                needsDays: action == .requestExtension || action == .approveExtension,
                needsAssignee: action == .assign, takesPhotos: action.takesPhotos)
        }
        let events = detail.events.map { event in
            EventView(
                at: event.at.formatted(WhenTag.style), action: ConsoleText.actionName(event.action, language),
                actor: event.actor, to: CaseState.name(of: event.toState, in: language),
                note: event.note ?? "",
                photos: event.photos.map { "/console/cases/\(detail.summary.id)/photos/\($0.id)" })
        }
        let gridWorkers =
            actions.contains { $0.needsAssignee }
            ? try await Operator.query(on: req.db).filter(\.$unitCode == record.unitCode)
                .filter(\.$role == .gridWorker).filter(\.$disabled == false)
                .sort(\.$username).all().map(\.username)
            : []
        let hierarchy = req.reference.hierarchy
        let regionPath = hierarchy.ancestors(of: record.regionCode).reversed()
            .map { $0.name(in: language) }.joined(separator: " › ")
        // Units a dispatch or reassignment may name: those of the case's region, above it, or inside it
        // (dispatching down narrows a case the centre received).
        let regionChain = Set(
            hierarchy.ancestors(of: record.regionCode).map(\.code) + hierarchy.subtree(of: record.regionCode))
        let units = req.reference.units.values.filter { regionChain.contains($0.regionCode) }
            .sorted { $0.code < $1.code }.map { ["code": $0.code, "name": $0.name(in: language)] }
        return try await req.view.render(
            "console/case",
            CasePage(
                page: ConsolePage(req, title: "case", active: "desk"), detail: detail,
                stepName: ConsoleText.term(record.step?.rawValue, language),
                locateName: ConsoleText.term(record.locateMethod, language), actions: actions,
                events: events, regionPath: regionPath, units: units, gridWorkers: gridWorkers))
    }

    /// `GET /console/cases/:id/photos/:photoID` — a photo of a case the operator may see.
    @Sendable func photo(req: Request) async throws -> Response {
        try await CaseController.photoResponse(req, scope: try req.auth.require(ConsoleUser.self).scope)
    }

    @Sendable func act(req: Request) async throws -> Response {
        let user = try req.auth.require(ConsoleUser.self)
        let record = try await CaseController.visibleCase(req, scope: user.scope)
        let id = try record.requireID()
        let path = "/console/cases/\(id)"
        let command: CaseCommand
        do {
            command = try CaseActionInput.command(from: req)
            try await CaseActions.perform(
                command, on: record, by: user.scope.actor, reference: req.reference, on: req.db,
                gate: req.application.writeGate, now: req.now)
        } catch let error as any AbortError where error.status != .internalServerError {
            return req.consoleRedirect(path, error: error.reason)
        }
        let done = ConsoleText.actionName(command.action.rawValue, ConsoleText.language(req)) + " ✓"
        // A case handed on (returned, reassigned away) may leave the operator's view: back to the desk then.
        let stillVisible = user.scope.canSee(
            regionCode: record.regionCode, unitCode: record.unitCode, in: req.reference.hierarchy)
        return req.consoleRedirect(stillVisible ? path : "/console/cases", ok: "#\(id) " + done)
    }
}
