/// An action that is not legal for a case in its current state (or, for `escalate` and the extension actions, with
/// its current flags).
public struct CaseTransitionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The state the case was in.
    public var state: CaseState
    /// The action that was refused.
    public var action: CaseAction
    /// Why, in English, e.g. "allowed only in state 'verified' (已核查)".
    public var reason: String

    /// An error for `action` refused in `state` because of `reason`.
    public init(state: CaseState, action: CaseAction, reason: String) {
        self.state = state
        self.action = action
        self.reason = reason
    }

    /// Names the action and the state, e.g. "cannot close a case in state 'handling' (处置中): allowed only in state
    /// 'verified' (已核查)".
    public var description: String {
        "cannot \(action.rawValue) a case in state '\(state.rawValue)' (\(state.nameZh)): \(reason)"
    }
}
