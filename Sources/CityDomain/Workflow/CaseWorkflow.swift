/// The case state machine: which actions are legal in which state and what they change.
///
/// Steps after CJ/T 315-2009 / GB/T 30428 (受理 accept → 立案 register → 派遣 dispatch → 处置 handle → 核查 verify →
/// 结案 close), with return (退单), reassignment (改派), rework, suspension (挂账), escalation (督办) and extension
/// (延期) as in DESIGN.md §1 and §5. Pure functions of a `CaseSnapshot`: who may act is in `roles(allowedFor:)`,
/// which step's time limit runs in `step(for:)`.
public enum CaseWorkflow {
    /// The snapshot after `action`.
    ///
    /// - Parameters:
    ///   - action: what the operator does.
    ///   - snapshot: the case before.
    ///   - maxEscalationLevel: the highest `escalationLevel` allowed (negative counts as 0: no escalation).
    /// - Returns: the case after: new state; `suspend` records the prior state and `resume` restores it;
    ///   `failVerification` and `reopen` add 1 to `reopenCount` (`reopen` also clears `callbackResult`); `escalate` adds 1 to `escalationLevel`;
    ///   `requestExtension` / `approveExtension` set / clear `extensionRequested`; `close` also clears a pending
    ///   extension request (a closed case has no limit left to extend).
    /// - Throws: `CaseTransitionError` naming the state and the action when the action is not legal.
    public static func apply(_ action: CaseAction, to snapshot: CaseSnapshot, maxEscalationLevel: Int)
        throws(CaseTransitionError) -> CaseSnapshot
    {
        let state = snapshot.state
        guard sources(of: action).contains(state) else {
            throw CaseTransitionError(
                state: state, action: action, reason: "allowed only in \(describe(sources(of: action)))")
        }
        func refuse(_ reason: String) -> CaseTransitionError {
            CaseTransitionError(state: state, action: action, reason: reason)
        }
        var next = snapshot
        switch action {
        case .register: next.state = .registered
        case .dispatch, .reassign, .dispatchDown: next.state = .dispatched
        case .assign: break  // who goes out changes, not the state
        case .start: next.state = .handling
        case .return, .returnUp: next.state = .returned
        case .resolve: next.state = .handled
        case .verify: next.state = .verified
        case .failVerification:
            next.state = .handling
            next.reopenCount += 1
        case .close:
            next.state = .closed
            next.extensionRequested = false
        case .reopen:
            next.state = .dispatched
            next.reopenCount += 1
            next.callbackResult = nil
        case .callback:
            // The result itself comes with the request (CaseRules sets it); here only whether one may be recorded.
            if let result = snapshot.callbackResult, result.isFinal {
                throw refuse("the callback is already recorded (\(result.rawValue), \(result.nameZh))")
            }
        case .suspend:
            next.stateBeforeSuspension = state
            next.state = .suspended
        case .resume:
            guard let prior = snapshot.stateBeforeSuspension, prior != .suspended else {
                throw refuse("no state before the suspension was recorded")
            }
            next.state = prior
            next.stateBeforeSuspension = nil
        case .escalate:
            let maximum = max(0, maxEscalationLevel)
            guard snapshot.escalationLevel < maximum else {
                throw refuse("already at the highest escalation level (\(snapshot.escalationLevel) of \(maximum))")
            }
            next.escalationLevel += 1
        case .requestExtension:
            guard !snapshot.extensionRequested else { throw refuse("an extension request is already pending") }
            next.extensionRequested = true
        case .approveExtension:
            guard snapshot.extensionRequested else { throw refuse("no extension request is pending") }
            next.extensionRequested = false
        }
        return next
    }

    /// Every action legal for `snapshot`, in `CaseAction.allCases` order.
    /// - Parameters: as for `apply`.
    public static func allowedActions(in snapshot: CaseSnapshot, maxEscalationLevel: Int) -> [CaseAction] {
        CaseAction.allCases.filter { action in
            (try? apply(action, to: snapshot, maxEscalationLevel: maxEscalationLevel)) != nil
        }
    }

    /// The actions legal for `snapshot` that `role` may perform, in `CaseAction.allCases` order: what the console
    /// shows as buttons.
    public static func allowedActions(in snapshot: CaseSnapshot, role: OperatorRole, maxEscalationLevel: Int)
        -> [CaseAction]
    {
        allowedActions(in: snapshot, maxEscalationLevel: maxEscalationLevel).filter {
            roles(allowedFor: $0).contains(role)
        }
    }

    /// The states in which `action` may be applied (before its other conditions are checked).
    public static func sources(of action: CaseAction) -> [CaseState] {
        switch action {
        case .register: return [.accepted]
        case .dispatch: return [.registered]
        case .start: return [.dispatched]
        case .assign: return [.dispatched, .handling]
        case .return: return [.dispatched, .handling]
        case .reassign, .dispatchDown, .returnUp: return [.dispatched, .handling, .returned]
        case .resolve: return [.handling]
        case .verify, .failVerification: return [.handled]
        case .close: return [.verified]
        case .reopen, .callback: return [.closed]
        case .suspend: return [.registered, .dispatched, .handling, .returned]
        case .resume: return [.suspended]
        case .escalate, .approveExtension: return CaseState.allCases.filter(\.isOpen)
        case .requestExtension: return [.dispatched, .handling]
        }
    }

    /// "state 'verified' (已核查)" or "states 'dispatched' (已派遣), 'handling' (处置中)".
    private static func describe(_ states: [CaseState]) -> String {
        let names = states.map { "'\($0.rawValue)' (\($0.nameZh))" }.joined(separator: ", ")
        return (states.count == 1 ? "state " : "states ") + names
    }
}
