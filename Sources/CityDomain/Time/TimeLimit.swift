/// The unit a time limit (时限) is given in. Raw values are the strings stored in the database and category
/// configuration (`"minutes"`, `"hours"`, `"working_days"`).
public enum TimeLimitUnit: String, Codable, Sendable, CaseIterable {
    /// Minutes, counted on the category's `HourClock`.
    case minutes
    /// Hours, counted on the category's `HourClock`.
    case hours
    /// Working days (工作日): the start day does not count; the limit ends at 24:00 Asia/Shanghai of the N-th
    /// working day after it (DESIGN.md §4).
    case workingDays = "working_days"
}

/// A time limit such as "dispatch within 30 minutes" or "handle within 3 working days" (承诺时限 or 法定时限).
///
/// A value type only: `DeadlineCalculator` turns it into a due instant. Encodes as `{"value": 3, "unit":
/// "working_days"}`. Rule source: DESIGN.md §4; CJ/T 315-2009 gives each case step such a limit.
public struct TimeLimit: Codable, Hashable, Sendable, CustomStringConvertible {
    /// How many `unit`s; must be positive for a deadline to be computed.
    public var value: Int
    /// The unit of `value`.
    public var unit: TimeLimitUnit

    /// A limit of `value` `unit`s.
    public init(value: Int, unit: TimeLimitUnit) {
        self.value = value
        self.unit = unit
    }

    /// `value` minutes.
    public static func minutes(_ value: Int) -> TimeLimit { TimeLimit(value: value, unit: .minutes) }
    /// `value` hours.
    public static func hours(_ value: Int) -> TimeLimit { TimeLimit(value: value, unit: .hours) }
    /// `value` working days.
    public static func workingDays(_ value: Int) -> TimeLimit { TimeLimit(value: value, unit: .workingDays) }

    /// Counted seconds in one `unit`: 60, 3 600, or 86 400 (a working day counts whole, midnight to midnight).
    public static func countedSeconds(per unit: TimeLimitUnit) -> Int {
        switch unit {
        case .minutes: return 60
        case .hours: return 3_600
        case .workingDays: return 86_400
        }
    }

    /// Chinese, for the console and notices: "30分钟", "4小时", "3个工作日".
    public var descriptionZh: String {
        switch unit {
        case .minutes: return "\(value)分钟"
        case .hours: return "\(value)小时"
        case .workingDays: return "\(value)个工作日"
        }
    }

    /// English: "30 minutes", "1 hour", "3 working days".
    public var descriptionEn: String {
        let one = value == 1
        switch unit {
        case .minutes: return one ? "1 minute" : "\(value) minutes"
        case .hours: return one ? "1 hour" : "\(value) hours"
        case .workingDays: return one ? "1 working day" : "\(value) working days"
        }
    }

    /// Same as `descriptionEn`.
    public var description: String { descriptionEn }
}
