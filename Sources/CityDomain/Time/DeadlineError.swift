/// Why a deadline or a used-up share of a limit cannot be computed (besides `CalendarError.yearNotCovered`).
public enum DeadlineError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The limit's value is zero or negative.
    case nonPositiveLimit(TimeLimit)
    /// The limit is longer than `DeadlineCalculator.maximumCountedSeconds` (ten years of counted time): surely a
    /// configuration mistake, refused rather than computed.
    case limitTooLong(TimeLimit)
    /// The count scanned more than `DeadlineCalculator.maximumScannedDays` calendar days without finishing (a guard
    /// against runaway loops with a very long holiday table).
    case scanTooLong(days: Int)

    /// One English sentence naming the limit.
    public var description: String {
        switch self {
        case .nonPositiveLimit(let limit):
            return "a time limit must be positive, got \(limit.descriptionEn)"
        case .limitTooLong(let limit):
            return "the time limit \(limit.descriptionEn) is longer than ten years of counted time"
        case .scanTooLong(let days):
            return "the deadline count gave up after scanning \(days) calendar days"
        }
    }
}
