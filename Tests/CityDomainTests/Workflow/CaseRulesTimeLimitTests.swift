import Foundation
import Testing

@testable import CityDomain

/// Step clocks, suspensions and extensions (CJ/T 315-2009 step limits; DESIGN.md §4 day counting).
@Suite("Case rules: time limits")
struct CaseRulesTimeLimitTests {
    let fixture = CaseRulesFixture.shared
    typealias F = CaseRulesFixture

    /// A road-ponding case (continuous clock; handle 4 h, verify 4 h, overall 1 working day) in 北蔡镇, opened
    /// Fri 2024-09-27 10:00: its handle step is due at 14:00, the case at 24:00 on Sun 09-29 (a make-up working
    /// day).
    var ponding: CaseRecord { fixture.opened("road.ponding", unit: "310115.water", region: "310115105") }

    func apply(_ request: CaseRequest, to record: CaseRecord, role: OperatorRole? = nil, at: Date)
        throws(CaseRuleError) -> CaseRecord
    {
        try fixture.apply(request, to: record, category: "road.ponding", role: role, at: at).record
    }

    @Test func intakeStartsTheHandleClock() {
        let record = ponding
        #expect(record.step == .handle && record.stepStartedAt == F.friday)
        #expect(record.stepDueAt == TimeFixtures.at("2024-09-27T14:00:00+08:00"))
        #expect(record.dueAt == TimeFixtures.at("2024-09-30T00:00:00+08:00"))
        #expect(record.escalateAt == record.stepDueAt)
        #expect(record.timeLimitProblem == nil)
    }

    /// (actions leading to the state, the action, whether its step clock restarts, the step after).
    static let clockCases: [([CaseAction], CaseAction, Bool, CaseStep?)] = [
        ([], .start, false, .handle),  // 签收 keeps the handle clock running
        ([], .assign, false, .handle),
        ([], .escalate, false, .handle),
        ([], .requestExtension, false, .handle),
        ([], .suspend, false, .handle),  // the clock stops, the step stays
        ([.suspend], .resume, false, .handle),
        ([], .reassign, true, .handle),  // a new unit gets a whole limit
        ([], .return, true, .dispatch),  // the centre's dispatch limit runs
        ([.start], .resolve, true, .verify),
        ([.start, .resolve], .failVerification, true, .handle),
        ([.start, .resolve], .verify, true, .close),
        ([.start, .resolve, .verify], .close, true, nil),
        ([.start, .resolve, .verify, .close], .reopen, true, .handle),
    ]

    @Test(arguments: clockCases)
    func whichActionsRestartTheStepClock(before: [CaseAction], action: CaseAction, restarts: Bool, step: CaseStep?)
        throws
    {
        func request(_ action: CaseAction) -> CaseRequest {
            CaseRequest(
                action, note: "理由", unitCode: action == .reassign ? "310115.road_maintenance" : nil,
                assignee: action == .assign ? "pd.grid1" : nil)
        }
        let ready = try fixture.run(
            before.map(request), from: ponding, category: "road.ponding", start: F.friday(plus: 60))
        let now = F.friday(plus: 3600)
        let after = try apply(request(action), to: ready, at: now)
        #expect(after.stepStartedAt == (restarts ? now : ready.stepStartedAt))
        #expect(after.step == step)
    }

    @Test func aSuspensionRemovesExactlyItsSpan() throws {
        // Fire lane: continuous clock, handle 1 h, overall 4 h.
        let record = fixture.opened("parking.fire_lane", unit: "310115.fire_rescue", region: "310115105")
        let suspended = try fixture.apply(
            CaseRequest(.suspend, note: "等待车主联系方式"), to: record, category: "parking.fire_lane",
            at: F.friday(plus: 600)
        ).record
        #expect(suspended.suspendedSince == F.friday(plus: 600))
        #expect(suspended.escalateAt == nil)  // the sweep does not look at a stopped clock
        let resumed = try fixture.apply(
            CaseRequest(.resume), to: suspended, category: "parking.fire_lane", at: F.friday(plus: 2400)
        ).record
        #expect(resumed.state == .dispatched && resumed.suspendedSince == nil)
        #expect(resumed.suspensions == [DateInterval(start: F.friday(plus: 600), end: F.friday(plus: 2400))])
        #expect(resumed.stepDueAt == F.friday(plus: 3600 + 1800))
        #expect(resumed.dueAt == F.friday(plus: 4 * 3600 + 1800))
        #expect(resumed.escalateAt == resumed.stepDueAt)
    }

    @Test func extensionDaysAreWorkingDaysAfterTheBaseDueInstant() throws {
        let requested = try fixture.apply(
            CaseRequest(.requestExtension, note: "等沥青", extensionDays: 2), to: ponding, category: "road.ponding",
            role: .caseworker, at: F.friday(plus: 3600))
        #expect(requested.record.workflow.extensionRequested && requested.record.requestedExtensionDays == 2)
        #expect(requested.note == "等沥青; 申请 2 个工作日")
        #expect(requested.record.stepDueAt == ponding.stepDueAt)  // asking changes nothing yet
        // Granted as asked: 2 working days after each base instant, skipping the National Day holidays.
        let approved = try fixture.apply(
            CaseRequest(.approveExtension), to: requested.record, category: "road.ponding",
            role: .districtOperator, at: F.friday(plus: 7200))
        #expect(approved.record.extensionDays == 2 && approved.record.requestedExtensionDays == nil)
        #expect(!approved.record.workflow.extensionRequested)
        #expect(approved.note == "累计延期 2 个工作日")
        // Handle: Fri 14:00 + Sun 09-29, Mon 09-30 → Mon 24:00.
        #expect(approved.record.stepDueAt == TimeFixtures.at("2024-10-01T00:00:00+08:00"))
        // Overall: Sun 09-29 24:00 + Mon 09-30, Tue 10-08 → Tue 10-08 24:00.
        #expect(approved.record.dueAt == TimeFixtures.at("2024-10-09T00:00:00+08:00"))
        // A second extension adds up; the approver may grant another number than asked.
        let again = try fixture.run(
            [CaseRequest(.requestExtension, note: "仍需等待"), CaseRequest(.approveExtension, extensionDays: 1)],
            from: approved.record, category: "road.ponding", start: F.friday(plus: 9000))
        #expect(again.extensionDays == 3)
        #expect(again.dueAt == TimeFixtures.at("2024-10-10T00:00:00+08:00"))
    }

    @Test func extensionDaysMustBe1To30() throws {
        for days in [0, 31, -1] {
            #expect(throws: CaseRuleError.invalidExtension(days)) {
                try apply(CaseRequest(.requestExtension, note: "x", extensionDays: days), to: ponding, at: F.friday)
            }
        }
        let unnamed = try apply(CaseRequest(.requestExtension, note: "x"), to: ponding, at: F.friday)
        #expect(unnamed.requestedExtensionDays == nil)
        #expect(throws: CaseRuleError.invalidExtension(nil)) {
            try apply(CaseRequest(.approveExtension), to: unnamed, at: F.friday)
        }
        #expect(throws: CaseRuleError.invalidExtension(31)) {
            try apply(CaseRequest(.approveExtension, extensionDays: 31), to: unnamed, at: F.friday)
        }
        #expect(CaseRuleError.invalidExtension(nil).description.contains("got none"))
        #expect(
            try apply(CaseRequest(.approveExtension, extensionDays: 30), to: unnamed, at: F.friday).extensionDays
                == 30)
    }

    @Test func anExtensionTheCalendarCannotCountIsRefused() throws {
        // Fri 2026-11-27: renovation noise (office hours; overall 5 working days); 30 more need the 2027 table.
        let opened = TimeFixtures.at("2026-11-27T10:00:00+08:00")
        let record = fixture.opened("noise.renovation", unit: "310115105.housing", region: "310115105", at: opened)
        #expect(record.dueAt != nil && record.timeLimitProblem == nil)
        let requested = try fixture.apply(
            CaseRequest(.requestExtension, note: "需协调业委会"), to: record, category: "noise.renovation",
            at: opened.addingTimeInterval(60)
        ).record
        #expect {
            _ = try fixture.apply(
                CaseRequest(.approveExtension, extensionDays: 30), to: requested, category: "noise.renovation",
                at: opened.addingTimeInterval(120))
        } throws: { error in
            guard case CaseRuleError.limitNotComputable(let problem) = error else { return false }
            return problem.contains("2027")
        }
        // A shorter extension the calendar covers is granted.
        let granted = try fixture.apply(
            CaseRequest(.approveExtension, extensionDays: 2), to: requested, category: "noise.renovation",
            at: opened.addingTimeInterval(120)
        ).record
        #expect(granted.timeLimitProblem == nil && granted.dueAt! > record.dueAt!)
    }

    @Test func aLimitPastTheCalendarIsLeftEmptyAndSaysWhy() {
        // Illegal building from 2026-12-15: handling (10 working days) ends in 2026; the whole case (20) runs into
        // 2027, which the table lacks.
        let record = fixture.opened(
            "construction.illegal_building", unit: "310115105.urban_management", region: "310115105",
            at: TimeFixtures.at("2026-12-15T10:00:00+08:00"))
        #expect(record.stepDueAt == TimeFixtures.at("2026-12-30T00:00:00+08:00"))
        #expect(record.dueAt == nil && record.escalateAt == record.stepDueAt)
        #expect(record.timeLimitProblem?.contains("2027") == true)
    }
}
