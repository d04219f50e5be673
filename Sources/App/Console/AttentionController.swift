import CityDomain
import Vapor

/// `GET /console/attention` — the attention strip every operator page shows under its header (issue 12 §1), as an
/// HTML fragment: the counts of overdue, due-soon and supervised (督办) cases, the triage backlog and active alarms
/// of the operator's scope (overdue links to the desk filtered to overdue cases; due soon and supervised to the desk,
/// whose queue order puts them first; triage and alarms to their desks), and the most urgent cases, each a link to
/// its case with its step's due time (epoch milliseconds in `data-due` while the clock runs, which console.js counts
/// down in the browser).
/// console.js fetches it when a page opens and again after live events.
struct AttentionController {
    struct Item: Encodable {
        var id: Int
        var category: String
        var region: String
        var stepName: String
        /// Epoch milliseconds of the running step's limit; nil when no limit runs or its clock is stopped (挂账).
        var dueMS: Int64?
        var dueText: String
        var overdue: Bool
        /// ``CaseOverdue/isDueSoon(_:now:)``: a supervised case with time left is listed but not marked.
        var dueSoon: Bool
        var supervised: Bool
    }

    struct Fragment: Encodable {
        var t: [String: String]
        var overdue: Int
        var dueSoon: Int
        var supervised: Int
        /// Whether the triage backlog is shown (operations centres and administrators).
        var canTriage: Bool
        var triage: Int
        var alarms: Int
        var items: [Item]
    }

    @Sendable func show(req: Request) async throws -> View {
        let user = try req.auth.require(ConsoleUser.self)
        let language = ConsoleText.language(req)
        let now = req.now
        let attention = try await AttentionQueries.load(
            scope: user.scope, reference: req.reference, on: req.db, now: now)
        let items = attention.cases.map { record in
            Item(
                id: record.id ?? 0, category: req.reference.categoryName(record.categoryCode, in: language),
                region: req.reference.regionName(record.regionCode, in: language),
                stepName: ConsoleText.term(record.step?.rawValue, language),
                dueMS: record.suspendedSince == nil
                    ? record.stepDueAt.map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) } : nil,
                dueText: record.stepDueAt.map { $0.formatted(WhenTag.style) } ?? "—",
                overdue: CaseOverdue.isOverdue(record, now: now), dueSoon: CaseOverdue.isDueSoon(record, now: now),
                supervised: record.escalationLevel > 0)
        }
        return try await req.view.render(
            "console/attention",
            Fragment(
                t: ConsoleText.table(language), overdue: attention.overdue, dueSoon: attention.dueSoon,
                supervised: attention.supervised, canTriage: attention.triage != nil,
                triage: attention.triage ?? 0, alarms: attention.alarms, items: items))
    }
}
