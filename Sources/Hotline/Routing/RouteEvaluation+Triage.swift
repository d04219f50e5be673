import Foundation

/// Where the server sends a triaged message, as a router label: the label of the unit its case would go to
/// (``RoutingTable/label(ofUnit:at:)``), or nil when the message is queued for a person (or no case could be
/// prepared). Supplied by the app, which owns the dispatcher and the taxonomy in force.
public typealias RouteResolver = @Sendable (_ text: String, _ result: HotlineTriageResult) -> String?

extension RouteEvaluation {
    /// Runs the full triage on every example as the server does (theme, category, router, abstention, then the
    /// dispatcher through `resolve`); the place is treated as found (the corpus anonymises places).
    /// - Parameters:
    ///   - examples: labelled messages.
    ///   - triage: a triage engine, normally with a router.
    ///   - resolve: the server's dispatch of a triage result (see ``RouteResolver``).
    /// - Returns: the scored rows: a row is dispatched when `resolve` names a label.
    public static func run(_ examples: [RouteExample], triage: HotlineTriage, resolve: RouteResolver)
        -> RouteEvaluation
    {
        RouteEvaluation(
            rows: examples.map { example in
                let result = triage.triage(text: example.text, assumingPlaceFound: true)
                let sent = resolve(example.text, result)
                return Row(
                    truth: example.unitKind, label: sent ?? result.route?.label ?? "other",
                    abstains: sent == nil,
                    noiseTruth: example.noiseScenario, noisePredicted: result.noiseScenario,
                    decidedBy: sent == nil ? nil : result.decidedBy)
            })
    }
}

/// Stratified k-fold cross-validation of ``UnitRouter`` training (folds by `unit_kind`).
public struct RouterCrossValidation: Sendable {
    /// One fold: the router trained without it and the indices of its examples.
    public struct Fold: Sendable {
        public var router: UnitRouter
        public var testIndices: [Int]
    }

    /// The labelled examples.
    public let examples: [RouteExample]
    /// The triage engine whose theme model, rules and places are used; its router is replaced per fold.
    public let triage: HotlineTriage
    /// The k trained folds.
    public let folds: [Fold]

    /// Trains a router on k − 1 folds, k times.
    /// - Parameters:
    ///   - examples: labelled messages.
    ///   - triage: as ``triage``.
    ///   - table: the routing table.
    ///   - folds: k ≥ 2.
    ///   - seed: fold seed.
    ///   - ruleWeight, threshold: router settings.
    /// - Throws: as ``UnitRouter/train(_:rules:themeModel:table:ruleWeight:threshold:options:)``.
    public init(
        _ examples: [RouteExample], triage: HotlineTriage, table: RoutingTable, folds: Int = 5, seed: UInt64 = 42,
        ruleWeight: Double = UnitRouter.defaultRuleWeight, threshold: Double = UnitRouter.defaultThreshold
    ) throws {
        let assignment = HotlineCrossValidation.foldAssignment(
            examples.map { HotlineExample(label: $0.unitKind, text: $0.text) }, folds: folds, seed: seed)
        self.examples = examples
        self.triage = triage
        self.folds = try (0..<folds).map { fold in
            let train = examples.indices.filter { assignment[$0] != fold }.map { examples[$0] }
            let router = try UnitRouter.train(
                train, rules: triage.rules, themeModel: triage.model, table: table, ruleWeight: ruleWeight,
                threshold: threshold)
            return Fold(router: router, testIndices: examples.indices.filter { assignment[$0] == fold })
        }
    }

    /// Scores every fold with the router that did not see it; rows pooled in input order.
    /// - Parameters:
    ///   - threshold: the routers' threshold for this scoring (nil: as trained).
    ///   - resolve: the server's dispatch (``RouteResolver``).
    public func evaluate(threshold: Double? = nil, resolve: RouteResolver) -> RouteEvaluation {
        var rows = [RouteEvaluation.Row?](repeating: nil, count: examples.count)
        for fold in folds {
            let router = threshold.map { fold.router.with(threshold: $0) } ?? fold.router
            let engine = HotlineTriage(
                model: triage.model, rules: triage.rules, places: triage.places, threshold: triage.threshold,
                router: router)
            let scored = RouteEvaluation.run(fold.testIndices.map { examples[$0] }, triage: engine, resolve: resolve)
            for (index, row) in zip(fold.testIndices, scored.rows) { rows[index] = row }
        }
        return RouteEvaluation(rows: rows.compactMap { $0 })
    }
}
