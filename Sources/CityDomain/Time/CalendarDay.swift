import Foundation

/// A calendar day in the Gregorian calendar, without a time or a time zone: "2024-10-08".
///
/// Days are the unit of the working-day calendar (DESIGN.md §4). Convert from an instant with
/// `CalendarDay(containing:)` and back with `startDate`, both in Asia/Shanghai. Encodes to and decodes from its ISO
/// 8601 string (`"2024-10-08"`), so it reads naturally in JSON and CSV.
public struct CalendarDay: Hashable, Comparable, Sendable, Codable, CustomStringConvertible, LosslessStringConvertible {
    /// The year, 1...9999.
    public let year: Int
    /// The month, 1...12.
    public let month: Int
    /// The day of the month, 1...31 (as the month allows).
    public let day: Int

    /// A day from its parts; `nil` unless the date exists (1...9999, valid month, valid day incl. 29 February).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
            day <= CalendarDay.daysInMonth(year: year, month: month)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses an ISO 8601 calendar date, exactly `YYYY-MM-DD` (e.g. `"2024-10-08"`); `nil` for anything else.
    public init?(_ description: String) {
        let bytes = Array(description.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// The Asia/Shanghai calendar day that contains the instant `date`.
    public init(containing date: Date) {
        self.init(dayNumber: ShanghaiTime.localDay(of: date).dayNumber)
    }

    /// The ISO 8601 form, `YYYY-MM-DD` (e.g. `"2024-10-08"`).
    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// The instant of 00:00 Asia/Shanghai at the start of this day.
    public var startDate: Date { ShanghaiTime.startOfDay(dayNumber) }

    /// ISO 8601 weekday: 1 = Monday … 7 = Sunday.
    public var weekday: Int { CalendarDay.weekday(ofDayNumber: dayNumber) }

    /// Whether the day is a Saturday or a Sunday (before holidays and adjusted working days are applied).
    public var isWeekend: Bool { weekday >= 6 }

    /// The day `days` calendar days later (earlier when negative); keep results within years 1...9999.
    public func adding(days: Int) -> CalendarDay { CalendarDay(dayNumber: dayNumber + days) }

    /// Chronological order: earlier days first.
    public static func < (lhs: CalendarDay, rhs: CalendarDay) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// Decodes from a JSON/plist string `"YYYY-MM-DD"`; throws `DecodingError.dataCorrupted` for anything else.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let day = CalendarDay(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected an ISO date YYYY-MM-DD, got '\(text)'")
        }
        self = day
    }

    /// Encodes as the string `"YYYY-MM-DD"`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
