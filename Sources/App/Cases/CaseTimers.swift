import CityDomain
import Foundation

/// Sets a case's time limits from its category, state and suspensions: the running step's due instant, the
/// overall due instant and when the escalation sweep should next look at it.
///
/// Limits come from the category's ``StepLimits``; which step runs in which state from
/// ``CaseWorkflow/step(for:)`` (CJ/T 315-2009 steps). An approved extension adds working days after the base
/// due instant (DESIGN.md §4, day limits). When the holiday table does not cover a date the limit needs, the
/// due instant stays empty and ``Case/timeLimitProblem`` says why: never a guess.
enum CaseTimers {
    /// Starts the clock of the step that runs in the case's current state, at `now`.
    static func startStep(of record: Case, category: Category, calculator: DeadlineCalculator, now: Date) {
        record.step = CaseWorkflow.step(for: record.state)
        record.stepStartedAt = now
        recompute(record, category: category, calculator: calculator)
    }

    /// Recomputes step and overall due instants from their start instants, the category's limits, closed
    /// suspensions and approved extension days; sets ``Case/escalateAt`` to the earlier of the two.
    static func recompute(_ record: Case, category: Category, calculator: DeadlineCalculator) {
        var problems: [String] = []
        let suspensions = record.suspensionIntervals
        func due(from start: Date, _ limit: TimeLimit?, extend: Bool) -> Date? {
            guard let limit else { return nil }
            do {
                var result = try calculator.due(
                    start: start, limit: limit, clock: category.clock, suspensions: suspensions)
                if extend, record.extensionDays > 0 {
                    result = try calculator.due(
                        start: result.addingTimeInterval(-1),
                        limit: TimeLimit(value: record.extensionDays, unit: .workingDays), clock: category.clock)
                }
                return result
            } catch {
                problems.append("\(error)")
                return nil
            }
        }
        record.stepDueAt = record.step.flatMap {
            due(from: record.stepStartedAt, category.limits?.limit(for: $0), extend: $0 == .handle)
        }
        record.dueAt = due(from: record.createdAt, category.limits?.overall, extend: true)
        var seen = Set<String>()
        let distinct = problems.filter { seen.insert($0).inserted }
        record.timeLimitProblem = distinct.isEmpty ? nil : distinct.joined(separator: "; ")
        record.escalateAt = record.state.isOpen ? [record.stepDueAt, record.dueAt].compactMap { $0 }.min() : nil
    }
}
