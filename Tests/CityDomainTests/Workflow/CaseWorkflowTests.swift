import Foundation
import Testing

@testable import CityDomain

@Suite("Case workflow transitions")
struct CaseWorkflowTests {
    func apply(_ action: CaseAction, _ snapshot: CaseSnapshot, max: Int = 2) throws(CaseTransitionError) -> CaseSnapshot
    {
        try CaseWorkflow.apply(action, to: snapshot, maxEscalationLevel: max)
    }

    @Test func happyPathFromAcceptanceToClosure() throws {
        var snapshot = CaseSnapshot()
        var seen: [CaseState] = [snapshot.state]
        for action: CaseAction in [.register, .dispatch, .start, .resolve, .verify, .close] {
            snapshot = try apply(action, snapshot)
            seen.append(snapshot.state)
        }
        #expect(seen == [.accepted, .registered, .dispatched, .handling, .handled, .verified, .closed])
        #expect(snapshot == CaseSnapshot(state: .closed))
        #expect(!snapshot.state.isOpen)
    }

    @Test(arguments: [CaseState.registered, .dispatched, .handling, .returned])
    func suspendAndResumeRestoresThePriorState(_ state: CaseState) throws {
        let suspended = try apply(.suspend, CaseSnapshot(state: state, escalationLevel: 1, reopenCount: 2))
        #expect(suspended.state == .suspended)
        #expect(suspended.stateBeforeSuspension == state)
        let resumed = try apply(.resume, suspended)
        #expect(resumed == CaseSnapshot(state: state, escalationLevel: 1, reopenCount: 2))
    }

    @Test func resumeWithoutARecordedStateIsRefused() {
        #expect(
            throws: CaseTransitionError(
                state: .suspended, action: .resume, reason: "no state before the suspension was recorded")
        ) {
            try apply(.resume, CaseSnapshot(state: .suspended))
        }
    }

    @Test func returnAndReassign() throws {
        let returned = try apply(.return, CaseSnapshot(state: .handling))
        #expect(returned.state == .returned)
        #expect(try apply(.reassign, returned).state == .dispatched)
        #expect(try apply(.reassign, CaseSnapshot(state: .handling)).state == .dispatched)
        #expect(try apply(.return, CaseSnapshot(state: .dispatched)).state == .returned)
    }

    @Test func reworkIsCounted() throws {
        let failed = try apply(.failVerification, CaseSnapshot(state: .handled))
        #expect(failed == CaseSnapshot(state: .handling, reopenCount: 1))
        let reopened = try apply(.reopen, CaseSnapshot(state: .closed, reopenCount: 1))
        #expect(reopened == CaseSnapshot(state: .dispatched, reopenCount: 2))
    }

    @Test func escalationIsBounded() throws {
        var snapshot = CaseSnapshot(state: .handling)
        snapshot = try apply(.escalate, snapshot, max: 2)
        snapshot = try apply(.escalate, snapshot, max: 2)
        #expect(snapshot == CaseSnapshot(state: .handling, escalationLevel: 2))
        let error = try #require(throws: CaseTransitionError.self) { try apply(.escalate, snapshot, max: 2) }
        #expect(
            error.description
                == "cannot escalate a case in state 'handling' (处置中): already at the highest escalation level (2 of 2)")
        #expect(throws: CaseTransitionError.self) { try apply(.escalate, CaseSnapshot(state: .accepted), max: 0) }
        #expect(throws: CaseTransitionError.self) { try apply(.escalate, CaseSnapshot(state: .accepted), max: -1) }
        // Suspended cases are open and can still be escalated; closed ones cannot.
        #expect(
            try apply(.escalate, CaseSnapshot(state: .suspended, stateBeforeSuspension: .handling)).escalationLevel == 1
        )
        #expect(throws: CaseTransitionError.self) { try apply(.escalate, CaseSnapshot(state: .closed)) }
    }

    @Test func extensionRequestAndApproval() throws {
        let requested = try apply(.requestExtension, CaseSnapshot(state: .handling))
        #expect(requested.extensionRequested)
        #expect(
            throws: CaseTransitionError(
                state: .handling, action: .requestExtension, reason: "an extension request is already pending")
        ) {
            try apply(.requestExtension, requested)
        }
        #expect(try apply(.approveExtension, requested) == CaseSnapshot(state: .handling))
        #expect(
            throws: CaseTransitionError(
                state: .handling, action: .approveExtension, reason: "no extension request is pending")
        ) {
            try apply(.approveExtension, CaseSnapshot(state: .handling))
        }
        #expect(throws: CaseTransitionError.self) { try apply(.requestExtension, CaseSnapshot(state: .handled)) }
    }

    @Test func closingDropsAPendingExtensionRequest() throws {
        let closed = try apply(.close, CaseSnapshot(state: .verified, extensionRequested: true))
        #expect(closed == CaseSnapshot(state: .closed))
    }

    @Test func messageNamesStateAndAction() throws {
        let error = try #require(throws: CaseTransitionError.self) { try apply(.close, CaseSnapshot(state: .handling)) }
        #expect(error.state == .handling && error.action == .close)
        #expect(
            error.description == "cannot close a case in state 'handling' (处置中): allowed only in state 'verified' (已核查)"
        )
    }

    @Test func snapshotRoundTripsThroughJSON() throws {
        let snapshot = CaseSnapshot(
            state: .suspended, stateBeforeSuspension: .returned, escalationLevel: 1,
            extensionRequested: true, reopenCount: 3)
        let data = try JSONEncoder().encode(snapshot)
        #expect(try JSONDecoder().decode(CaseSnapshot.self, from: data) == snapshot)
    }
}
