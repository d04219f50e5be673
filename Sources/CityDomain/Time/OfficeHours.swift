/// The daily office time of a responsible unit: periods in minutes after local midnight (Asia/Shanghai), used by
/// `HourClock.officeHours` limits on working days (DESIGN.md §4).
///
/// Always valid once built: at least one period; each with 0 ≤ start < end ≤ 1440; in order and not overlapping
/// (one may end where the next starts). Decoding validates the same way. JSON: `{"periods": [{"start": 540,
/// "end": 720}, {"start": 780, "end": 1050}]}`.
public struct OfficeHours: Codable, Hashable, Sendable {
    /// One span of office time in a day, `start..<end` in minutes after local midnight (09:00 = 540).
    public struct Period: Codable, Hashable, Sendable {
        /// Minutes after local midnight at which the period starts (inclusive).
        public var start: Int
        /// Minutes after local midnight at which the period ends (exclusive); 1440 = 24:00.
        public var end: Int

        /// A period from `start` to `end` minutes after local midnight; checked when put into `OfficeHours`.
        public init(start: Int, end: Int) {
            self.start = start
            self.end = end
        }

        /// A period from `startHour:startMinute` to `endHour:endMinute` local time, e.g. `(9, 0, 12, 0)`.
        public init(_ startHour: Int, _ startMinute: Int, to endHour: Int, _ endMinute: Int) {
            self.init(start: startHour * 60 + startMinute, end: endHour * 60 + endMinute)
        }
    }

    /// The periods, in order.
    public let periods: [Period]

    /// Office hours made of `periods`.
    /// - Throws: `OfficeHoursError` when there is no period, a period is empty, reversed or outside 0...1440, or
    ///   periods are out of order or overlap.
    public init(periods: [Period]) throws(OfficeHoursError) {
        guard !periods.isEmpty else { throw .noPeriods }
        for (index, period) in periods.enumerated() {
            guard period.start >= 0, period.end <= 1_440, period.start < period.end else {
                throw .invalidPeriod(index: index, start: period.start, end: period.end)
            }
            if index > 0, period.start < periods[index - 1].end {
                throw .overlapping(index: index)
            }
        }
        self.periods = periods
    }

    /// 09:00–12:00 and 13:00–17:30, a common civil-service day in China.
    ///
    /// A configurable default, not a standard: no national rule fixes office hours; each responsible unit's real
    /// hours belong in its configuration.
    public static let standard: OfficeHours = try! OfficeHours(periods: [
        Period(9, 0, to: 12, 0), Period(13, 0, to: 17, 30),
    ])

    /// Total office minutes in one working day (450 for `standard`).
    public var minutesPerDay: Int { periods.reduce(0) { $0 + $1.end - $1.start } }

    private enum CodingKeys: String, CodingKey { case periods }

    /// Decodes `{"periods": [...]}` and validates as `init(periods:)` does (throws that `OfficeHoursError`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(periods: container.decode([Period].self, forKey: .periods))
    }
}
