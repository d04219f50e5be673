import Foundation

/// The promised (承诺) and legal (法定) due instants of an application, counted in working days on the China
/// calendar from acceptance, without the spans it waited for completion (补正).
///
/// Rule (DESIGN.md §4, day limits): the day of acceptance does not count; the limit ends at 24:00 Asia/Shanghai of
/// the N-th working day after it; a clock stop removes exactly its span. A limit of 0 days (即办件) ends at 24:00 of
/// the day of acceptance.
public struct ApplicationClock: Sendable, Equatable {
    /// When the application was accepted (nil: not yet accepted, no clock runs).
    public var acceptedAt: Date?
    /// Completed clock stops, and an open one ending `now` when the application waits for completion.
    public var stops: [DateInterval]

    public init(acceptedAt: Date?, stops: [DateInterval]) {
        self.acceptedAt = acceptedAt
        self.stops = stops
    }

    /// The due instant of a limit of `days` working days, or nil before acceptance.
    /// - Throws: `CalendarError.yearNotCovered` when the count needs a year the calendar lacks; `DeadlineError`.
    public func due(days: Int, deadlines: DeadlineCalculator) throws -> Date? {
        guard let acceptedAt else { return nil }
        if days == 0 {
            let day = CalendarDay(containing: acceptedAt)
            return day.adding(days: 1).startDate
        }
        return try deadlines.due(start: acceptedAt, limit: .workingDays(days), clock: .continuous, suspensions: stops)
    }
}
