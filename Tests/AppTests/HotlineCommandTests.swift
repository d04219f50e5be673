import Hotline
import Testing
import Vapor

@testable import App

/// `citynet hotline train` and `evaluate` on a slice of the real labelled messages.
@Suite struct HotlineCommandTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let fullCorpus = repository.deletingLastPathComponent()
        .appendingPathComponent("shared/data/teddy2020_gov_messages/messages_labelled_train.csv")
    /// The labelled Teddy Cup messages: the full file from `../shared` beside the repository (as in CI), else the
    /// slice shipped for bare clones (Tests/HotlineTests/Data/PROVENANCE.md).
    static var corpus: URL {
        FileManager.default.fileExists(atPath: fullCorpus.path)
            ? fullCorpus : repository.appendingPathComponent("Tests/HotlineTests/Data/messages_labelled_every6th.csv")
    }

    @Test func trainWritesAModelThatEvaluateReads() async throws {
        let lines = try String(contentsOf: Self.corpus, encoding: .utf8)
        let examples = try HotlineDataset.load(csv: lines)
        #expect(examples.count == (Self.corpus == Self.fullCorpus ? 2459 : 410))
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
            await #expect(throws: CommandFailure.self) {
                try await app.console.run(TrainHotlineCommand(), input: missing)
            }
        }
    }

    @Test func evaluateCrossValidatesWithTheThemeSettings() async throws {
        let slice = Self.repository.appendingPathComponent("Tests/HotlineTests/Data/messages_labelled_every6th.csv")
        try await TestApp.withApp { app, _ in
            let lines = try await RoutingCommandTests.run(
                app, EvaluateHotlineCommand(), ["--data", slice.path, "--cross-validate", "3", "--fold-seed", "1"])
            let examples = try HotlineDataset.load(contentsOf: slice)
            let expected = try HotlineCrossValidation.run(examples, folds: 3, seed: 1)
            #expect(lines.last == expected.summaryLine)
            #expect(lines.contains { $0.contains("3 folds: macro_f1 ") })
            let folds = lines.first { $0.hasPrefix("fold macro_f1 ") }?.split(separator: " ").dropFirst(2)
            #expect(folds?.count == 3)
            #expect(expected.macroF1 > 0.7)
            await #expect(throws: HotlineTrainingError.self) {
                _ = try await RoutingCommandTests.run(
                    app, EvaluateHotlineCommand(), ["--data", slice.path, "--cross-validate", "1"])
            }
        }
    }

    @Test func trainWithCorrectionsAddsTheOperatorsExamples() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hotline-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = folder.appendingPathComponent("small.csv")
        let rows =
            ["学校收费不合理", "孩子上学难，学位不足", "幼儿园招生不公平", "中学补课收费"].map { "教育文体,\($0)" }
            + ["公交车不按站停靠", "出租车拒载乘客", "公交线路被取消", "网约车乱收费"].map { "交通运输,\($0)" }
        try (["label_level1,text"] + rows).joined(separator: "\n").write(to: csv, atomically: true, encoding: .utf8)
        let model = folder.appendingPathComponent("model.json")
        try await TestApp.withApp { app, clock in
            for (index, text) in ["楼上装修电钻声太吵", "工地夜间施工噪音扰民", "狗整夜叫个不停", "广场舞音乐太响"].enumerated() {
                let example = TrainingExample()
                example.createdAt = clock.now
                example.text = text
                example.theme = "环境保护"
                example.categoryCode = "noise.renovation"
                example.reportID = index + 1
                example.actor = "op"
                try await example.create(on: app.db)
            }
            let unlabelled = TrainingExample()
            unlabelled.createdAt = clock.now
            unlabelled.text = "无主题的更正"
            unlabelled.categoryCode = "noise.renovation"
            unlabelled.reportID = 9
            unlabelled.actor = "op"
            try await unlabelled.create(on: app.db)

            let plain = CommandInput(arguments: ["citynet", "--data", csv.path, "--out", model.path])
            try await app.console.run(TrainHotlineCommand(), input: plain)
            #expect(try HotlineModel.load(from: model).labels == ["交通运输", "教育文体"])
            var context = CommandContext(
                console: app.console,
                input: CommandInput(arguments: ["citynet", "--data", csv.path, "--out", model.path, "--corrections"]))
            context.application = app
            try await TrainHotlineCommand().run(using: &context)
            #expect(try HotlineModel.load(from: model).labels == ["交通运输", "教育文体", "环境保护"])
        }
    }
}
