import Foundation

/// Which unit a case goes to, by which rule, and why.
public struct DispatchDecision: Codable, Equatable, Sendable {
    /// Code of the chosen unit, e.g. `310115105.police`.
    public var unitCode: String
    /// Stable identifier of the rule that found the unit for the chosen responsibility: ``DispatchRule``'s raw value.
    public var rule: String
    /// Chinese reason: which unit, why, and what was skipped.
    public var reasonZh: String
    /// English reason: which unit, why, and what was skipped.
    public var reasonEn: String
    /// Units of the same kind further up the hierarchy, nearest first: where to reassign (改派) or escalate if the
    /// chosen unit returns the case; then the located region's operations centre when it is not already chosen.
    public var fallbacks: [String]
    /// What chose the responsibility: the category's rule, an alternative selected by a phrase, or a learned
    /// preference.
    public var basis: DispatchBasis
    /// The automatic chain, one hop per handover, from the receiving operations centre down to ``unitCode``
    /// (city centre → district centre → street/town centre → the acting unit); empty when the receiving centre is
    /// itself the unit.
    public var hops: [DispatchHop]

    /// Creates a decision.
    public init(
        unitCode: String, rule: String, reasonZh: String, reasonEn: String, fallbacks: [String] = [],
        basis: DispatchBasis, hops: [DispatchHop] = []
    ) {
        self.unitCode = unitCode
        self.rule = rule
        self.reasonZh = reasonZh
        self.reasonEn = reasonEn
        self.fallbacks = fallbacks
        self.basis = basis
        self.hops = hops
    }
}

/// One handover of the automatic dispatch chain: from an operations centre to the next centre down, or to the unit
/// that acts.
public struct DispatchHop: Codable, Hashable, Sendable {
    /// The unit handing the case on (an operations centre).
    public var fromUnitCode: String
    /// The unit receiving it.
    public var toUnitCode: String
    /// The rule that decided this hop: a ``DispatchHopRule`` raw value between centres, the decision's
    /// ``DispatchRule`` raw value on the last hop.
    public var rule: String
    /// Chinese reason.
    public var reasonZh: String
    /// English reason.
    public var reasonEn: String

    /// Creates a hop.
    public init(fromUnitCode: String, toUnitCode: String, rule: String, reasonZh: String, reasonEn: String) {
        self.fromUnitCode = fromUnitCode
        self.toUnitCode = toUnitCode
        self.rule = rule
        self.reasonZh = reasonZh
        self.reasonEn = reasonEn
    }
}

/// Rules of the hops between operations centres (分级派遣).
public enum DispatchHopRule: String, Codable, CaseIterable, Sendable {
    /// Down to the operations centre of the district the case is in.
    case placeDistrict = "place_district"
    /// Down to the street/town centre of the place: the matter is territorial (属地).
    case territorial
}

/// The dispatch rules, as stored in ``DispatchDecision/rule``.
public enum DispatchRule: String, Codable, CaseIterable, Sendable {
    /// A unit of the category's kind at the category's level above (or at) the located region.
    case kindAtLevel = "kind_at_level"
    /// No such unit there; the nearest unit of that kind further up (street → district → city).
    case fallbackUp = "fallback_up"
    /// No unit of that kind anywhere up the chain; the nearest operations centre coordinates.
    case operationsCentre = "operations_centre"
    /// Territorial (属地): the street/town centre of the place passes it to its own unit of the kind.
    case territorialUnit = "territorial_unit"
    /// Territorial: the street/town centre keeps it (the category says so, or the street has no unit of the kind)
    /// and re-dispatches it to one of its units or grid workers (下派).
    case territorialCentre = "territorial_centre"
    /// Territorial, but the place is known only down to a district (or not at all): that level's centre holds it
    /// until it passes it to the right street.
    case territorialUnlocated = "territorial_unlocated"
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
