import Foundation

/// How urgent a case is. `Comparable` puts the most urgent first: `.urgent < .high < .normal < .low`, so sorting a
/// queue ascending serves urgent cases first.
public enum CasePriority: String, Codable, CaseIterable, Comparable, Sendable {
    /// Danger to life or property now (a blocked fire lane, ice on a bridge deck, a burst water main).
    case urgent
    /// Harm that grows by the hour (night-time noise, road ponding, congestion).
    case high
    /// Ordinary nuisances and defects.
    case normal
    /// Cosmetic issues (small advertisements).
    case low

    /// Rank, 0 for urgent.
    public var rank: Int {
        switch self {
        case .urgent: 0
        case .high: 1
        case .normal: 2
        case .low: 3
        }
    }

    /// Chinese name: 紧急, 高, 一般, 低.
    public var nameZh: String {
        switch self {
        case .urgent: "紧急"
        case .high: "高"
        case .normal: "一般"
        case .low: "低"
        }
    }

    /// More urgent sorts first.
    public static func < (lhs: CasePriority, rhs: CasePriority) -> Bool { lhs.rank < rhs.rank }
}
