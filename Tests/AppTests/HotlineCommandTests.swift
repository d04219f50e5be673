@testable import App
import Hotline
import Testing
import Vapor

/// `citynet hotline train` and `evaluate` on a slice of the real labelled messages.
@Suite struct HotlineCommandTests {
    /// The labelled Teddy Cup messages beside the repository (shared/data, laid out beside every clone and in CI).
    static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/data/teddy2020_gov_messages/messages_labelled_train.csv")

    @Test func trainWritesAModelThatEvaluateReads() async throws {
        let lines = try String(contentsOf: Self.corpus, encoding: .utf8)
        let examples = try HotlineDataset.load(csv: lines)
        #expect(examples.count == 2459)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hotline-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = folder.appendingPathComponent("model.json")
        try await TestApp.withApp { app, _ in
            let train = CommandInput(arguments: ["citynet", "--data", Self.corpus.path, "--out", model.path])
            try await app.console.run(TrainHotlineCommand(), input: train)
            let loaded = try HotlineModel.load(from: model)
            #expect(loaded.labels.count == 7)
            #expect(loaded.classify("小区旁边工地夜间施工噪音扰民，严重影响休息").ranked.first?.label == "环境保护")
            let evaluate = CommandInput(arguments: ["citynet", "--data", Self.corpus.path, "--model", model.path])
            try await app.console.run(EvaluateHotlineCommand(), input: evaluate)
            let missing = CommandInput(arguments: ["citynet", "--out", model.path])
            await #expect(throws: CommandFailure.self) { try await app.console.run(TrainHotlineCommand(), input: missing) }
        }
    }
}
