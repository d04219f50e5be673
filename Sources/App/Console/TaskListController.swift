import CityDomain
import Vapor

/// A grid worker's landing page (issue #12 §8): `GET /console` sends a grid worker to `GET /console/tasks`, "my
/// tasks" — the open cases assigned to them, most urgent first (the desk's queue order: the earliest running step
/// limit first, so overdue and due-soon cases lead), each a card with its countdown (epoch milliseconds in
/// `data-due`, which console.js counts down as in the attention strip) and large buttons: open the case, 开始处置
/// in one tap where the case may be started, resolve (which needs a note and photos) on the case page. Laid out for
/// a phone (console-roles.css). Every other role's `GET /console` is the city screen (``CityScreenController``).
struct TaskListController {
    struct Task: Encodable {
        var id: Int
        var category: String
        var description: String
        /// The address given, else the region's name.
        var place: String
        var stateName: String
        var stepName: String
        /// Epoch milliseconds of the running step's limit; nil when no limit runs or its clock is stopped (挂账).
        var dueMS: Int64?
        var dueText: String
        var overdue: Bool
        var dueSoon: Bool
        var supervised: Bool
        /// Whether 开始处置 is offered in one tap here, and whether 处置完成 is offered (on the case page).
        var canStart: Bool
        var canResolve: Bool
    }

    struct Page: Encodable {
        var page: ConsolePage
        var tasks: [Task]
        var total: Int
        /// "n more" when the list is cut at ``limit``.
        var more: String?
        var startName: String
        var resolveName: String
    }

    /// The most tasks the page lists (the rest are on the desk, `?mine=1`).
    static let limit = 50

    /// `GET /console`: a grid worker's landing is their tasks; everyone else's is the city screen.
    @Sendable func landing(req: Request) async throws -> Response {
        let user = try req.auth.require(ConsoleUser.self)
        if Self.landsOnTasks(user.scope) {
            return req.redirect(to: "/console/tasks", redirectType: .normal)
        }
        return try await CityScreenController().show(req: req).encodeResponse(for: req)
    }

    /// Whether `scope`'s operator lands on "my tasks" rather than the city screen: grid workers, the only role
    /// cases are assigned to (``CaseFilter/assignee``).
    static func landsOnTasks(_ scope: OperatorScope) -> Bool { scope.role == .gridWorker }

    /// `GET /console/tasks`: the open cases assigned to the operator (any role may look; only grid workers are
    /// ever assigned cases, so for others the list is empty).
    @Sendable func show(req: Request) async throws -> View {
        let user = try req.auth.require(ConsoleUser.self)
        let language = ConsoleText.language(req)
        let words = ConsoleText.table(language)
        let reference = req.reference
        let now = req.now
        let filter = CaseFilter(
            states: CaseState.allCases.filter(\.isOpen).map(\.rawValue), assignee: "me")
        let found = try await CaseQueries.page(
            filter, scope: user.scope, reference: reference, on: req.db, now: now, number: 1, size: Self.limit)
        let tasks = found.listing.cases.map { record in
            let allowed = CaseWorkflow.allowedActions(
                in: record.snapshot, role: user.scope.role,
                maxEscalationLevel: CaseActions.maxEscalationLevel(for: record, reference: reference))
            return Task(
                id: record.id ?? 0, category: reference.categoryName(record.categoryCode, in: language),
                description: record.description ?? "",
                place: record.address.flatMap { $0.isEmpty ? nil : $0 }
                    ?? reference.regionName(record.regionCode, in: language),
                stateName: record.state.name(in: language),
                stepName: ConsoleText.term(record.step?.rawValue, language),
                dueMS: record.suspendedSince == nil
                    ? record.stepDueAt.map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) } : nil,
                dueText: record.stepDueAt.map { $0.formatted(WhenTag.style) } ?? "—",
                overdue: CaseOverdue.isOverdue(record, now: now), dueSoon: CaseOverdue.isDueSoon(record, now: now),
                supervised: record.escalationLevel > 0, canStart: allowed.contains(.start),
                canResolve: allowed.contains(.resolve))
        }
        let total = found.listing.total
        return try await req.view.render(
            "console/tasks",
            Page(
                page: ConsolePage(req, title: "my_tasks", active: "tasks"), tasks: tasks, total: total,
                more: total > tasks.count
                    ? words["tasks_more", default: ""].replacingOccurrences(of: "{n}", with: "\(total - tasks.count)")
                    : nil,
                startName: ConsoleText.actionName(CaseAction.start.rawValue, language),
                resolveName: ConsoleText.actionName(CaseAction.resolve.rawValue, language)))
    }
}
