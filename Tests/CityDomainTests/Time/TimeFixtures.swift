import Foundation

@testable import CityDomain

/// Shared helpers for the Time tests.
enum TimeFixtures {
    /// The bundled calendar (2004–2026); loading it is itself under test in `WorkCalendarTests`.
    static let china: WorkCalendar = try! WorkCalendar.china()
    static let calculator = DeadlineCalculator(calendar: china)

    /// An instant from an ISO 8601 text with offset, e.g. "2024-09-27T10:00:00+08:00".
    static func at(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        guard let date = formatter.date(from: text) else { fatalError("bad test instant \(text)") }
        return date
    }

    /// A suspension from `from` to `to` (ISO 8601 texts).
    static func span(_ from: String, _ to: String) -> DateInterval {
        DateInterval(start: at(from), end: at(to))
    }

    /// A calendar day from "YYYY-MM-DD".
    static func day(_ text: String) -> CalendarDay {
        guard let day = CalendarDay(text) else { fatalError("bad test day \(text)") }
        return day
    }

    /// The bundled CSV text.
    static let chinaCSV: String = {
        let url = Bundle.module.url(
            forResource: "Resources/china_holidays/china_public_holidays_and_workdays", withExtension: "csv")!
        return try! String(contentsOf: url, encoding: .utf8)
    }()
}
