import Hotline
import Vapor

/// `citynet hotline route-eval --data FILE.csv [--router PATH] [--threshold T] [--cross-validate K] [--curve]`
/// (CityNet issue 10 §4): reads `text`, `unit_kind` and optionally `noise_scenario`, runs the full triage as the
/// server does (theme, category, router, abstention, and the dispatcher with the taxonomy and units in force; the
/// place treated as found: 北蔡镇, ``HotlineIntake/evaluationStreet``) and scores the unit each case would go to
/// (``RoutingTable/label(ofUnit:at:)``); prints rows, dispatched (by the rules, by the router alone), queued,
/// precision among dispatched, the noise-scenario accuracy when that column is present, and last
/// `first_dispatch_accuracy X`. The threshold is `--threshold`, else `CITYNET_ROUTER_THRESHOLD`, else the router
/// file's. With `--cross-validate K` the router is trained on K − 1 folds of FILE and each
/// fold is scored by the router that did not see it (the shipped router is not used). `--curve` adds the
/// threshold trade-off table and per-label counts before the summary.
struct RouteEvalCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "data", help: "CSV with a header: text, unit_kind, optional noise_scenario")
        var data: String?
        @Option(name: "router", help: "A router file from `hotline train --router` (default: the bundled router)")
        var router: String?
        @Option(name: "threshold", help: "Router threshold 0…1 (default: the router file's)")
        var threshold: Double?
        @Option(name: "cross-validate", help: "K ≥ 2: train on K−1 folds of the file, score the held-out fold")
        var folds: Int?
        @Option(name: "rule-weight", help: "With --cross-validate: weight of the rules against the text model, 0…1")
        var ruleWeight: Double?
        @Flag(name: "curve", help: "Also print the threshold trade-off table and per-label counts")
        var curve: Bool
    }

    var help: String { "Evaluate routing to the acting unit's kind on a labelled CSV" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let data = signature.data else { throw CommandFailure("--data FILE.csv is required") }
        if let threshold = signature.threshold, !(0...1).contains(threshold) {
            throw CommandFailure("--threshold must be a number in [0, 1], got \(threshold)")
        }
        if let folds = signature.folds, folds < 2 { throw CommandFailure("--cross-validate needs K ≥ 2, got \(folds)") }
        let loaded: (examples: [RouteExample], hasNoiseColumn: Bool)
        do {
            loaded = try RoutingDataset.load(contentsOf: URL(fileURLWithPath: data))
        } catch let error as RoutingDatasetError {
            throw CommandFailure("\(data): \(error)")
        }
        let base = context.application.hotlineTriage
        let table = try base.router?.table ?? RoutingTable.bundledDefault()
        let reference = context.application.reference
        guard reference.hierarchy[HotlineIntake.evaluationStreet] != nil else {
            throw CommandFailure(
                "route-eval treats every place as \(HotlineIntake.evaluationStreet) (北蔡镇), which the regions in force lack"
            )
        }
        let resolve = HotlineIntake.routeResolver(reference: reference, table: table)
        let evaluate: (Double?) -> RouteEvaluation
        let threshold: Double
        if let folds = signature.folds {
            threshold = signature.threshold ?? base.router?.threshold ?? UnitRouter.defaultThreshold
            let validation = try RouterCrossValidation(
                loaded.examples, triage: base, table: table, folds: folds,
                ruleWeight: signature.ruleWeight ?? UnitRouter.defaultRuleWeight, threshold: threshold)
            evaluate = { validation.evaluate(threshold: $0, resolve: resolve) }
        } else {
            var router =
                try signature.router.map { try UnitRouter.load(from: URL(fileURLWithPath: $0), table: table) }
                ?? base.router ?? UnitRouter.bundledDefault()
            if let value = signature.threshold { router = router.with(threshold: value) }
            threshold = router.threshold
            let trained = router
            evaluate = { value in
                let triage = HotlineTriage(
                    model: base.model, rules: base.rules, places: base.places, threshold: base.threshold,
                    router: value.map { trained.with(threshold: $0) } ?? trained)
                return RouteEvaluation.run(loaded.examples, triage: triage, resolve: resolve)
            }
        }
        let evaluation = evaluate(nil)
        if signature.curve {
            let thresholds = stride(from: 0.0, through: 0.9, by: 0.05).map { $0 }
            context.console.print(RouteEvaluation.curve(thresholds: thresholds) { evaluate($0) })
            context.console.print(evaluation.perLabel())
        }
        context.console.print(String(format: "threshold %.2f", threshold))
        context.console.print(evaluation.report())
    }
}
