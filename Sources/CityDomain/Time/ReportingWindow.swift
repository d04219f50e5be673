import Foundation

/// A span of whole Asia/Shanghai calendar days that the console counts within (issue #12 §4): today, the last 7 or
/// 30 days (today included), or a custom span from one day to another, both included.
///
/// In instants the window is [``start``, ``end``): 00:00 Beijing time of ``first`` up to 00:00 of the day after
/// ``last``. A custom window may not start after today, spans at most ``maxDays`` days, and one reaching past today
/// ends today (the days to come hold nothing to count).
public struct ReportingWindow: Equatable, Sendable {
    /// The windows the console offers: `today`, `7d`, `30d` and `custom` (the `?window=` values).
    public enum Choice: String, CaseIterable, Sendable {
        case today
        case week = "7d"
        case month = "30d"
        case custom
    }

    /// The longest custom window in days (a leap year): the reads stay those of one year of cases at most.
    public static let maxDays = 366

    public let choice: Choice
    /// The first and last Asia/Shanghai day counted, both included.
    public let first: CalendarDay
    public let last: CalendarDay

    /// A window of the days `first`…`last` (the caller keeps `first` ≤ `last`).
    public init(choice: Choice, first: CalendarDay, last: CalendarDay) {
        self.choice = choice
        self.first = first
        self.last = last
    }

    /// 00:00 Asia/Shanghai on ``first`` (included).
    public var start: Date { first.startDate }
    /// 00:00 Asia/Shanghai on the day after ``last`` (excluded).
    public var end: Date { last.adding(days: 1).startDate }
    /// Days counted (1 for today).
    public var dayCount: Int { last.dayNumber - first.dayNumber + 1 }
    /// Every day of the window, in order.
    public var days: [CalendarDay] { (first.dayNumber...last.dayNumber).map(CalendarDay.init(dayNumber:)) }

    /// The `days`-day window ending on `today` (today included).
    public static func lastDays(_ days: Int, endingOn today: CalendarDay, choice: Choice) -> ReportingWindow {
        ReportingWindow(choice: choice, first: today.adding(days: 1 - max(days, 1)), last: today)
    }

    /// Reads the console's window parameters.
    /// - Parameters:
    ///   - window: `today`, `7d`, `30d` or `custom`; blank or nil: `custom` when `from` or `to` is given, else no
    ///     window (nil is returned).
    ///   - from, to: for `custom`, the first and last day as `YYYY-MM-DD` (Asia/Shanghai calendar days); `to`
    ///     blank means today. Ignored by the other choices.
    ///   - today: the Asia/Shanghai day of the request's `now`.
    /// - Returns: the window, or nil when none was asked for.
    /// - Throws: ``ReportingWindowProblem`` naming the first wrong parameter.
    public static func parse(window: String?, from: String?, to: String?, today: CalendarDay)
        throws(ReportingWindowProblem) -> ReportingWindow?
    {
        let from = from.flatMap { $0.isEmpty ? nil : $0 }
        let to = to.flatMap { $0.isEmpty ? nil : $0 }
        let asked = window.flatMap { $0.isEmpty ? nil : $0 } ?? (from != nil || to != nil ? "custom" : nil)
        guard let asked else { return nil }
        guard let choice = Choice(rawValue: asked) else { throw .unknownWindow(asked) }
        switch choice {
        case .today: return lastDays(1, endingOn: today, choice: .today)
        case .week: return lastDays(7, endingOn: today, choice: .week)
        case .month: return lastDays(30, endingOn: today, choice: .month)
        case .custom:
            guard let fromText = from else { throw .missingFrom }
            guard let first = CalendarDay(fromText) else { throw .badDate(field: "from", value: fromText) }
            var last = today
            if let toText = to {
                guard let day = CalendarDay(toText) else { throw .badDate(field: "to", value: toText) }
                last = day
            }
            if last < first { throw .reversed(from: first, to: last) }
            if first > today { throw .future(from: first, today: today) }
            last = min(last, today)
            let days = last.dayNumber - first.dayNumber + 1
            if days > maxDays { throw .tooLong(days: days) }
            return ReportingWindow(choice: .custom, first: first, last: last)
        }
    }
}

/// Why window parameters were refused; the console renders each in the operator's language.
public enum ReportingWindowProblem: Error, Equatable, Sendable {
    /// `window` is none of ``ReportingWindow/Choice``.
    case unknownWindow(String)
    /// A custom window without its first day.
    case missingFrom
    /// `from` or `to` is not a date `YYYY-MM-DD`.
    case badDate(field: String, value: String)
    /// The last day comes before the first.
    case reversed(from: CalendarDay, to: CalendarDay)
    /// The window starts after today.
    case future(from: CalendarDay, today: CalendarDay)
    /// More than ``ReportingWindow/maxDays`` days.
    case tooLong(days: Int)
}

extension CalendarDay {
    /// Days since 1970-01-01 (negative before): the day buckets the database groups by.
    public var daysSince1970: Int { dayNumber }

    /// The day `days` after 1970-01-01.
    public init(daysSince1970 days: Int) { self.init(dayNumber: days) }

    /// The Monday starting this day's ISO 8601 week (Monday to Sunday).
    public var weekStart: CalendarDay { adding(days: 1 - weekday) }
}
