import Foundation

/// An alarm's severity, with the colour of China's four-level early-warning signals (蓝/黄/橙/红, as in the
/// national emergency plans and GB/T 27962-2011 meteorological warning signals): critical red, major orange,
/// minor yellow, warning blue. Raw values are stored in `alarm_rules.severity` and `alarms.severity`.
public enum AlarmSeverity: String, Codable, CaseIterable, Sendable, Comparable {
    case critical, major, minor, warning

    /// The warning colour: `red`, `orange`, `yellow` or `blue`.
    public var colour: String {
        switch self {
        case .critical: "red"
        case .major: "orange"
        case .minor: "yellow"
        case .warning: "blue"
        }
    }

    private var rank: Int {
        switch self {
        case .critical: 3
        case .major: 2
        case .minor: 1
        case .warning: 0
        }
    }

    public static func < (lhs: AlarmSeverity, rhs: AlarmSeverity) -> Bool { lhs.rank < rhs.rank }
}
