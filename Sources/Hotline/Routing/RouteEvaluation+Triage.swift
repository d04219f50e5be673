import Foundation

extension RouteEvaluation {
    /// Runs the full triage on every example as the server does (theme, category, router, abstention); the place is
    /// treated as found (the corpus anonymises places), so only the router decides dispatch.
    /// - Parameters:
    ///   - examples: labelled messages.
    ///   - triage: a triage engine with a router.
    /// - Returns: the scored rows; a triage without a router queues every row.
    public static func run(_ examples: [RouteExample], triage: HotlineTriage) -> RouteEvaluation {
        RouteEvaluation(
            rows: examples.map { example in
                let result = triage.triage(text: example.text)
                return Row(
                    truth: example.unitKind, label: result.route?.label ?? "other",
                    confidence: result.route?.confidence ?? 0, abstains: result.route?.abstains ?? true,
                    noiseTruth: example.noiseScenario, noisePredicted: result.noiseScenario)
            })
    }
}

/// Stratified k-fold cross-validation of ``UnitRouter`` training (folds by `unit_kind`).
public enum RouterCrossValidation {
    /// Trains a router on k − 1 folds and triages the held-out fold, k times; rows pooled in input order.
    /// - Parameters:
    ///   - examples: labelled messages; `extra` examples join every training part and are never scored (e.g.
    ///     noise complaints with a scenario but no unit label).
    ///   - triage: the triage engine whose theme model and rules are used; its router is replaced per fold.
    ///   - table: the routing table.
    ///   - folds: k ≥ 2.
    ///   - seed: fold seed.
    ///   - ruleWeight, threshold: router settings.
    /// - Throws: as ``UnitRouter/train(_:rules:themeModel:table:ruleWeight:threshold:options:)``.
    public static func run(
        _ examples: [RouteExample], triage: HotlineTriage, table: RoutingTable, folds: Int = 5, seed: UInt64 = 42,
        ruleWeight: Double = UnitRouter.defaultRuleWeight, threshold: Double = UnitRouter.defaultThreshold
    ) throws -> RouteEvaluation {
        let assignment = HotlineCrossValidation.foldAssignment(
            examples.map { HotlineExample(label: $0.unitKind, text: $0.text) }, folds: folds, seed: seed)
        var rows = [RouteEvaluation.Row?](repeating: nil, count: examples.count)
        for fold in 0..<folds {
            let train = examples.indices.filter { assignment[$0] != fold }.map { examples[$0] }
            let testIndices = examples.indices.filter { assignment[$0] == fold }
            let router = try UnitRouter.train(
                train, rules: triage.rules, themeModel: triage.model, table: table, ruleWeight: ruleWeight,
                threshold: threshold)
            let engine = HotlineTriage(
                model: triage.model, rules: triage.rules, places: triage.places, threshold: triage.threshold,
                router: router)
            let scored = RouteEvaluation.run(testIndices.map { examples[$0] }, triage: engine)
            for (index, row) in zip(testIndices, scored.rows) { rows[index] = row }
        }
        return RouteEvaluation(rows: rows.compactMap { $0 })
    }
}
