import Foundation
import Testing

@testable import CityDomain

/// Who may act and with what, where a case may be sent, who is on it, and what the audit event says.
@Suite("Case rules: refusals, units, grid workers, audit notes")
struct CaseRulesTests {
    let fixture = CaseRulesFixture.shared
    typealias F = CaseRulesFixture

    /// A road-ponding case in 北蔡镇 with 浦东新区水务局 (a district unit), as intake opens it.
    var ponding: CaseRecord { fixture.opened("road.ponding", unit: "310115.water", region: "310115105") }

    func apply(
        _ request: CaseRequest, to record: CaseRecord, by actor: String = "system", role: OperatorRole? = nil,
        at: Date = F.friday(plus: 600)
    ) throws(CaseRuleError) -> CaseRuleOutcome {
        try fixture.apply(request, to: record, category: "road.ponding", by: actor, role: role, at: at)
    }

    @Test func refusalsComeInOneOrderRoleNotePhotosState() {
        let record = ponding
        #expect(throws: CaseRuleError.roleNotAllowed(action: .verify, role: .caseworker)) {
            try apply(CaseRequest(.verify, photoCount: 1), to: record, role: .caseworker)
        }
        #expect(throws: CaseRuleError.noteRequired(.requestExtension)) {
            try apply(CaseRequest(.requestExtension, note: " \n", photoCount: 1), to: record, role: .caseworker)
        }
        #expect(throws: CaseRuleError.photosNotTaken(.requestExtension)) {
            try apply(CaseRequest(.requestExtension, note: "等配件", photoCount: 1), to: record, role: .caseworker)
        }
        let illegal = CaseTransitionError(
            state: .dispatched, action: .close, reason: "allowed only in state 'verified' (已核查)")
        #expect(throws: CaseRuleError.illegal(illegal)) {
            try apply(CaseRequest(.close), to: record, role: .districtOperator)
        }
        // The first half alone, as the app runs it before its database checks.
        #expect(throws: CaseRuleError.illegal(illegal)) {
            try CaseRules.check(CaseRequest(.close), on: record, role: nil, maxEscalationLevel: 1)
        }
        #expect(
            CaseRuleError.photosNotTaken(.requestExtension).description
                == "action 'request_extension' takes no photos; photos go with return, resolve, fail_verification")
        #expect(
            CaseRuleError.roleNotAllowed(action: .verify, role: .caseworker).description
                == "role 'caseworker' may not perform 'verify'")
    }

    @Test func aCaseGoesOnlyToAUnitThatServesItsRegion() throws {
        let record = ponding
        // Another district's unit: refused.
        #expect(throws: CaseRuleError.unitOutsideRegion(unit: "310101.water", region: "310115105")) {
            try apply(CaseRequest(.reassign, unitCode: "310101.water"), to: record)
        }
        #expect(
            CaseRuleError.unitOutsideRegion(unit: "310101.water", region: "310115105").description
                == "unit '310101.water' does not serve region '310115105': choose a unit of that region, one above it or one inside it"
        )
        // A unit above the case's region: allowed, the case stays where it is.
        for code in ["310115.road_maintenance", "310000.water"] {
            let moved = try apply(CaseRequest(.reassign, unitCode: code), to: record).record
            #expect(moved.unitCode == code && moved.regionCode == "310115105")
        }
        // A unit inside it: the case narrows to the unit's region.
        var district = record
        district.regionCode = "310115"
        let narrowed = try apply(CaseRequest(.reassign, unitCode: "310115105.urban_management"), to: district)
        #expect(narrowed.record.regionCode == "310115105" && narrowed.unitCode == "310115105.urban_management")
        // Dispatching a registered case follows the same rule.
        var registered = record
        registered.workflow = CaseSnapshot(state: .registered)
        let dispatched = try apply(CaseRequest(.dispatch, unitCode: "310115105.police"), to: registered)
        #expect(dispatched.toState == .dispatched && dispatched.unitCode == "310115105.police")
        #expect(throws: CaseRuleError.unitOutsideRegion(unit: "310104.police", region: "310115105")) {
            try apply(CaseRequest(.dispatch, unitCode: "310104.police"), to: registered)
        }
    }

    @Test func aReassignmentNamesAnotherExistingUnit() {
        let record = ponding
        #expect(throws: CaseRuleError.sameUnit("310115.water")) {
            try apply(CaseRequest(.reassign, unitCode: "310115.water"), to: record)
        }
        #expect(throws: CaseRuleError.unknownUnit("310115.nothing")) {
            try apply(CaseRequest(.reassign, unitCode: "310115.nothing"), to: record)
        }
        for missing in [nil, ""] {
            #expect(throws: CaseRuleError.unitRequired(.reassign)) {
                try apply(CaseRequest(.reassign, unitCode: missing), to: record)
            }
        }
        // Refused means unchanged: the input record is a value.
        #expect(record == ponding)
    }

    @Test func anotherUnitSendsItsOwnPeople() throws {
        var record = ponding
        record.assignee = "pd.grid1"
        let reassigned = try apply(CaseRequest(.reassign, unitCode: "310115105.urban_management"), to: record)
        #expect(reassigned.record.assignee == nil)
        let returned = try apply(CaseRequest(.return, note: "不属于水务职责"), to: record, role: .caseworker)
        #expect(returned.toState == .returned)
        #expect(returned.unitCode == "310115105.operations_centre")  // the centre of the case's region
        #expect(returned.record.assignee == nil)
        #expect(returned.note == "不属于水务职责")
    }

    @Test func assignAndStartPutAGridWorkerOnTheCase() throws {
        let record = ponding
        #expect(throws: CaseRuleError.assigneeRequired) { try apply(CaseRequest(.assign), to: record) }
        #expect(throws: CaseRuleError.assigneeRequired) { try apply(CaseRequest(.assign, assignee: ""), to: record) }
        let assigned = try apply(CaseRequest(.assign, assignee: "pd.grid1"), to: record, role: .caseworker)
        #expect(assigned.record.assignee == "pd.grid1" && assigned.toState == .dispatched)
        #expect(assigned.note == "网格员 pd.grid1")
        #expect(throws: CaseRuleError.alreadyAssigned("pd.grid1")) {
            try apply(CaseRequest(.assign, assignee: "pd.grid1"), to: assigned.record)
        }
        // Whoever of the unit's grid workers signs for it is the one on it.
        let started = try apply(CaseRequest(.start), to: assigned.record, by: "pd.grid2", role: .gridWorker)
        #expect(started.record.assignee == "pd.grid2")
        #expect(started.note == "网格员 pd.grid2（原 pd.grid1）")
        // A caseworker who signs for it does not go out.
        let signed = try apply(CaseRequest(.start), to: assigned.record, by: "pd.water", role: .caseworker)
        #expect(signed.record.assignee == "pd.grid1" && signed.note == nil)
    }

    @Test func theAuditNoteSaysWhatWasDone() throws {
        let handling = try apply(CaseRequest(.start), to: ponding).record
        let resolved = try apply(CaseRequest(.resolve, note: "  已抽排积水\n", photoCount: 2), to: handling)
        #expect(resolved.note == "已抽排积水; 照片 2 张")
        #expect(resolved.fromState == .handling && resolved.toState == .handled)
        #expect(resolved.action == .resolve && resolved.unitCode == "310115.water")
        #expect(try apply(CaseRequest(.escalate), to: handling).note == "督办单位 310000.operations_centre")
    }

    @Test func closingStampsTheInstantAndReopeningClearsIt() throws {
        let start = F.friday(plus: 600)
        let verified = try fixture.run(
            [CaseRequest(.start), CaseRequest(.resolve, note: "ok"), CaseRequest(.verify)], from: ponding,
            category: "road.ponding", start: start)
        let closedAt = F.friday(plus: 3600)
        let closed = try apply(CaseRequest(.close), to: verified, at: closedAt).record
        #expect(closed.closedAt == closedAt && closed.state == .closed)
        #expect(closed.step == nil && closed.stepDueAt == nil && closed.escalateAt == nil)
        let reopenedAt = F.friday(plus: 7200)
        let reopened = try apply(CaseRequest(.reopen, note: "回访不满意：仍有积水"), to: closed, at: reopenedAt).record
        #expect(reopened.closedAt == nil && reopened.state == .dispatched && reopened.workflow.reopenCount == 1)
        #expect(reopened.step == .handle && reopened.stepStartedAt == reopenedAt)
        #expect(reopened.stepDueAt == reopenedAt.addingTimeInterval(4 * 3600))  // handle: 4 h, continuous
    }

    @Test func withoutACategoryTheTimeLimitsAreLeftAlone() throws {
        let record = ponding
        let outcome = try CaseRules.apply(
            CaseRequest(.reassign, unitCode: "310115.road_maintenance"), to: record, actor: "system", role: nil,
            category: nil, reference: fixture.reference, now: F.friday(plus: 600))
        var expected = record
        expected.unitCode = "310115.road_maintenance"
        #expect(outcome.record == expected)
    }

    @Test func theOperationsCentreIsTheNearestUpTheHierarchy() {
        let reference = fixture.reference
        #expect(reference.operationsCentre(for: "310101002")?.code == "310101002.operations_centre")
        #expect(reference.operationsCentre(for: "310101")?.code == "310101.operations_centre")
        #expect(reference.operationsCentre(for: "nowhere") == nil)
    }
}
