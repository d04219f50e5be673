import Foundation
import Hotline
import Testing

@Suite struct HotlineModelFileTests {
    @Test func saveAndLoadGiveTheSameClassifications() throws {
        let model = try HotlineModel.train(Fixtures.examples, options: Fixtures.quickOptions)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hotline-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try model.save(to: url)
        let loaded = try HotlineModel.load(from: url)
        #expect(loaded.labels == model.labels)
        #expect(loaded.options == model.options)
        for example in Fixtures.examples {
            let a = model.classify(example.text, topK: 3)
            let b = loaded.classify(example.text, topK: 3)
            #expect(a.ranked.map(\.label) == b.ranked.map(\.label))
            #expect(abs(a.confidence - b.confidence) < 1e-3)
        }
        // A second round trip is exact: the weights are already quantised.
        let again = try JSONDecoder().decode(HotlineModel.self, from: JSONEncoder().encode(loaded))
        #expect(again == loaded)
    }

    @Test func refusesOtherFiles() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hotline-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(#"{"format":"something.else","version":1}"#.utf8).write(to: url)
        #expect(throws: DecodingError.self) { try HotlineModel.load(from: url) }
        try Data("not json".utf8).write(to: url)
        #expect(throws: (any Error).self) { try HotlineModel.load(from: url) }
        #expect(throws: (any Error).self) { try HotlineModel.load(from: url.appendingPathExtension("missing")) }
    }

    @Test func bundledDefaultClassifiesTheCorpus() throws {
        let model = try HotlineModel.bundledDefault()
        let examples = try Corpus.examples()
        #expect(model.labels == Set(examples.map(\.label)).sorted())
        let predicted = examples.map { model.classify($0.text, topK: 1).label ?? "" }
        let evaluation = HotlineEvaluation(truth: examples.map(\.label), predicted: predicted)
        // Training-set figures: a sanity check that the shipped file is the trained model, not a quality claim.
        #expect(evaluation.accuracy > 0.97)
        let result = model.classify("小区垃圾堆放很久没人清理，臭气熏天，希望环卫部门尽快处理")
        #expect(result.ranked.count == 3)
        #expect(result.confidence > 0.3)
        // No usable text: a bias-only guess with low confidence and nothing to explain.
        let empty = model.classify("")
        #expect(empty.confidence < 0.4)
        #expect(empty.explanation.isEmpty)
        let all = model.classify("", topK: model.labels.count).ranked.map(\.score)
        #expect(abs(all.reduce(0, +) - 1) < 1e-9)
    }
}
