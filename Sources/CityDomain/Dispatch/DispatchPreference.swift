/// A unit kind preferred by a learned router (text → unit kind), offered to the dispatcher beside the taxonomy's
/// rules.
///
/// When the category allows that kind (``Category/allowedKinds``) the dispatcher selects the alternative of that kind
/// (or, for the operations centre, the street/town centre of a territorial category); when it does not, the kind is
/// used at ``level`` unless the category is urgent or fixed-units (``ResponsibilityRules``). An alternative chosen by a phrase in
/// the text wins over a preference; a preference wins over the category's usual responsibility. Whatever decides
/// is recorded (``DispatchBasis``).
public struct DispatchPreference: Codable, Hashable, Sendable {
    /// The preferred kind.
    public var kind: UnitKind
    /// Which signal it came from, e.g. `router` or `router:v2`; recorded on the case.
    public var source: String
    /// The signal's confidence, 0…1, if it gives one; recorded, not used by the dispatcher.
    public var confidence: Double?
    /// The level the preferred unit works at (the routing table's target: a 派出所 at the street, a bureau at the
    /// district); nil means the district. Used only for a kind the category does not list.
    public var level: RegionLevel?

    /// Creates a preference.
    public init(kind: UnitKind, source: String, confidence: Double? = nil, level: RegionLevel? = nil) {
        self.kind = kind
        self.source = source
        self.confidence = confidence
        self.level = level
    }
}
