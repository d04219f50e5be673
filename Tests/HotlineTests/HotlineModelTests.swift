import Foundation
import Hotline
import Testing

@Suite struct HotlineModelTests {
    @Test func learnsTheFixtureClasses() throws {
        let model = try HotlineModel.train(Fixtures.examples, options: Fixtures.quickOptions)
        #expect(model.labels == ["交通运输", "教育文体", "环境保护"])
        #expect(model.classify("学校乱收费").label == "教育文体")
        #expect(model.classify("公交车司机态度差").label == "交通运输")
        #expect(model.classify("废水污染河道").label == "环境保护")
    }

    @Test(arguments: HotlineTrainingOptions.Method.allCases)
    func everyMethodTrainsAndRanks(method: HotlineTrainingOptions.Method) throws {
        var options = Fixtures.quickOptions
        options.method = method
        let model = try HotlineModel.train(Fixtures.examples, options: options)
        let result = model.classify("学校收费", topK: 3)
        #expect(result.ranked.count == 3)
        #expect(result.ranked.map(\.score) == result.ranked.map(\.score).sorted(by: >))
        #expect(abs(result.ranked.map(\.score).reduce(0, +) - 1) < 1e-9)
        #expect(result.confidence == result.ranked[0].score)
    }

    @Test func trainingIsDeterministic() throws {
        let first = try HotlineModel.train(Fixtures.examples, options: Fixtures.quickOptions)
        let second = try HotlineModel.train(Fixtures.examples, options: Fixtures.quickOptions)
        #expect(first == second)
    }

    @Test func topKIsClamped() throws {
        let model = try HotlineModel.train(Fixtures.examples, options: Fixtures.quickOptions)
        #expect(model.classify("学校", topK: 0).ranked.isEmpty)
        #expect(model.classify("学校", topK: 0).label == nil)
        #expect(model.classify("学校", topK: 99).ranked.count == 3)
        #expect(model.classify("学校", topK: -1).ranked.isEmpty)
    }

    @Test func explanationNamesNGramsOfTheText() throws {
        let model = try HotlineModel.train(Fixtures.examples, options: Fixtures.quickOptions)
        let text = "学校食堂收费太贵"
        let result = model.classify(text)
        #expect(!result.explanation.isEmpty)
        #expect(result.explanation.count <= model.options.explanationSize)
        for item in result.explanation {
            #expect(text.contains(item.feature))
            #expect(item.weight > 0)
        }
        #expect(result.explanation.map(\.weight) == result.explanation.map(\.weight).sorted(by: >))
    }

    @Test func emptyTextGetsALowConfidenceGuess() throws {
        let model = try HotlineModel.train(Fixtures.examples, options: Fixtures.quickOptions)
        let known = model.classify("化工厂偷排废水污染河道")
        for text in ["", "   ", "_x000D_", "😀😀😀"] {
            let result = model.classify(text)
            #expect(result.ranked.count == 3)
            #expect(result.explanation.isEmpty)
            #expect(result.confidence < known.confidence)
            #expect(result.confidence < 0.6)
        }
    }

    @Test func refusesBadInput() {
        #expect(throws: HotlineTrainingError.noExamples) { try HotlineModel.train([]) }
        #expect(throws: HotlineTrainingError.singleClass("教育文体")) {
            try HotlineModel.train([HotlineExample(label: "教育文体", text: "学校")])
        }
        var options = HotlineTrainingOptions()
        options.maxNGram = 0
        #expect(throws: HotlineTrainingError.self) { try HotlineModel.train(Fixtures.examples, options: options) }
        options = HotlineTrainingOptions()
        options.hashBits = 30
        #expect(throws: HotlineTrainingError.self) { try options.validate() }
    }
}
