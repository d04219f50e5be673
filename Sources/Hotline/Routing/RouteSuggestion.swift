import CityDomain
import Foundation

/// What decided a router suggestion.
public enum RouteEvidence: Sendable, Equatable, CustomStringConvertible {
    /// The taxonomy rules: fine category `category` fired (its `triggers` as in ``CategoryMatch/evidence``) and its
    /// learned label distribution outweighed the text model.
    case rule(category: String, triggers: [String])
    /// The learned text model: the character n-grams that weighed most for the label.
    case learned(features: [String])

    public var description: String {
        switch self {
        case .rule(let category, let triggers):
            "rule \(category)" + (triggers.isEmpty ? "" : " (" + triggers.joined(separator: ", ") + ")")
        case .learned(let features): "learned " + features.joined(separator: " ")
        }
    }
}

/// The router's suggestion for one message (CityNet issue 10 §2): the kind of unit that should act, with a
/// confidence and the evidence, or an abstention (queue for a person).
public struct RouteSuggestion: Sendable, Equatable {
    /// The most probable router label (``RoutingTable/labels``), e.g. `street_office`.
    public var label: String
    /// Its combined probability, 0…1.
    public var confidence: Double
    /// Up to three labels with their combined probabilities, most probable first.
    public var ranked: [HotlineLabelScore]
    /// What decided ``label``.
    public var evidence: RouteEvidence
    /// CityNet's unit kind for ``label`` (nil for `other`).
    public var unitKind: UnitKind?
    /// The level that unit works at (nil for `other`).
    public var level: RegionLevel?
    /// True when the router abstains: ``confidence`` is under the threshold, or the label has no unit kind.
    public var abstains: Bool

    /// The unit kind to prefer when dispatching, or nil when the router abstains.
    public var preferredUnitKind: UnitKind? { abstains ? nil : unitKind }

    /// Creates a suggestion.
    public init(
        label: String, confidence: Double, ranked: [HotlineLabelScore], evidence: RouteEvidence, unitKind: UnitKind?,
        level: RegionLevel?, abstains: Bool
    ) {
        self.label = label
        self.confidence = confidence
        self.ranked = ranked
        self.evidence = evidence
        self.unitKind = unitKind
        self.level = level
        self.abstains = abstains
    }
}
