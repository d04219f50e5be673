import Foundation

extension CaseWorkflow {
    /// Whether a closed case was closed on time (按期结案): it has no overall limit, or it closed at or before its
    /// overall due instant (a limit is met up to and including its due instant, as in
    /// ``isOverdue(state:suspended:stepDueAt:dueAt:now:)``).
    ///
    /// Source: CJ/T 315-2009 / GB/T 30428 evaluate cases by the on-time closure rate (按期结案率) against the limit
    /// from registration to close (DESIGN.md §4). The app derives its SQL form from this rule (`CaseOnTime` in
    /// `App/Queries`).
    /// - Parameters: `closedAt`, when the case closed (nil: not closed); `dueAt`, its overall due instant.
    /// - Returns: false for a case not closed.
    public static func isClosedOnTime(closedAt: Date?, dueAt: Date?) -> Bool {
        guard let closedAt else { return false }
        return dueAt.map { closedAt <= $0 } ?? true
    }
}
