import Foundation
import Testing

@testable import CityDomain

@Suite("Overdue and due soon")
struct CaseWorkflowDueTests {
    static let now = Date(timeIntervalSince1970: 1_727_402_400)  // 2024-09-27 10:00 +08:00
    static let past = now.addingTimeInterval(-1)
    static let future = now.addingTimeInterval(1)

    func overdue(
        _ state: CaseState = .dispatched, suspended: Bool = false, step: Date? = nil, due: Date? = nil
    ) -> Bool {
        CaseWorkflow.isOverdue(state: state, suspended: suspended, stepDueAt: step, dueAt: due, now: Self.now)
    }

    @Test func anOpenRunningCaseIsOverdueOnceEitherLimitHasPassed() {
        #expect(overdue(step: Self.past))
        #expect(overdue(due: Self.past))
        #expect(overdue(step: Self.future, due: Self.past))
        #expect(overdue(step: Self.past, due: Self.future))
    }

    @Test func aLimitIsKeptUpToAndIncludingItsDueInstant() {
        #expect(!overdue(step: Self.now))
        #expect(!overdue(due: Self.now))
        #expect(!overdue(step: Self.now, due: Self.now))
    }

    @Test func noLimitOrFutureLimitsAreNotOverdue() {
        #expect(!overdue())
        #expect(!overdue(step: Self.future, due: Self.future))
    }

    @Test func closedAndSuspendedCasesAreNeverOverdue() {
        #expect(!overdue(.closed, step: Self.past, due: Self.past))
        #expect(!overdue(.suspended, suspended: true, step: Self.past, due: Self.past))
        // The clock is what stops, whatever the state says.
        #expect(!overdue(.handling, suspended: true, step: Self.past))
    }

    @Test(arguments: CaseState.allCases.filter(\.isOpen))
    func everyOpenStateCanBeOverdue(_ state: CaseState) {
        #expect(overdue(state, due: Self.past))
    }

    @Test func dueSoonIsTheLastQuarterOfTheRunningStep() {
        let start = Self.now
        let due = start.addingTimeInterval(4000)
        func soon(at offset: TimeInterval, suspended: Bool = false, due: Date? = due) -> Bool {
            CaseWorkflow.isDueSoon(
                suspended: suspended, stepStartedAt: start, stepDueAt: due, now: start.addingTimeInterval(offset))
        }
        #expect(!soon(at: 0))
        #expect(!soon(at: 3000))  // exactly a quarter left: not yet
        #expect(soon(at: 3001))
        #expect(soon(at: 3999))
        #expect(!soon(at: 4000))  // at the due instant: neither due soon nor overdue
        #expect(!soon(at: 4001))  // overdue, not due soon
        #expect(!soon(at: 3500, suspended: true))
        #expect(!soon(at: 3500, due: nil))
    }
}
