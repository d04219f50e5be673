import Foundation

/// The one "counted time" model behind every deadline (DESIGN.md §4).
///
/// A clock maps time after `start` to counted pieces: `continuous` counts everything; `officeHours` counts the
/// office periods of working days; `workingDays` counts each working day whole (86 400 s) from the day after the
/// start day. Suspended spans count zero. The walker hands the counted pieces, in order and with suspensions cut
/// out, to a visitor, which decides when to stop. All instants are seconds since 1970; days are Asia/Shanghai.
///
/// A working day counts its real length, midnight to midnight: 86 400 s on every day of the bundled table (Asia/Shanghai
/// has had no clock change since 1991); on a historical daylight-saving day it would count 23 or 25 hours.
struct CountedTimeWalker {
    enum Rule { case continuous, officeHours, workingDays }

    let calendar: WorkCalendar
    let officeHours: OfficeHours
    let rule: Rule
    let start: TimeInterval
    let suspensions: [(start: TimeInterval, end: TimeInterval)]
    let maximumScannedDays: Int

    /// Calls `visit(a, b)` for each counted piece `a..<b` after `start`, in order, until `visit` returns false or
    /// the next piece would begin at or after `until`.
    /// - Throws: `CalendarError.yearNotCovered` when a needed day is outside the table; `DeadlineError.scanTooLong`
    ///   past `maximumScannedDays`.
    func walk(until: TimeInterval = .infinity, _ visit: (TimeInterval, TimeInterval) -> Bool) throws {
        var cursor = Cursor(spans: suspensions)
        if rule == .continuous {
            _ = cursor.emit(start, .infinity, until: until, visit)
            return
        }
        let startDay = ShanghaiTime.localDay(of: Date(timeIntervalSince1970: start)).dayNumber
        var day = startDay
        var dayStart = ShanghaiTime.startOfDay(day).timeIntervalSince1970
        var scanned = 0
        while dayStart < until {
            scanned += 1
            guard scanned <= maximumScannedDays else { throw DeadlineError.scanTooLong(days: maximumScannedDays) }
            let nextStart = ShanghaiTime.startOfDay(day + 1).timeIntervalSince1970
            if let resume = cursor.endOfSuspension(covering: dayStart, nextStart) {
                // The whole day is suspended: jump to the day the suspension ends, without asking the calendar.
                guard resume < until else { return }
                day = max(day + 1, ShanghaiTime.localDay(of: Date(timeIntervalSince1970: resume)).dayNumber)
                dayStart = ShanghaiTime.startOfDay(day).timeIntervalSince1970
                continue
            }
            let counts = rule == .officeHours || day != startDay
            if counts, try calendar.isWorkingDay(dayNumber: day) {
                if rule == .workingDays {
                    guard cursor.emit(dayStart, nextStart, until: until, visit) else { return }
                } else {
                    for period in officeHours.periods {
                        let a = ShanghaiTime.instant(
                            minutes: period.start, intoDay: day, dayStart: dayStart, nextDayStart: nextStart)
                        let b = ShanghaiTime.instant(
                            minutes: period.end, intoDay: day, dayStart: dayStart, nextDayStart: nextStart)
                        guard b > start else { continue }
                        guard cursor.emit(max(a, start), b, until: until, visit) else { return }
                    }
                }
            }
            day += 1
            dayStart = nextStart
        }
    }

    /// Walks the suspensions alongside the counted pieces, which arrive in increasing order.
    private struct Cursor {
        let spans: [(start: TimeInterval, end: TimeInterval)]
        var index = 0

        /// If one suspension covers all of `dayStart..<nextStart`, the instant it ends.
        mutating func endOfSuspension(covering dayStart: TimeInterval, _ nextStart: TimeInterval) -> TimeInterval? {
            while index < spans.count, spans[index].end <= dayStart { index += 1 }
            guard index < spans.count, spans[index].start <= dayStart, spans[index].end >= nextStart else { return nil }
            return spans[index].end
        }

        /// Visits the parts of `a..<b` outside every suspension and before `until`; false once `visit` says stop
        /// or `until` is reached.
        mutating func emit(
            _ a: TimeInterval, _ b: TimeInterval, until: TimeInterval, _ visit: (TimeInterval, TimeInterval) -> Bool
        ) -> Bool {
            var a = a
            while index < spans.count, spans[index].end <= a { index += 1 }
            var next = index
            while a < b {
                guard a < until else { return false }
                if next < spans.count, spans[next].start < b {
                    let span = spans[next]
                    if span.start > a, !visit(a, span.start) { return false }
                    a = max(a, span.end)
                    next += 1
                } else {
                    return visit(a, b)
                }
            }
            return true
        }
    }
}
