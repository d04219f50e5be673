import CityDomain
import Foundation

/// Sorts one hotline message: the classifier's broad theme, the fine category from the taxonomy rules with that
/// theme as a prior, and the place named in the text; then decides whether the message can be dispatched
/// automatically or needs a person (CityNet hotline issue §2–§4: 对外一口受理，内部分类处理).
///
/// A message is dispatched automatically when the address or text names a place below the city and either
/// - the rules found a fine category with confidence (``CategoryMatch/confidence``) at least ``threshold`` (the
///   router's sure kind is then offered to the dispatcher as a preference), or
/// - no rule dispatches (no category, or too weak) but the router is sure (``RouteSuggestion/abstains`` false): the
///   message is dispatched under the routing table's ``RoutingTable/routerCategory`` (a general request whose
///   alternatives are the kinds the router names) with the router's kind (issue 10 §2: rules and a learned router
///   side by side, the case recording which decided);
///
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
    ///   - assumingPlaceFound: decide as if a place below the city had been found (route-eval: its corpus
    ///     anonymises places); the places found are still reported.
    /// - Returns: theme, fine category, place, the router's suggestion and the decision. Never fails.
    public func triage(text: String, address: String? = nil, assumingPlaceFound: Bool = false) -> HotlineTriageResult {
        let classification = model.classify(text, topK: model.labels.count)
        let themeScores = classification.ranked.map { (label: $0.label, score: $0.score) }
        let match = rules.match(text, themeScores: themeScores)
        let placeText = [address, text].compactMap { $0 }.joined(separator: "\n")
        let place = places.extract(placeText)
        let route = router?.route(text, category: match)
        let decided = decide(match, route: route, placeFound: assumingPlaceFound || place.regionCode != nil)
        return HotlineTriageResult(
            theme: classification.label ?? "", themeConfidence: classification.confidence,
            themes: Array(classification.ranked.prefix(3)), explanation: classification.explanation,
            category: match, place: place, decision: decided.decision, route: route,
            noiseScenario: router?.table.noiseScenario(of: match), decidedBy: decided.by,
            preference: preference(route, decision: decided.decision))
    }

    /// The decision rule of the type's documentation.
    private func decide(_ match: CategoryMatch, route: RouteSuggestion?, placeFound: Bool) -> (
        decision: HotlineTriageResult.Decision, by: HotlineTriageResult.DecidedBy?
    ) {
        let ruleSure = match.best != nil && match.confidence >= threshold
        if let category = match.best, ruleSure, placeFound { return (.dispatch(categoryCode: category), .rules) }
        let routerSure =
            route.map { !$0.abstains } == true && router?.table.routerCategory.map(rules.leafCodes.contains) == true
        if !ruleSure, routerSure, placeFound, let code = router?.table.routerCategory {
            return (.dispatch(categoryCode: code), .router)
        }
        if (ruleSure || routerSure) && !placeFound { return (.person(reason: .noPlace), nil) }
        guard match.best != nil else { return (.person(reason: .noCategory), nil) }
        return (.person(reason: .lowConfidence(confidence: match.confidence, threshold: threshold)), nil)
    }

    /// The router's sure kind as the dispatcher's preference (source `router`, with the target's level); nil when
    /// the router abstains, or when it names the label the routing table gives the rules' own category
    /// (``RoutingTable/categoryLabels``): then the router agrees with the category, in its coarser vocabulary
    /// (`chengguan` for road maintenance too, `street_office` for the street's own offices), and the category's
    /// unit stands.
    private func preference(_ route: RouteSuggestion?, decision: HotlineTriageResult.Decision)
        -> DispatchPreference?
    {
        guard let route, let kind = route.preferredUnitKind else { return nil }
        if case .dispatch(let code) = decision, code != router?.table.routerCategory,
            router?.table.categoryLabels[code] == route.label
        {
            return nil
        }
        return DispatchPreference(kind: kind, source: "router", confidence: route.confidence, level: route.level)
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

    /// What decided an automatic dispatch.
    public enum DecidedBy: String, Sendable, Equatable, Codable {
        /// The taxonomy rules' fine category; the router's sure kind may still choose its unit (the case's
        /// `dispatch_basis` says so: `learned:` or `learned-outside:`).
        case rules
        /// The router alone, under ``RoutingTable/routerCategory``.
        case router
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
    /// What decided ``decision`` when it is a dispatch; nil when queued.
    public var decidedBy: DecidedBy?

    /// The router's sure kind, offered to the dispatcher (source `router`); nil when the router abstains, agrees
    /// with the rules' category, or there is none.
    public var preference: DispatchPreference?

    /// Creates a result.
    public init(
        theme: String, themeConfidence: Double, themes: [HotlineLabelScore], explanation: [HotlineFeatureWeight],
        category: CategoryMatch, place: PlaceResult, decision: Decision, route: RouteSuggestion? = nil,
        noiseScenario: String? = nil, decidedBy: DecidedBy? = nil, preference: DispatchPreference? = nil
    ) {
        self.decidedBy = decidedBy
        self.preference = preference
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
