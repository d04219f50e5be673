import Testing

@testable import CityDomain

/// Every (state, action) pair against a table transcribed independently from the rules (CJ/T 315-2009 steps as
/// specified for CityNet): legal pairs give the listed state, all others throw naming the state and the action.
@Suite("Case workflow: every state × action")
struct CaseWorkflowTableTests {
    /// action → (from state → to state), for the transitions that change the state.
    static let moves: [CaseAction: [CaseState: CaseState]] = [
        .register: [.accepted: .registered],
        .dispatch: [.registered: .dispatched],
        .start: [.dispatched: .handling],
        .assign: [.dispatched: .dispatched, .handling: .handling],  // names who goes out; the state stays
        .return: [.dispatched: .returned, .handling: .returned],
        .reassign: [.returned: .dispatched, .dispatched: .dispatched, .handling: .dispatched],
        .resolve: [.handling: .handled],
        .verify: [.handled: .verified],
        .failVerification: [.handled: .handling],
        .close: [.verified: .closed],
        .reopen: [.closed: .dispatched],
        .suspend: [.registered: .suspended, .dispatched: .suspended, .handling: .suspended, .returned: .suspended],
        .resume: [.suspended: .handling],  // the fixtures suspend from handling
        .dispatchDown: [.dispatched: .dispatched, .handling: .dispatched, .returned: .dispatched],
        .returnUp: [.dispatched: .returned, .handling: .returned, .returned: .returned],
    ]

    /// The expected state after `action`, or nil when it must be refused.
    static func expected(_ action: CaseAction, _ snapshot: CaseSnapshot, max: Int) -> CaseState? {
        let state = snapshot.state
        switch action {
        case .escalate:
            return state != .closed && snapshot.escalationLevel < max ? state : nil
        case .requestExtension:
            return [.dispatched, .handling].contains(state) && !snapshot.extensionRequested ? state : nil
        case .approveExtension:
            return state != .closed && snapshot.extensionRequested ? state : nil
        case .callback:
            // Once per closure: after a satisfaction level, not again; after an unanswered call, again.
            return state == .closed && snapshot.callbackResult != .satisfied ? .closed : nil
        default:
            return moves[action]?[state]
        }
    }

    static let snapshots: [CaseSnapshot] = CaseState.allCases.flatMap { state in
        [false, true].flatMap { requested in
            [0, 2].flatMap { level in
                [nil, CallbackResult.unreachable, .satisfied].map { callback in
                    CaseSnapshot(
                        state: state, stateBeforeSuspension: state == .suspended ? .handling : nil,
                        escalationLevel: level, extensionRequested: requested, callbackResult: callback)
                }
            }
        }
    }

    @Test(arguments: CaseAction.allCases)
    func actionAgainstEveryState(_ action: CaseAction) {
        for snapshot in Self.snapshots {
            let expected = Self.expected(action, snapshot, max: 2)
            do {
                let next = try CaseWorkflow.apply(action, to: snapshot, maxEscalationLevel: 2)
                #expect(next.state == expected, "\(action) in \(snapshot)")
            } catch {
                #expect(expected == nil, "\(action) in \(snapshot) was refused: \(error)")
                #expect(error.state == snapshot.state && error.action == action)
                #expect(
                    error.description.hasPrefix(
                        "cannot \(action.rawValue) a case in state '\(snapshot.state.rawValue)' (\(snapshot.state.nameZh))"
                    ))
                #expect(!error.reason.isEmpty)
            }
        }
    }

    @Test func allowedActionsAgreesWithApply() {
        for snapshot in Self.snapshots {
            let listed = CaseWorkflow.allowedActions(in: snapshot, maxEscalationLevel: 2)
            let legal = CaseAction.allCases.filter { Self.expected($0, snapshot, max: 2) != nil }
            #expect(listed == legal, "\(snapshot)")
        }
    }

    @Test func illegalCountIsWhatTheRulesSay() {
        // In a plain snapshot (no flags, level 0) each state has exactly these actions.
        let plain = { (state: CaseState) in
            CaseWorkflow.allowedActions(
                in: CaseSnapshot(state: state, stateBeforeSuspension: state == .suspended ? .registered : nil),
                maxEscalationLevel: 1)
        }
        #expect(plain(.accepted) == [.register, .escalate])
        #expect(
            plain(.handling) == [
                .assign, .return, .reassign, .resolve, .suspend, .escalate, .requestExtension, .dispatchDown, .returnUp,
            ])
        #expect(plain(.handled) == [.verify, .failVerification, .escalate])
        #expect(plain(.closed) == [.reopen, .callback])
        #expect(plain(.suspended) == [.resume, .escalate])
    }
}
