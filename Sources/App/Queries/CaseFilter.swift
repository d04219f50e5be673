/// Which cases a list asks for: the filters of `GET /api/v1/cases` and of the console's desk. Every field is
/// optional and narrows the list further; codes are checked by ``CaseQueries/matching(_:scope:reference:on:now:)``
/// (a 400 names an unknown one, a 403 a region outside the operator's scope).
struct CaseFilter: Equatable, Sendable {
    /// A region code: cases in its subtree (the city's code: no narrowing).
    var region: String?
    /// A unit code: cases held by that unit.
    var unit: String?
    /// State codes (`CaseState` raw values): cases in any of them.
    var states: [String]?
    /// A category code: cases of it or of any category below it (`road` takes `road.ponding`).
    var category: String?
    /// A grid worker's username, or `me` for the operator asking; blank means no narrowing.
    var assignee: String?
    /// Only the cases overdue at the query's `now` (``CaseOverdue``); false means no narrowing.
    var overdue = false

    init(
        region: String? = nil, unit: String? = nil, states: [String]? = nil, category: String? = nil,
        assignee: String? = nil, overdue: Bool = false
    ) {
        self.region = region
        self.unit = unit
        self.states = states
        self.category = category
        self.assignee = assignee
        self.overdue = overdue
    }
}
