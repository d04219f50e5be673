import Foundation

extension CaseWorkflow {
    /// Whether a case is overdue (超期): open, its clock running, and past its running step's due instant or its
    /// overall due instant.
    ///
    /// Source: CJ/T 315-2009 / GB/T 30428 give every case step (派遣, 处置, 核查) and the case as a whole (结案) a
    /// time limit, and evaluate cases by on-time closure (按期结案率); a suspension (挂账) stops the clock
    /// (DESIGN.md §4), so a suspended case is never overdue. A limit is met up to and including its due instant:
    /// a case is overdue only strictly after it (a day limit ending at 24:00 is kept by work done at 24:00).
    /// A missing due instant (no limit for the step, or one that could not be computed) is never passed.
    ///
    /// This is the one rule; the app derives its Fluent filter and SQL expression from it (`CaseOverdue` in
    /// `App/Queries`), and a test checks that every form picks the same cases on SQLite and PostgreSQL.
    /// - Parameters:
    ///   - state: the case's state; a closed case is never overdue.
    ///   - suspended: whether the case's clock is stopped (it has a suspension start and no end yet).
    ///   - stepDueAt: when the running step's limit ends, if it has one.
    ///   - dueAt: when the overall limit ends, if there is one.
    ///   - now: the instant to judge at.
    /// - Returns: true when open, not suspended and `stepDueAt < now` or `dueAt < now`.
    public static func isOverdue(state: CaseState, suspended: Bool, stepDueAt: Date?, dueAt: Date?, now: Date) -> Bool {
        guard state.isOpen, !suspended else { return false }
        return [stepDueAt, dueAt].contains { $0.map { $0 < now } ?? false }
    }

    /// Whether a case's running step is due soon (临期): its clock is running, it is not yet overdue, and less than
    /// a quarter of the step's span is left, counted in clock time from the step's start to its due instant.
    ///
    /// 7.5 minutes of a 30-minute dispatch, a day of a four-day span: a share rather than a fixed span, so short and
    /// long limits are flagged alike. The quarter is the console's choice (no standard names one); the step limits
    /// themselves are CJ/T 315-2009's (DESIGN.md §4).
    /// - Parameters:
    ///   - suspended: whether the case's clock is stopped (then it is never due soon).
    ///   - stepStartedAt: when the running step's clock started.
    ///   - stepDueAt: when the running step's limit ends; nil (no limit, or closed) is never due soon.
    ///   - now: the instant to judge at.
    /// - Returns: true when `now < stepDueAt` and `stepDueAt - now < (stepDueAt - stepStartedAt) / 4`.
    public static func isDueSoon(suspended: Bool, stepStartedAt: Date, stepDueAt: Date?, now: Date) -> Bool {
        guard let due = stepDueAt, due > now, !suspended else { return false }
        return due.timeIntervalSince(now) < due.timeIntervalSince(stepStartedAt) / 4
    }
}
