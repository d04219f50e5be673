import CityDomain
import Foundation

/// Sorts one hotline message: the classifier's broad theme, the fine category from the taxonomy rules with that
/// theme as a prior, and the place named in the text; then decides whether the message can be dispatched
/// automatically or needs a person (CityNet hotline issue §2–§4: 对外一口受理，内部分类处理).
///
/// A message is dispatched automatically when the rules found a fine category, their confidence
/// (``CategoryMatch/confidence``) is at least ``threshold``, and the address or text names a place below the city;
/// otherwise it goes to the triage queue with the reason (a message naming no place stays with the centre that
/// received it, hotline issue §4). The theme alone never dispatches: the corpus's themes (城乡建设…) name no unit.
public struct HotlineTriage: Sendable {
    /// Default ``threshold``: 0.4. One plain two-character trigger with a neutral theme gives 0.5 and is
    /// dispatched; two equally strong scenarios (confidence halved, ≤ 0.25) or a weak single trigger that the theme
    /// argues against (0.5 × (0.5 + prior) < 0.4 when the prior is under 0.3) go to a person.
    public static let defaultThreshold = 0.4

    /// The theme classifier.
    public let model: HotlineModel
    /// The fine-category rules.
    public let rules: CategoryRules
    /// The place extractor.
    public let places: PlaceExtractor
    /// Smallest rule confidence dispatched without a person, 0…1.
    public let threshold: Double
    /// The unit-kind router (issue 10 §2), or nil for none; its suggestion is reported beside the decision.
    public let router: UnitRouter?

    /// - Parameters:
    ///   - model: e.g. `HotlineModel.bundledDefault()`.
    ///   - rules: e.g. `CategoryRules(taxonomy:)` over the taxonomy in force.
    ///   - places: e.g. `PlaceExtractor(hierarchy:)`.
    ///   - threshold: 0…1 (values outside are clamped), default ``defaultThreshold``.
    ///   - router: e.g. `UnitRouter.bundledDefault()`, or nil (no ``HotlineTriageResult/route``).
    public init(
        model: HotlineModel, rules: CategoryRules, places: PlaceExtractor, threshold: Double = defaultThreshold,
        router: UnitRouter? = nil
    ) {
        self.model = model
        self.rules = rules
        self.places = places
        self.threshold = threshold.isFinite ? min(max(threshold, 0), 1) : Self.defaultThreshold
        self.router = router
    }

    /// Triage of one message.
    /// - Parameters:
    ///   - text: the message, any Unicode; only the first 4,000 characters are read by the rules and places.
    ///   - address: the address the caller gave, if any; read for places before the text.
    /// - Returns: theme, fine category, place and the decision. Never fails.
    public func triage(text: String, address: String? = nil) -> HotlineTriageResult {
        let classification = model.classify(text, topK: model.labels.count)
        let themeScores = classification.ranked.map { (label: $0.label, score: $0.score) }
        let match = rules.match(text, themeScores: themeScores)
        let placeText = [address, text].compactMap { $0 }.joined(separator: "\n")
        let place = places.extract(placeText)
        let decision: HotlineTriageResult.Decision
        if let category = match.best {
            if match.confidence < threshold {
                decision = .person(reason: .lowConfidence(confidence: match.confidence, threshold: threshold))
            } else if place.regionCode == nil {
                decision = .person(reason: .noPlace)
            } else {
                decision = .dispatch(categoryCode: category)
            }
        } else {
            decision = .person(reason: .noCategory)
        }
        return HotlineTriageResult(
            theme: classification.label ?? "", themeConfidence: classification.confidence,
            themes: Array(classification.ranked.prefix(3)), explanation: classification.explanation,
            category: match, place: place, decision: decision, route: router?.route(text, category: match),
            noiseScenario: router?.table.noiseScenario(of: match))
    }
}

/// What ``HotlineTriage/triage(text:address:)`` found and decided.
public struct HotlineTriageResult: Sendable, Equatable {
    /// Why a person must look at a message.
    public enum PersonReason: Sendable, Equatable, CustomStringConvertible {
        /// No trigger phrase of any fine category fired.
        case noCategory
        /// The rules' confidence was under the threshold (two scenarios compete, or the theme argues against).
        case lowConfidence(confidence: Double, threshold: Double)
        /// The category is clear but no place below the city was named (or the names conflict).
        case noPlace

        public var description: String {
            switch self {
            case .noCategory: "no fine category recognised in the text"
            case .noPlace: "no place recognised in the address or text; the receiving centre locates it"
            case .lowConfidence(let confidence, let threshold):
                String(format: "category confidence %.2f is below the threshold %.2f", confidence, threshold)
            }
        }
    }

    /// Dispatch automatically, or queue for a person.
    public enum Decision: Sendable, Equatable {
        case dispatch(categoryCode: String)
        case person(reason: PersonReason)
    }

    /// The most probable broad theme (corpus label, e.g. 环境保护).
    public var theme: String
    /// Its calibrated probability, 0…1.
    public var themeConfidence: Double
    /// Up to three themes, most probable first.
    public var themes: [HotlineLabelScore]
    /// The n-grams that weighed most for the theme.
    public var explanation: [HotlineFeatureWeight]
    /// The fine-category match.
    public var category: CategoryMatch
    /// The places named.
    public var place: PlaceResult
    /// The decision.
    public var decision: Decision
    /// The router's suggestion of the kind of unit that should act (issue 10 §2), for the dispatcher to prefer;
    /// nil when triage runs without a router.
    public var route: RouteSuggestion?
    /// The noise scenario (``RoutingTable/noiseScenarios``) of the strongest noise category found, or nil.
    public var noiseScenario: String?

    /// Creates a result.
    public init(
        theme: String, themeConfidence: Double, themes: [HotlineLabelScore], explanation: [HotlineFeatureWeight],
        category: CategoryMatch, place: PlaceResult, decision: Decision, route: RouteSuggestion? = nil,
        noiseScenario: String? = nil
    ) {
        self.route = route
        self.noiseScenario = noiseScenario
        self.theme = theme
        self.themeConfidence = themeConfidence
        self.themes = themes
        self.explanation = explanation
        self.category = category
        self.place = place
        self.decision = decision
    }
}
