import Foundation
import Testing

@testable import CityDomain

/// 回访 (callback) after closure: the centre records the citizen's satisfaction once per closure, may retry after an
/// unanswered call, and a reopened case is called back afresh after its next closing.
@Suite("Case rules: callback after closure")
struct CaseCallbackTests {
    let fixture = CaseRulesFixture.shared
    typealias F = CaseRulesFixture

    /// A road-ponding case taken from dispatched to closed, the close at `F.friday(plus: 4 * 60)`.
    var closed: CaseRecord {
        get throws {
            let opened = fixture.opened("road.ponding", unit: "310115.water", region: "310115105")
            return try fixture.run(
                [CaseRequest(.start), CaseRequest(.resolve, note: "已抽排"), CaseRequest(.verify), CaseRequest(.close)],
                from: opened, category: "road.ponding", start: F.friday(plus: 60))
        }
    }

    func callback(_ result: CallbackResult?, on record: CaseRecord, at seconds: TimeInterval = 3600)
        throws(CaseRuleError) -> CaseRuleOutcome
    {
        try fixture.apply(
            CaseRequest(.callback, note: "电话回访", callbackResult: result), to: record, category: "road.ponding",
            by: "pd.centre", role: .districtOperator, at: F.friday(plus: seconds))
    }

    @Test func aCallbackRecordsTheResultAndLeavesTheCaseClosedAsItWas() throws {
        let before = try closed
        #expect(before.workflow.state == .closed)
        #expect(before.closedAt == F.friday(plus: 4 * 60))
        let outcome = try callback(.basicallySatisfied, on: before)
        #expect(outcome.toState == .closed && outcome.fromState == .closed)
        #expect(outcome.record.workflow.callbackResult == .basicallySatisfied)
        #expect(outcome.record.closedAt == F.friday(plus: 4 * 60))  // not the callback's time
        #expect(outcome.record.workflow.reopenCount == before.workflow.reopenCount)
        #expect(outcome.note == "电话回访")
    }

    @Test func aSatisfactionIsRecordedOnceButAnUnansweredCallIsTriedAgain() throws {
        let unanswered = try callback(.unreachable, on: try closed).record
        #expect(unanswered.workflow.callbackResult == .unreachable)
        let answered = try callback(.dissatisfied, on: unanswered, at: 7200).record
        #expect(answered.workflow.callbackResult == .dissatisfied)
        let again = CaseTransitionError(
            state: .closed, action: .callback, reason: "the callback is already recorded (dissatisfied, 不满意)")
        #expect(throws: CaseRuleError.illegal(again)) { try callback(.satisfied, on: answered, at: 9000) }
        let allowed = CaseWorkflow.allowedActions(in: answered.workflow, role: .districtOperator, maxEscalationLevel: 2)
        #expect(allowed == [.reopen])
    }

    @Test func reopeningClearsTheResultSoTheNextClosingIsCalledBackAfresh() throws {
        let dissatisfied = try callback(.dissatisfied, on: try closed).record
        let reopened = try fixture.apply(
            CaseRequest(.reopen, note: "市民不满意，重新办理"), to: dissatisfied, category: "road.ponding",
            by: "pd.centre", role: .districtOperator, at: F.friday(plus: 4000)
        ).record
        #expect(reopened.workflow.state == .dispatched)
        #expect(reopened.workflow.callbackResult == nil)
        #expect(reopened.workflow.reopenCount == 1)
        #expect(reopened.closedAt == nil)
    }

    @Test func theResultIsRequiredByACallbackAndRefusedWithAnyOtherAction() throws {
        #expect(throws: CaseRuleError.callbackResultRequired) { try callback(nil, on: try closed) }
        let open = fixture.opened("road.ponding", unit: "310115.water", region: "310115105")
        #expect(throws: CaseRuleError.callbackResultNotTaken(.escalate)) {
            try fixture.apply(
                CaseRequest(.escalate, callbackResult: .satisfied), to: open, category: "road.ponding",
                at: F.friday(plus: 60))
        }
    }

    @Test func onlyClosedCasesAreCalledBackAndOnlyByCentres() throws {
        let open = fixture.opened("road.ponding", unit: "310115.water", region: "310115105")
        let illegal = CaseTransitionError(
            state: .dispatched, action: .callback, reason: "allowed only in state 'closed' (已结案)")
        #expect(throws: CaseRuleError.illegal(illegal)) { try callback(.satisfied, on: open) }
        for role in [OperatorRole.caseworker, .gridWorker] {
            #expect(throws: CaseRuleError.roleNotAllowed(action: .callback, role: role)) {
                try fixture.apply(
                    CaseRequest(.callback, callbackResult: .satisfied), to: try closed, category: "road.ponding",
                    by: "someone", role: role, at: F.friday(plus: 3600))
            }
        }
    }
}
