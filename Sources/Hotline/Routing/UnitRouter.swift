import CityDomain
import Foundation

/// Sends a message to the kind of unit that acts on it (CityNet issue 10 §2): a text model trained on handled cases
/// combined with the taxonomy rules, abstaining when unsure.
///
/// For a text `x` whose rules found fine category `c` with rule confidence `r` (``CategoryMatch/confidence``):
///
///     p(label) = (1 − λ) × model(label | x) + λ × prior_c(label)      λ = ruleWeight × r
///
/// `model` is a ``HotlineModel`` trained on router labels (calibrated probabilities); `prior_c` is the label
/// distribution learned for category `c` from the training messages where `c` was the rules' best category,
/// smoothed towards the routing table's default label for `c` (``RoutingTable/categoryLabels``). Without a category,
/// `p = model`. The suggestion is the most probable label; the router abstains when that probability is under
/// ``threshold`` or the label maps to no unit kind (`other`).
public struct UnitRouter: Sendable, Equatable {
    /// Default ``ruleWeight``: 0.6 (5-fold CV on the shipped labels; see `Resources/ROUTING.md`).
    public static let defaultRuleWeight = 0.6
    /// Default ``threshold``: 0.4 (see the trade-off curve in `Resources/ROUTING.md`).
    public static let defaultThreshold = 0.4

    /// The text model over router labels.
    public let model: HotlineModel
    /// Category code → (label → probability), learned from training messages; each sums to 1.
    public let categoryPriors: [String: [String: Double]]
    /// The vocabulary's targets and the default label per category.
    public let table: RoutingTable
    /// Weight of the rules against the model, 0…1.
    public let ruleWeight: Double
    /// Smallest combined probability dispatched without a person, 0…1.
    public let threshold: Double

    /// Creates a router from its parts.
    /// - Parameters:
    ///   - model: a ``HotlineModel`` whose labels are router labels.
    ///   - categoryPriors: learned label distributions per category (see ``train(_:rules:table:options:)``).
    ///   - table: e.g. ``RoutingTable/bundledDefault()``.
    ///   - ruleWeight: 0…1, clamped; default ``defaultRuleWeight``.
    ///   - threshold: 0…1, clamped; default ``defaultThreshold``.
    public init(
        model: HotlineModel, categoryPriors: [String: [String: Double]], table: RoutingTable,
        ruleWeight: Double = defaultRuleWeight, threshold: Double = defaultThreshold
    ) {
        self.model = model
        self.categoryPriors = categoryPriors
        self.table = table
        self.ruleWeight = ruleWeight.isFinite ? min(max(ruleWeight, 0), 1) : Self.defaultRuleWeight
        self.threshold = threshold.isFinite ? min(max(threshold, 0), 1) : Self.defaultThreshold
    }

    /// The same router with another threshold (0…1, clamped).
    public func with(threshold: Double) -> UnitRouter {
        UnitRouter(
            model: model, categoryPriors: categoryPriors, table: table, ruleWeight: ruleWeight, threshold: threshold)
    }

    /// The label distribution the rules give category `code`: the learned prior, else all mass on the table's
    /// default label, else nil (category unknown to both).
    public func prior(of code: String) -> [String: Double]? {
        categoryPriors[code] ?? table.categoryLabels[code].map { [$0: 1] }
    }

    /// Routes one message.
    /// - Parameters:
    ///   - text: the message, any Unicode.
    ///   - category: what the taxonomy rules found (``CategoryRules/match(_:themeScores:)``); ``CategoryMatch/none``
    ///     when none fired.
    /// - Returns: the suggestion; never fails.
    public func route(_ text: String, category: CategoryMatch) -> RouteSuggestion {
        let classification = model.classify(text, topK: model.labels.count)
        var combined: [String: Double] = [:]
        var lambda = 0.0
        var rulePrior: [String: Double] = [:]
        if let code = category.best, let prior = prior(of: code) {
            lambda = ruleWeight * min(max(category.confidence, 0), 1)
            rulePrior = prior
        }
        for score in classification.ranked { combined[score.label, default: 0] += (1 - lambda) * score.score }
        for (label, p) in rulePrior { combined[label, default: 0] += lambda * p }
        let ranked = combined.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
            .map { HotlineLabelScore(label: $0.key, score: $0.value) }
        let best = ranked.first ?? HotlineLabelScore(label: "other", score: 0)
        let modelShare = (1 - lambda) * (classification.ranked.first { $0.label == best.label }?.score ?? 0)
        let ruleShare = lambda * (rulePrior[best.label] ?? 0)
        let evidence: RouteEvidence
        if let code = category.best, ruleShare > modelShare {
            evidence = .rule(category: code, triggers: category.evidence.filter { $0.hasSuffix("→" + code) })
        } else {
            let features = best.label == classification.label ? classification.explanation.prefix(5).map(\.feature) : []
            evidence = .learned(features: features)
        }
        let target = table.target(of: best.label)
        return RouteSuggestion(
            label: best.label, confidence: best.score, ranked: Array(ranked.prefix(3)), evidence: evidence,
            unitKind: target?.unitKind, level: target?.level, abstains: target == nil || best.score < threshold)
    }
}
