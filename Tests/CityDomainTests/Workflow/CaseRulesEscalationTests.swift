import Foundation
import Testing

@testable import CityDomain

/// Escalation (督办): one level per missed limit, street → district → city, supervised by the operations centre
/// one level above the last; never above the city.
@Suite("Case rules: escalation")
struct CaseRulesEscalationTests {
    let fixture = CaseRulesFixture.shared
    typealias F = CaseRulesFixture

    /// Dog barking in 南京东路街道 with 南京东路派出所 (a street unit): continuous clock, handle limit 2 h.
    var barking: CaseRecord { fixture.opened("noise.dog_barking", unit: "310101002.police", region: "310101002") }

    func escalate(_ record: CaseRecord, at: Date) throws(CaseRuleError) -> CaseRuleOutcome {
        try fixture.apply(CaseRequest(.escalate, note: "超时自动升级"), to: record, category: "noise.dog_barking", at: at)
    }

    @Test func aStreetCaseGoesToTheDistrictThenTheCityThenStops() throws {
        #expect(fixture.reference.maxEscalationLevel(unitCode: "310101002.police", regionCode: "310101002") == 2)
        let first = try escalate(barking, at: F.friday(plus: 2 * 3600 + 60))
        #expect(first.record.workflow.escalationLevel == 1)
        #expect(first.record.supervisingUnitCode == "310101.operations_centre")
        #expect(first.note == "超时自动升级; 督办单位 310101.operations_centre")
        // The next look: one more handle limit (2 h) after the escalation.
        #expect(first.record.escalateAt == F.friday(plus: 4 * 3600 + 60))
        let second = try escalate(first.record, at: F.friday(plus: 4 * 3600 + 120))
        #expect(second.record.workflow.escalationLevel == 2)
        #expect(second.record.supervisingUnitCode == "310000.operations_centre")
        #expect(second.record.escalateAt == nil)  // the city is the top: nobody left to look
        #expect {
            _ = try escalate(second.record, at: F.friday(plus: 6 * 3600))
        } throws: { error in
            guard case CaseRuleError.illegal(let refusal) = error else { return false }
            return refusal.reason == "already at the highest escalation level (2 of 2)"
        }
    }

    @Test func anOperatorActionDoesNotBringTheNextLookForward() throws {
        let escalated = try escalate(barking, at: F.friday(plus: 2 * 3600 + 60)).record
        let started = try fixture.apply(
            CaseRequest(.start), to: escalated, category: "noise.dog_barking", role: .caseworker,
            at: F.friday(plus: 2 * 3600 + 360)
        ).record
        // The step is long overdue (10:00 + 2 h), but the sweep waits the full limit it gave after escalating.
        #expect(started.stepDueAt == F.friday(plus: 2 * 3600))
        #expect(started.escalateAt == escalated.escalateAt)
        // Without an escalation the earliest due instant counts.
        let plain = try fixture.apply(
            CaseRequest(.start), to: barking, category: "noise.dog_barking", role: .caseworker,
            at: F.friday(plus: 60)
        ).record
        #expect(plain.escalateAt == F.friday(plus: 2 * 3600))
    }

    @Test func levelsCountFromTheRegionOfTheUnitHoldingTheCase() throws {
        let reference = fixture.reference
        // A district unit: one level (the city).
        #expect(reference.maxEscalationLevel(unitCode: "310115.water", regionCode: "310115105") == 1)
        let ponding = fixture.opened("road.ponding", unit: "310115.water", region: "310115105")
        let escalated = try fixture.apply(
            CaseRequest(.escalate), to: ponding, category: "road.ponding", at: F.friday(plus: 5 * 3600)
        ).record
        #expect(escalated.supervisingUnitCode == "310000.operations_centre" && escalated.escalateAt == nil)
        // A city unit: none.
        #expect(reference.maxEscalationLevel(unitCode: "310000.transport", regionCode: "310101002") == 0)
        // An unknown unit: from the case's region.
        #expect(reference.maxEscalationLevel(unitCode: "gone", regionCode: "310101002") == 2)
        #expect(
            reference.supervisingCentre(unitCode: "gone", regionCode: "310101002", level: 1)?.code
                == "310101.operations_centre")
        #expect(reference.supervisingCentre(unitCode: "gone", regionCode: "310101002", level: 3) == nil)
    }

    @Test func aSuspendedCaseIsNotLookedAt() throws {
        let suspended = try fixture.apply(
            CaseRequest(.suspend, note: "现场封控"), to: barking, category: "noise.dog_barking", at: F.friday(plus: 60)
        ).record
        #expect(suspended.escalateAt == nil)
        // Escalated by hand while suspended: supervised, still not looked at.
        let escalated = try escalate(suspended, at: F.friday(plus: 120)).record
        #expect(escalated.supervisingUnitCode == "310101.operations_centre" && escalated.escalateAt == nil)
    }
}
