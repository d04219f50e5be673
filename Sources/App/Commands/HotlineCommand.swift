import Fluent
import Hotline
import Vapor

/// `citynet hotline train|evaluate` — the 12345 hotline classifier from the command line.
struct HotlineCommands: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] = [
        "train": TrainHotlineCommand(), "evaluate": EvaluateHotlineCommand(), "route-eval": RouteEvalCommand(),
    ]
    var help: String { "Train and evaluate the 12345 hotline classifier" }
}

/// `citynet hotline train --data FILE.csv --out MODEL_PATH [--corrections]`: trains on the `label_level1` and `text`
/// columns, plus (with `--corrections`) the messages operators categorised in the triage queue, each labelled with
/// its category's strongest theme (``TrainingExample``), read from the database the command is pointed at.
struct TrainHotlineCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "data", help: "CSV with a header; the columns used are label_level1 and text")
        var data: String?
        @Option(name: "out", help: "Where to write the model file")
        var out: String?
        @Flag(
            name: "corrections",
            help: "Also train on operators' triage corrections from the database (--database PATH or DATABASE_URL)")
        var corrections: Bool
        @Flag(
            name: "router",
            help:
                "Train the unit-kind router instead: columns text and unit_kind; --corrections adds operators' routing decisions"
        )
        var router: Bool
    }

    var help: String { "Train the hotline classifier on a labelled CSV and save the model" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let data = signature.data else { throw CommandFailure("--data FILE.csv is required") }
        guard let out = signature.out else { throw CommandFailure("--out MODEL_PATH is required") }
        if signature.router {
            try await trainRouter(data: data, out: out, corrections: signature.corrections, context: context)
            return
        }
        var examples = try HotlineDataset.load(contentsOf: URL(fileURLWithPath: data))
        var corrections = 0
        if signature.corrections {
            let stored = try await TrainingExample.query(on: context.application.db).filter(\.$theme != nil)
                .sort(\.$id).all()
            examples += stored.compactMap { row in row.theme.map { HotlineExample(label: $0, text: row.text) } }
            corrections = stored.count
        }
        let started = ContinuousClock.now
        let model = try HotlineModel.train(examples)
        let elapsed = ContinuousClock.now - started
        try model.save(to: URL(fileURLWithPath: out))
        let including = signature.corrections ? " (\(corrections) of them operators' corrections)" : ""
        context.console.print(
            "trained on \(examples.count) messages\(including), \(model.labels.count) labels in \(String(format: "%.2f", elapsed.seconds)) s; saved \(out)"
        )
    }
}

/// `citynet hotline evaluate --data FILE.csv [--model MODEL_PATH | --cross-validate K [--fold-seed S]]`: per-class
/// table, then `macro_f1 <0.xxxx> accuracy <0.xxxx>` as the last line. Without `--model`, the model shipped with
/// CityNet. With `--cross-validate K`, stratified K-fold cross-validation of training with the default options
/// (``HotlineCrossValidation``, fold seed `S`, default 42) instead: pooled table, per-fold macro-F1, mean ± sd.
struct EvaluateHotlineCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "data", help: "CSV with a header; the columns used are label_level1 and text")
        var data: String?
        @Option(name: "model", help: "A model file from `hotline train` (default: the bundled model)")
        var model: String?
        @Option(name: "cross-validate", help: "Cross-validate training with K stratified folds instead")
        var crossValidate: Int?
        @Option(name: "fold-seed", help: "Seed of the fold assignment for --cross-validate (default 42)")
        var foldSeed: UInt64?
    }

    var help: String { "Evaluate the hotline classifier on a labelled CSV" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let data = signature.data else { throw CommandFailure("--data FILE.csv is required") }
        let examples = try HotlineDataset.load(contentsOf: URL(fileURLWithPath: data))
        if let folds = signature.crossValidate {
            let evaluation = try HotlineCrossValidation.run(examples, folds: folds, seed: signature.foldSeed ?? 42)
            context.console.print(evaluation.table())
            context.console.print(
                "fold macro_f1 " + evaluation.foldMacroF1.map { String(format: "%.4f", $0) }.joined(separator: " "))
            context.console.print(evaluation.summaryLine)
            return
        }
        let model =
            try signature.model.map { try HotlineModel.load(from: URL(fileURLWithPath: $0)) }
            ?? HotlineModel.bundledDefault()
        let predicted = examples.map { model.classify($0.text, topK: 1).ranked.first?.label ?? "" }
        let evaluation = HotlineEvaluation(truth: examples.map(\.label), predicted: predicted)
        context.console.print(evaluation.table())
        context.console.print(evaluation.summaryLine)
    }
}
