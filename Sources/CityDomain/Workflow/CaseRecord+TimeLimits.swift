import Foundation

extension CaseRecord {
    /// Starts the clock of the step that runs in the current state (``CaseWorkflow/step(for:)``) at `now`, then
    /// recomputes the due instants as ``recomputeTimeLimits(category:deadlines:)`` does.
    public mutating func startStep(category: Category, deadlines: DeadlineCalculator, now: Date) {
        step = CaseWorkflow.step(for: state)
        stepStartedAt = now
        recomputeTimeLimits(category: category, deadlines: deadlines)
    }

    /// Recomputes the running step's and the whole case's due instants, and when the escalation sweep next looks.
    ///
    /// - The step's limit comes from the category's ``StepLimits`` (CJ/T 315-2009 steps), counted from
    ///   `stepStartedAt`; the overall limit from `createdAt`. Both skip the closed `suspensions`.
    /// - Approved `extensionDays` are working days added after the base due instant (DESIGN.md §4, day limits):
    ///   to the handle step and to the overall limit.
    /// - `escalateAt` becomes the earlier of the two due instants while the case is open, else nil.
    /// - When the calendar does not cover a date a limit needs, that due instant is nil and `timeLimitProblem`
    ///   says why (distinct problems joined by "; "): never a guess.
    public mutating func recomputeTimeLimits(category: Category, deadlines: DeadlineCalculator) {
        var problems: [String] = []
        func due(from start: Date, _ limit: TimeLimit?, extend: Bool) -> Date? {
            do {
                return try Self.due(
                    from: start, limit, extendedBy: extend ? extensionDays : 0, suspensions: suspensions,
                    clock: category.clock, deadlines: deadlines)
            } catch {
                problems.append("\(error)")
                return nil
            }
        }
        let stepDue = step.flatMap {
            due(from: stepStartedAt, category.limits?.limit(for: $0), extend: $0 == .handle)
        }
        let overallDue = due(from: createdAt, category.limits?.overall, extend: true)
        stepDueAt = stepDue
        dueAt = overallDue
        var seen = Set<String>()
        let distinct = problems.filter { seen.insert($0).inserted }
        timeLimitProblem = distinct.isEmpty ? nil : distinct.joined(separator: "; ")
        escalateAt = state.isOpen ? [stepDueAt, dueAt].compactMap { $0 }.min() : nil
    }

    /// When the sweep should look again after an escalation to the current level: one more limit of the running
    /// step (the handle limit when the step has none) after `now`, or nil at `maxLevel` (the top: nobody is left
    /// to escalate to). A date the calendar cannot count gives nil and records the problem in `timeLimitProblem`.
    public mutating func nextEscalation(category: Category, deadlines: DeadlineCalculator, now: Date, maxLevel: Int)
        -> Date?
    {
        guard workflow.escalationLevel < maxLevel, let step,
            let limit = category.limits?.limit(for: step) ?? category.limits?.handle
        else { return nil }
        do { return try deadlines.due(start: now, limit: limit, clock: category.clock) } catch {
            timeLimitProblem = Self.nextEscalationProblem + "\(error)"
            return nil
        }
    }

    /// Settles when the sweep next looks after the due instants were recomputed (``recomputeTimeLimits(category:deadlines:)``
    /// sets the earlier due instant): once escalated, the next escalation waits a full step limit whatever happens
    /// meanwhile, so the later of `previous` (the look before) and the recomputed one; a suspended case is not looked
    /// at (nil).
    public mutating func settleEscalationLook(previous: Date?) {
        if workflow.escalationLevel > 0, let previous, let computed = escalateAt {
            escalateAt = max(previous, computed)
        }
        if suspendedSince != nil { escalateAt = nil }
    }

    /// How `timeLimitProblem` begins when the calendar could not count the next escalation's look.
    public static let nextEscalationProblem = "next escalation: "

    /// `limit` from `start`, skipping `suspensions`, plus `extensionDays` working days after that instant.
    private static func due(
        from start: Date, _ limit: TimeLimit?, extendedBy extensionDays: Int, suspensions: [DateInterval],
        clock: HourClock, deadlines: DeadlineCalculator
    ) throws -> Date? {
        guard let limit else { return nil }
        var result = try deadlines.due(start: start, limit: limit, clock: clock, suspensions: suspensions)
        if extensionDays > 0 {
            // From just before the base instant, so that a limit ending at 24:00 counts the next working days.
            result = try deadlines.due(
                start: result.addingTimeInterval(-1), limit: TimeLimit(value: extensionDays, unit: .workingDays),
                clock: clock)
        }
        return result
    }
}
