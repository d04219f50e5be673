import Fluent
import Hotline
import Vapor

extension TrainHotlineCommand {
    /// `citynet hotline train --router --data FILE.csv --out PATH [--corrections]`: trains the unit-kind router on
    /// the file's `text` and `unit_kind` columns, plus (with `--corrections`) every stored example that carries a
    /// router label (``TrainingExample/unitKind``: operators' triage decisions, returns with a reason and centre
    /// reassignments), with the taxonomy and theme model in force.
    func trainRouter(data: String, out: String, corrections: Bool, context: CommandContext) async throws {
        var examples: [RouteExample]
        do {
            examples = try RoutingDataset.load(contentsOf: URL(fileURLWithPath: data)).examples
        } catch let error as RoutingDatasetError {
            throw CommandFailure("\(data): \(error)")
        }
        var stored = 0
        if corrections {
            let rows = try await TrainingExample.query(on: context.application.db).filter(\.$unitKind != nil)
                .sort(\.$id).all()
            examples += rows.compactMap { row in row.unitKind.map { RouteExample(text: row.text, unitKind: $0) } }
            stored = rows.count
        }
        let triage = context.application.hotlineTriage
        let started = ContinuousClock.now
        let router = try UnitRouter.train(
            examples, rules: triage.rules, themeModel: triage.model, table: try RoutingTable.bundledDefault())
        let elapsed = ContinuousClock.now - started
        try router.save(to: URL(fileURLWithPath: out))
        let including = corrections ? " (\(stored) of them operators' routing decisions)" : ""
        context.console.print(
            "trained the router on \(examples.count) messages\(including), \(router.model.labels.count) unit kinds in \(String(format: "%.2f", elapsed.seconds)) s; saved \(out)"
        )
    }
}
