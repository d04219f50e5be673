import Foundation
import Testing

@testable import CityDomain

/// 下派 and 上退: only the street/town centre holding a case re-dispatches it to its own units or grid workers, or
/// returns it to the district with a reason (issue #10 §1).
@Suite("Case rules: the street/town centre's dispatch down and return up")
struct CaseRulesStreetTests {
    let fixture = CaseRulesFixture.shared
    let centre = "310115105.operations_centre"

    private func held() -> CaseRecord {
        fixture.opened("sanitation.garbage", unit: centre, region: "310115105")
    }

    private func apply(
        _ request: CaseRequest, to record: CaseRecord, role: OperatorRole? = .streetOperator,
        unit: String? = "310115105.operations_centre"
    ) throws(CaseRuleError) -> CaseRuleOutcome {
        try CaseRules.apply(
            request, to: record, actor: "bc.op", role: role, actorUnitCode: unit,
            category: fixture.category("sanitation.garbage"), reference: fixture.reference,
            now: CaseRulesFixture.friday(plus: 600))
    }

    @Test func dispatchDownToAUnitOfTheStreetRestartsTheHandleClock() throws {
        let outcome = try apply(
            CaseRequest(.dispatchDown, unitCode: "310115105.greening_sanitation"), to: held())
        #expect(outcome.record.unitCode == "310115105.greening_sanitation")
        #expect(outcome.toState == .dispatched)
        #expect(outcome.record.stepStartedAt == CaseRulesFixture.friday(plus: 600))
        #expect(
            CaseRules.streetActionsOpen(
                on: held(), role: .streetOperator, actorUnitCode: centre, reference: fixture.reference))
    }

    @Test func dispatchDownToAGridWorkerOfTheCentreKeepsTheCentre() throws {
        let outcome = try apply(CaseRequest(.dispatchDown, unitCode: centre, assignee: "bc.grid"), to: held())
        #expect(outcome.record.unitCode == centre)
        #expect(outcome.record.assignee == "bc.grid")
        #expect(outcome.note == "网格员 bc.grid")
        #expect(throws: CaseRuleError.sameUnit(centre)) {
            try apply(CaseRequest(.dispatchDown, unitCode: centre), to: held())
        }
    }

    @Test func refusals() {
        #expect(throws: CaseRuleError.targetRequired) { try apply(CaseRequest(.dispatchDown), to: held()) }
        #expect(throws: CaseRuleError.unitNotOfStreet(unit: "310115016.police", street: "310115105")) {
            try apply(CaseRequest(.dispatchDown, unitCode: "310115016.police"), to: held())
        }
        // Another street's operator (were the case visible to them) is not the holding centre.
        #expect(throws: CaseRuleError.notTheHoldingCentre(action: .dispatchDown, holder: centre)) {
            try apply(
                CaseRequest(.dispatchDown, unitCode: "310115105.police"), to: held(),
                unit: "310115016.operations_centre")
        }
        #expect(
            !CaseRules.streetActionsOpen(
                on: held(), role: .streetOperator, actorUnitCode: "310115016.operations_centre",
                reference: fixture.reference))
        // A department or a district centre holding the case: not the street's to hand down or up.
        let withUnit = fixture.opened("sanitation.garbage", unit: "310115105.greening_sanitation", region: "310115105")
        #expect(
            throws: CaseRuleError.notHeldByStreetCentre(action: .returnUp, unit: "310115105.greening_sanitation")
        ) {
            try apply(CaseRequest(.returnUp, note: "不属本镇"), to: withUnit)
        }
        #expect(throws: CaseRuleError.noteRequired(.returnUp)) {
            try apply(CaseRequest(.returnUp, note: " "), to: held())
        }
        #expect(throws: CaseRuleError.roleNotAllowed(action: .dispatchDown, role: .districtOperator)) {
            try apply(
                CaseRequest(.dispatchDown, unitCode: "310115105.police"), to: held(), role: .districtOperator,
                unit: "310115.operations_centre")
        }
        // The system (nil role) and administrators act for any holding street centre.
        #expect((try? apply(CaseRequest(.dispatchDown, unitCode: "310115105.police"), to: held(), role: nil)) != nil)
    }

    @Test func returnUpGoesToTheDistrictCentre() throws {
        let outcome = try apply(CaseRequest(.returnUp, note: "实为道路保洁"), to: held())
        #expect(outcome.record.unitCode == "310115.operations_centre")
        #expect(outcome.toState == .returned)
        #expect(outcome.note == "实为道路保洁")
        #expect(outcome.record.step == .dispatch)  // the district's dispatch limit runs again
    }
}
