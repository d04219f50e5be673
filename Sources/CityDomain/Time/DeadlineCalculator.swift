import Foundation

/// Computes when a time limit runs out, and how much of it is used up, on China's working-day calendar.
///
/// Rules (DESIGN.md §4; CJ/T 315-2009 gives each case step a limit):
/// - Working-day limits: the start day does not count; the limit ends at 24:00 Asia/Shanghai of the N-th working
///   day after it. Accepted Friday 2024-09-27 10:00 + 3 working days → due 2024-10-08 24:00, returned as the instant
///   2024-10-09T00:00+08:00.
/// - Minute and hour limits: on `HourClock.continuous` every second counts; on `.officeHours` only seconds inside
///   `officeHours` on working days count (4 hours from Friday 16:00 → 1.5 h on Friday, the rest from the next
///   working day's 09:00).
/// - Suspensions (clock stops) remove exactly the suspended span; they may overlap or come unsorted.
///
/// One model underlies all three: each clock counts some seconds after the start, suspended seconds count zero, and
/// the due instant is the first instant at which the counted seconds reach the limit. Cheap to copy and to call
/// from many threads: it holds only the precomputed calendar and the office hours.
public struct DeadlineCalculator: Sendable {
    /// Ten years of counted time, in seconds: the longest limit accepted.
    public static let maximumCountedSeconds = 3_653 * 86_400
    /// The most calendar days one computation scans before giving up with `DeadlineError.scanTooLong`.
    public static let maximumScannedDays = 40_000

    /// The working-day calendar days are counted on.
    public let calendar: WorkCalendar
    /// The office time used by `HourClock.officeHours`.
    public let officeHours: OfficeHours

    /// A calculator on `calendar` (usually `WorkCalendar.china()`), with `officeHours` for office-hour clocks.
    public init(calendar: WorkCalendar, officeHours: OfficeHours = .standard) {
        self.calendar = calendar
        self.officeHours = officeHours
    }

    /// The instant `limit` runs out for a clock that started at `start`.
    ///
    /// - Parameters:
    ///   - start: when the clock started (e.g. the case was accepted); any time zone, days are Asia/Shanghai.
    ///   - limit: the limit; its unit picks the counting rule.
    ///   - clock: for minute and hour limits, continuous or office hours; ignored for working-day limits.
    ///   - suspensions: spans during which the clock stood still; parts before `start` are ignored. An ongoing
    ///     suspension should be passed as ending now (the due instant then moves on as time passes).
    /// - Returns: the first instant at which the counted time reaches the limit. For working days it is 00:00
    ///   Asia/Shanghai of the day after the last counted day (that is, 24:00 of that day), unless a suspension cut
    ///   into a counted day.
    /// - Throws: `DeadlineError.nonPositiveLimit` / `.limitTooLong` for a bad limit; `CalendarError.yearNotCovered`
    ///   when the count needs a year outside the calendar (never for continuous limits);
    ///   `DeadlineError.scanTooLong` as a runaway guard.
    public func due(start: Date, limit: TimeLimit, clock: HourClock, suspensions: [DateInterval] = []) throws -> Date {
        var remaining = TimeInterval(try Self.countedSeconds(of: limit))
        var result = TimeInterval.nan
        try walker(start: start, unit: limit.unit, clock: clock, suspensions: suspensions).walk { a, b in
            guard b - a < remaining else {
                result = a + remaining
                return false
            }
            remaining -= b - a
            return true
        }
        // The walk ends only by reaching the limit or by throwing; keep the guard explicit all the same.
        guard result.isFinite else { throw DeadlineError.scanTooLong(days: Self.maximumScannedDays) }
        return Date(timeIntervalSince1970: result)
    }

    /// Counted seconds between `start` and `end` on the clock of a `unit` limit: how much of a limit is used up.
    ///
    /// - Parameters: as for `due`; `end` is usually now. Working days count 86 400 s each (from the day after the
    ///   start day); office hours count only office seconds on working days.
    /// - Returns: seconds, 0 when `end` ≤ `start`.
    /// - Throws: `CalendarError.yearNotCovered` when a day up to `end` is outside the calendar;
    ///   `DeadlineError.scanTooLong` as a runaway guard.
    public func countedSeconds(
        from start: Date, to end: Date, unit: TimeLimitUnit, clock: HourClock, suspensions: [DateInterval] = []
    ) throws -> TimeInterval {
        let endSeconds = end.timeIntervalSince1970
        guard endSeconds > start.timeIntervalSince1970 else { return 0 }
        var total: TimeInterval = 0
        try walker(start: start, unit: unit, clock: clock, suspensions: suspensions).walk(until: endSeconds) { a, b in
            total += min(b, endSeconds) - a
            return b < endSeconds
        }
        return total
    }

    /// The share of `limit` used up at `now`: 0 at the start, 1 at the due instant, above 1 when overdue.
    /// Useful for "due soon" (e.g. ≥ 0.8) and for the console's progress bars.
    /// - Throws: as `due` and `countedSeconds`.
    public func fractionUsed(
        start: Date, now: Date, limit: TimeLimit, clock: HourClock, suspensions: [DateInterval] = []
    ) throws -> Double {
        let total = TimeInterval(try Self.countedSeconds(of: limit))
        let used = try countedSeconds(from: start, to: now, unit: limit.unit, clock: clock, suspensions: suspensions)
        return used / total
    }

    /// The limit in counted seconds (`value` × 60, 3 600 or 86 400).
    /// - Throws: `DeadlineError.nonPositiveLimit` or `.limitTooLong`.
    static func countedSeconds(of limit: TimeLimit) throws(DeadlineError) -> Int {
        guard limit.value > 0 else { throw .nonPositiveLimit(limit) }
        let perUnit = TimeLimit.countedSeconds(per: limit.unit)
        guard limit.value <= maximumCountedSeconds / perUnit else { throw .limitTooLong(limit) }
        return limit.value * perUnit
    }

    private func walker(start: Date, unit: TimeLimitUnit, clock: HourClock, suspensions: [DateInterval])
        -> CountedTimeWalker
    {
        let rule: CountedTimeWalker.Rule =
            switch (unit, clock) {
            case (.workingDays, _): .workingDays
            case (_, .continuous): .continuous
            case (_, .officeHours): .officeHours
            }
        return CountedTimeWalker(
            calendar: calendar, officeHours: officeHours, rule: rule, start: start.timeIntervalSince1970,
            suspensions: suspensions.isEmpty ? [] : MergedSuspensions(suspensions).spans,
            maximumScannedDays: Self.maximumScannedDays)
    }
}
