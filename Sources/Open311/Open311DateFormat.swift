import Foundation

/// Writes and reads the date-times of GeoReport v2 ("Date/time format": the W3C profile of ISO 8601, with `Z` or an
/// `±hh:mm` offset always present).
///
/// CityNet writes every date-time in Asia/Shanghai at whole seconds, e.g. `2026-11-29T19:14:06+08:00` (fractions are
/// truncated). It reads any offset, `Z`, optional seconds and fractions, and a bare date such as `2026-11-01`, which
/// it takes as that calendar day in Asia/Shanghai.
public enum Open311DateFormat {
    /// Asia/Shanghai from the system's time zone database, or a fixed UTC+8 if the database is missing.
    public static let timeZone: TimeZone =
        TimeZone(identifier: Open311Info.timeZoneIdentifier) ?? TimeZone(secondsFromGMT: 8 * 3600)!

    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }()

    /// Formats an instant as a W3C date-time in Asia/Shanghai, e.g. `2026-11-29T19:14:06+08:00`.
    ///
    /// - Parameter date: any instant; sub-second parts are dropped (rounded down).
    /// - Returns: `yyyy-MM-ddTHH:mm:ss+08:00` (the offset is the one in force in Shanghai at that instant).
    public static func string(from date: Date) -> String {
        let whole = Date(timeIntervalSince1970: (date.timeIntervalSince1970).rounded(.down))
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: whole)
        let offset = timeZone.secondsFromGMT(for: whole)
        let sign = offset < 0 ? "-" : "+"
        let hours = abs(offset) / 3600
        let minutes = abs(offset) % 3600 / 60
        return pad(c.year!, 4) + "-" + pad(c.month!, 2) + "-" + pad(c.day!, 2) + "T" + pad(c.hour!, 2) + ":"
            + pad(c.minute!, 2) + ":" + pad(c.second!, 2) + sign + pad(hours, 2) + ":" + pad(minutes, 2)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// What a date parameter held.
    public enum Parsed: Equatable, Sendable {
        /// A full date-time with an offset. `precision` is the length of its last written unit in seconds
        /// (60 for `hh:mm`, 1 for `hh:mm:ss`, 0.001 for `hh:mm:ss.sss`), used to read an end date inclusively.
        case instant(Date, precision: TimeInterval)
        /// A bare calendar date, read as the whole day in Asia/Shanghai: `start` is 00:00 that day, `end` 00:00
        /// the next day.
        case day(start: Date, end: Date)
    }

    /// Why a date parameter could not be read.
    public enum ParseFailure: Error, Equatable, Sendable {
        /// Not a W3C date or date-time at all.
        case malformed
        /// A date-time without `Z` or an offset: GeoReport v2 requires one.
        case missingOffset
        /// Well-formed, but no such day or time (2026-02-30, 24:10).
        case impossible
    }

    /// Reads a W3C date-time (`2026-11-01T08:00:00+08:00`, `…Z`, `…T08:00+08:00`, `…T08:00:00.250Z`) or a bare date
    /// (`2026-11-01`).
    ///
    /// Lenient where clients commonly slip: `t`/`z` in lower case, an offset without a colon (`+0800`), and a space
    /// where the offset's `+` was (an unencoded `+` in a query string arrives as a space).
    ///
    /// - Parameter text: the parameter's value, surrounding whitespace ignored.
    /// - Returns: the instant with its precision, or the day's bounds in Asia/Shanghai.
    /// - Throws: `ParseFailure` saying whether the text is malformed, lacks an offset, or names an impossible time.
    public static func parse(_ text: String) throws(ParseFailure) -> Parsed {
        // Surrounding whitespace is noise; a space inside (before the offset digits) is a mangled "+".
        let s = text.trimmingCharacters(in: .whitespacesAndNewlines)
        var scanner = Scanner(Array(s.utf8))
        guard let year = scanner.digits(4), scanner.take("-"), let month = scanner.digits(2), scanner.take("-"),
            let day = scanner.digits(2)
        else { throw .malformed }
        if scanner.atEnd {
            guard let start = makeDate(year, month, day, 0, 0, 0, 0, timeZone: timeZone),
                let end = calendar.date(byAdding: .day, value: 1, to: start)
            else { throw .impossible }
            return .day(start: start, end: end)
        }
        guard scanner.take("T") || scanner.take("t"), let hour = scanner.digits(2), scanner.take(":"),
            let minute = scanner.digits(2)
        else { throw .malformed }
        var second = 0
        var nanos = 0
        var precision: TimeInterval = 60
        if scanner.take(":") {
            guard let s = scanner.digits(2) else { throw .malformed }
            second = s
            precision = 1
            if scanner.take(".") {
                let start = scanner.position
                while let d = scanner.peekDigit() { _ = d; scanner.position += 1 }
                let count = scanner.position - start
                guard count > 0, count <= 9 else { throw .malformed }
                let fraction = scanner.bytes[start..<scanner.position].reduce(0) { $0 * 10 + Int($1 - 48) }
                nanos = fraction * Int(pow(10, Double(9 - count)))
                precision = pow(10, -Double(count))
            }
        }
        if scanner.atEnd { throw .missingOffset }
        let zone: TimeZone
        if scanner.take("Z") || scanner.take("z") {
            zone = TimeZone(secondsFromGMT: 0)!
        } else {
            let sign: Int
            if scanner.take("+") || scanner.take(" ") {
                sign = 1
            } else if scanner.take("-") {
                sign = -1
            } else {
                throw .malformed
            }
            guard let oh = scanner.digits(2) else { throw .malformed }
            _ = scanner.take(":")
            guard let om = scanner.digits(2) else { throw .malformed }
            guard oh <= 18, om <= 59, let tz = TimeZone(secondsFromGMT: sign * (oh * 3600 + om * 60)) else {
                throw .impossible
            }
            zone = tz
        }
        guard scanner.atEnd else { throw .malformed }
        guard hour <= 23, minute <= 59, second <= 59,
            let date = makeDate(year, month, day, hour, minute, second, nanos, timeZone: zone)
        else { throw .impossible }
        return .instant(date, precision: precision)
    }

    private static func makeDate(
        _ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int, _ nanos: Int,
        timeZone: TimeZone
    ) -> Date? {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = timeZone
        let comps = DateComponents(
            calendar: cal, timeZone: timeZone, year: year, month: month, day: day, hour: hour, minute: minute,
            second: second)
        guard (1...12).contains(month), comps.isValidDate(in: cal), let date = cal.date(from: comps) else {
            return nil
        }
        return date.addingTimeInterval(Double(nanos) / 1e9)
    }

    private struct Scanner {
        let bytes: [UInt8]
        var position = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }
        var atEnd: Bool { position == bytes.count }
        func peekDigit() -> UInt8? {
            guard position < bytes.count, (48...57).contains(bytes[position]) else { return nil }
            return bytes[position]
        }
        mutating func take(_ c: Character) -> Bool {
            guard position < bytes.count, bytes[position] == c.asciiValue! else { return false }
            position += 1
            return true
        }
        mutating func digits(_ n: Int) -> Int? {
            guard position + n <= bytes.count else { return nil }
            var value = 0
            for i in position..<(position + n) {
                guard (48...57).contains(bytes[i]) else { return nil }
                value = value * 10 + Int(bytes[i] - 48)
            }
            position += n
            return value
        }
    }
}
