import Foundation

/// Time limits of a category's case steps (CJ/T 315-2009: every step of 数字化城管 has a time limit).
///
/// Minute and hour limits run on the category's ``HourClock``; working-day limits count whole working days
/// (DESIGN.md §4). JSON: `{"dispatch": {"value": 30, "unit": "minutes"}, "handle": …, "verify": …, "overall": …}`.
public struct StepLimits: Codable, Hashable, Sendable {
    /// From registration to dispatch (派遣), usually minutes.
    public var dispatch: TimeLimit
    /// From dispatch to the unit reporting it handled (处置): hours, or working days for slower work.
    public var handle: TimeLimit
    /// From handled to verified (核查) by someone other than the handler.
    public var verify: TimeLimit
    /// From registration to close (结案): the limit the on-time closure rate (按期结案率) is measured against.
    public var overall: TimeLimit

    /// Creates the limits of the four measured spans.
    public init(dispatch: TimeLimit, handle: TimeLimit, verify: TimeLimit, overall: TimeLimit) {
        self.dispatch = dispatch
        self.handle = handle
        self.verify = verify
        self.overall = overall
    }

    /// The limit of one case step (CaseStep from the workflow): dispatch, handle and verify have their own;
    /// register and close have none (closing is bounded by ``overall``, counted from registration).
    public func limit(for step: CaseStep) -> TimeLimit? {
        switch step {
        case .dispatch: dispatch
        case .handle: handle
        case .verify: verify
        case .register, .close: nil
        }
    }

    /// All four limits with their names, for validation and display.
    public var named: [(step: String, limit: TimeLimit)] {
        [("dispatch", dispatch), ("handle", handle), ("verify", verify), ("overall", overall)]
    }
}
