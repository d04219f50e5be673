/// Why a list of periods is not valid office hours.
public enum OfficeHoursError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No period at all: an office-hours clock would never run.
    case noPeriods
    /// Period number `index` (0-based) is empty, reversed or outside the day (minutes `start`..<`end`).
    case invalidPeriod(index: Int, start: Int, end: Int)
    /// Period number `index` starts before the previous one ends.
    case overlapping(index: Int)

    /// One English sentence naming the period.
    public var description: String {
        switch self {
        case .noPeriods:
            return "office hours need at least one period"
        case .invalidPeriod(let index, let start, let end):
            return "office-hours period \(index) (\(start)–\(end) minutes after midnight) must satisfy "
                + "0 ≤ start < end ≤ 1440"
        case .overlapping(let index):
            return "office-hours period \(index) starts before period \(index - 1) ends; list periods in order, "
                + "without overlap"
        }
    }
}
