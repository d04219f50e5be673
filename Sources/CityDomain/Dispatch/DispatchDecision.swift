import Foundation

/// Which unit a case goes to, by which rule, and why.
public struct DispatchDecision: Codable, Equatable, Sendable {
    /// Code of the chosen unit, e.g. `310115105.police`.
    public var unitCode: String
    /// Stable identifier of the rule that chose it: ``DispatchRule``'s raw value.
    public var rule: String
    /// Chinese reason: which unit, why, and what was skipped.
    public var reasonZh: String
    /// English reason: which unit, why, and what was skipped.
    public var reasonEn: String
    /// Units of the same kind further up the hierarchy, nearest first: where to reassign (改派) or escalate if the
    /// chosen unit returns the case; then the located region's operations centre when it is not already chosen.
    public var fallbacks: [String]

    /// Creates a decision.
    public init(unitCode: String, rule: String, reasonZh: String, reasonEn: String, fallbacks: [String] = []) {
        self.unitCode = unitCode
        self.rule = rule
        self.reasonZh = reasonZh
        self.reasonEn = reasonEn
        self.fallbacks = fallbacks
    }
}

/// The dispatch rules, as stored in ``DispatchDecision/rule``.
public enum DispatchRule: String, Codable, CaseIterable, Sendable {
    /// A unit of the category's kind at the category's level above (or at) the located region.
    case kindAtLevel = "kind_at_level"
    /// No such unit there; the nearest unit of that kind further up (street → district → city).
    case fallbackUp = "fallback_up"
    /// No unit of that kind anywhere up the chain; the nearest operations centre coordinates.
    case operationsCentre = "operations_centre"
}

/// Why a case could not be dispatched.
public enum DispatchError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The category is a grouping node, without a responsible kind or limits.
    case notDispatchable(categoryCode: String)
    /// The region code is not in the hierarchy.
    case unknownRegion(String)
    /// Neither a unit of the kind nor an operations centre exists on the path to the root.
    case noUnit(regionCode: String, kind: UnitKind)

    public var description: String {
        switch self {
        case .notDispatchable(let code):
            "Category \(code) is not dispatchable: it has no responsible unit kind or no time limits."
        case .unknownRegion(let code):
            "Region code \(code) is not in the region hierarchy."
        case .noUnit(let region, let kind):
            "No \(kind.rawValue) unit and no operations centre exists at region \(region) or any of its ancestors."
        }
    }
}
