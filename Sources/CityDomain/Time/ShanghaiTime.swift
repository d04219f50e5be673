import Foundation

/// The civil time every CityNet day count uses: the Gregorian calendar in the `Asia/Shanghai` time zone (UTC+08:00,
/// no daylight saving since 1991).
///
/// DESIGN.md §4: day limits end at "24:00 Asia/Shanghai", whatever the time zone of the server or the operator.
/// Domain code converts between `Date` and `CalendarDay` through `CalendarDay(containing:)` and
/// `CalendarDay.startDate`, which use `timeZone` directly (fast, no `Calendar` call on the hot path); `calendar` is
/// here for the app layer's formatting and for tests that cross-check that arithmetic against Foundation.
public enum ShanghaiTime {
    /// The `Asia/Shanghai` time zone.
    public static let timeZone: TimeZone = {
        guard let zone = TimeZone(identifier: "Asia/Shanghai") else {
            // Every tz database ships this zone; without it no deadline can be computed correctly.
            fatalError("time zone Asia/Shanghai is missing from this system's tz database")
        }
        return zone
    }()

    /// A Gregorian `Calendar` whose `timeZone` is `Asia/Shanghai` (Monday is the first weekday, ISO 8601 style).
    public static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        calendar.firstWeekday = 2
        calendar.minimumDaysInFirstWeek = 4
        return calendar
    }()

    /// Seconds in a calendar day without a time-zone transition.
    static let secondsPerDay: TimeInterval = 86_400

    /// The day number (days since 1970-01-01) of the Asia/Shanghai calendar day containing `date`, and the seconds
    /// elapsed since that day's local midnight.
    static func localDay(of date: Date) -> (dayNumber: Int, secondsIntoDay: TimeInterval) {
        let local = date.timeIntervalSince1970 + TimeInterval(timeZone.secondsFromGMT(for: date))
        let dayNumber = Int((local / secondsPerDay).rounded(.down))
        return (dayNumber, local - TimeInterval(dayNumber) * secondsPerDay)
    }

    /// The instant of 00:00 Asia/Shanghai on day number `dayNumber` (days since 1970-01-01).
    static func startOfDay(_ dayNumber: Int) -> Date {
        let localMidnight = TimeInterval(dayNumber) * secondsPerDay
        // Two passes: the offset in force at midnight may differ from the one at the first guess.
        var offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: localMidnight))
        offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: localMidnight - TimeInterval(offset)))
        return Date(timeIntervalSince1970: localMidnight - TimeInterval(offset))
    }
}

extension ShanghaiTime {
    /// The instant `minutes` after 00:00 Asia/Shanghai on day number `dayNumber` (1440 = the next midnight), as
    /// seconds since 1970. `dayStart`/`nextDayStart` are that day's and the next day's midnights.
    ///
    /// On a day of normal length this is plain addition; on a day with a clock change (none in Asia/Shanghai since
    /// 1991) the Gregorian calendar resolves the local wall time.
    static func instant(
        minutes: Int, intoDay dayNumber: Int, dayStart: TimeInterval, nextDayStart: TimeInterval
    ) -> TimeInterval {
        if nextDayStart - dayStart == secondsPerDay || minutes == 0 || minutes >= 1_440 {
            return minutes >= 1_440 ? nextDayStart : dayStart + TimeInterval(minutes * 60)
        }
        let day = CalendarDay(dayNumber: dayNumber)
        let parts = DateComponents(
            year: day.year, month: day.month, day: day.day, hour: minutes / 60, minute: minutes % 60)
        return calendar.date(from: parts)?.timeIntervalSince1970 ?? dayStart + TimeInterval(minutes * 60)
    }
}
