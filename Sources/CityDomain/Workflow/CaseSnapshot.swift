/// The part of a case the workflow rules look at and change; `CaseWorkflow.apply` maps one snapshot to the next.
///
/// A plain value: the app layer reads it from and writes it back to its stored case.
public struct CaseSnapshot: Codable, Equatable, Sendable {
    /// The current state.
    public var state: CaseState
    /// While `state == .suspended`, the state the case resumes to; otherwise nil.
    public var stateBeforeSuspension: CaseState?
    /// 0 = not escalated; each `escalate` adds 1, up to the `maxEscalationLevel` the caller passes (for example the
    /// number of operations-centre levels above the handling unit: street → district → city).
    public var escalationLevel: Int
    /// Whether an extension (延期) has been requested and not yet approved.
    public var extensionRequested: Bool
    /// Rework count (返工): how often verification failed or the case was reopened after closing; feeds the rework
    /// rate of CJ/T 315-2009's evaluation.
    public var reopenCount: Int
    /// The last callback's result since the case was last closed; nil before any callback (reopening clears it).
    public var callbackResult: CallbackResult?

    /// A snapshot with the given fields; the defaults describe a freshly accepted case.
    public init(
        state: CaseState = .accepted, stateBeforeSuspension: CaseState? = nil, escalationLevel: Int = 0,
        extensionRequested: Bool = false, reopenCount: Int = 0, callbackResult: CallbackResult? = nil
    ) {
        self.state = state
        self.stateBeforeSuspension = stateBeforeSuspension
        self.escalationLevel = escalationLevel
        self.extensionRequested = extensionRequested
        self.reopenCount = reopenCount
        self.callbackResult = callbackResult
    }
}
