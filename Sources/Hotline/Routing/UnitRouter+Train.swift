import Foundation

/// One message labelled with the kind of unit that acted on it (a router label, ``RoutingTable/labels``).
public struct RouteExample: Sendable, Equatable, Hashable {
    /// The message as received.
    public var text: String
    /// Router label, e.g. `street_office`.
    public var unitKind: String
    /// Noise scenario (``RoutingTable/noiseScenarios``) when the message is a noise complaint and it is known.
    public var noiseScenario: String?

    /// Creates an example.
    public init(text: String, unitKind: String, noiseScenario: String? = nil) {
        self.text = text
        self.unitKind = unitKind
        self.noiseScenario = noiseScenario
    }
}

extension UnitRouter {
    /// Pseudo-count of the table's default label in a learned category prior.
    static let priorPseudoCount = 3.0

    /// Trains a router.
    ///
    /// The text model is ``HotlineModel/train(_:options:)`` on (text, router label). Each category's prior counts
    /// the router labels of the training messages whose best rule category is that category, plus
    /// ``priorPseudoCount`` for the table's default label of the category, normalised. Deterministic.
    /// - Parameters:
    ///   - examples: labelled messages (weak labels from replies, operators' decisions); at least two labels.
    ///   - rules: the taxonomy rules in force, run on every text as triage runs them: with `themeModel`'s theme
    ///     scores as the prior, or without (neutral prior) when `themeModel` is nil.
    ///   - themeModel: the theme classifier triage uses, or nil.
    ///   - table: the routing table.
    ///   - ruleWeight, threshold: as ``init(model:categoryPriors:table:ruleWeight:threshold:)``.
    ///   - options: text-model settings; default the plain `HotlineTrainingOptions()` (not the theme classifier's
    ///     `.theme`: its NB scaling lowered the router's CV first-dispatch accuracy from 0.472 to 0.455).
    /// - Throws: ``HotlineTrainingError`` as ``HotlineModel/train(_:options:)``.
    public static func train(
        _ examples: [RouteExample], rules: CategoryRules, themeModel: HotlineModel? = nil, table: RoutingTable,
        ruleWeight: Double = defaultRuleWeight,
        threshold: Double = defaultThreshold, options: HotlineTrainingOptions = .init()
    ) throws -> UnitRouter {
        let model = try HotlineModel.train(
            examples.map { HotlineExample(label: $0.unitKind, text: $0.text) }, options: options)
        let categories = examples.map { rules.match($0.text, themeScores: themeScores(themeModel, $0.text)).best }
        return UnitRouter(
            model: model, categoryPriors: learnPriors(examples, categories: categories, table: table), table: table,
            ruleWeight: ruleWeight, threshold: threshold)
    }

    /// The theme scores triage gives the rules for `text` (empty without a model).
    static func themeScores(_ model: HotlineModel?, _ text: String) -> [(label: String, score: Double)] {
        guard let model else { return [] }
        return model.classify(text, topK: model.labels.count).ranked.map { (label: $0.label, score: $0.score) }
    }

    /// Category priors from labelled messages and their rule categories (`nil` = none fired), as ``train``.
    static func learnPriors(_ examples: [RouteExample], categories: [String?], table: RoutingTable) -> [String:
        [String: Double]]
    {
        var counts: [String: [String: Double]] = [:]
        for (example, code) in zip(examples, categories) {
            guard let code else { continue }
            counts[code, default: [:]][example.unitKind, default: 0] += 1
        }
        for (code, label) in table.categoryLabels {
            counts[code, default: [:]][label, default: 0] += priorPseudoCount
        }
        return counts.mapValues { row in
            let total = row.values.reduce(0, +)
            return row.mapValues { $0 / total }
        }
    }
}
