import Hotline
import Testing

@Suite struct HotlineEvaluationTests {
    @Test func computesPerClassAndMacroFigures() {
        let truth = ["a", "a", "a", "b", "b", "c"]
        let predicted = ["a", "a", "b", "b", "c", "c"]
        let evaluation = HotlineEvaluation(truth: truth, predicted: predicted)
        #expect(evaluation.labels == ["a", "b", "c"])
        #expect(evaluation.confusion == [[2, 1, 0], [0, 1, 1], [0, 0, 1]])
        let a = evaluation.classes[0]
        #expect(a.precision == 1 && abs(a.recall - 2.0 / 3) < 1e-12 && a.support == 3)
        #expect(abs(a.f1 - 0.8) < 1e-12)
        let b = evaluation.classes[1]
        #expect(b.precision == 0.5 && b.recall == 0.5 && b.f1 == 0.5)
        let c = evaluation.classes[2]
        #expect(abs(c.f1 - 2.0 / 3) < 1e-12)
        #expect(abs(evaluation.macroF1 - (0.8 + 0.5 + 2.0 / 3) / 3) < 1e-12)
        #expect(abs(evaluation.accuracy - 4.0 / 6) < 1e-12)
        #expect(evaluation.summaryLine == "macro_f1 0.6556 accuracy 0.6667")
    }

    @Test func tableListsEveryLabel() {
        let evaluation = HotlineEvaluation(truth: ["城乡建设", "教育文体"], predicted: ["城乡建设", "城乡建设"])
        let table = evaluation.table()
        #expect(table.contains("城乡建设"))
        #expect(table.contains("教育文体"))
        #expect(table.contains("macro avg"))
        #expect(table.split(separator: "\n").count == 5)
        #expect(evaluation.classes[1].precision == 0 && evaluation.classes[1].f1 == 0)
    }

    @Test func crossValidationOnACorpusSample() throws {
        let examples = try Corpus.everySixth()
        var options = HotlineTrainingOptions()
        options.hashBits = 16
        options.calibrationFolds = 0
        options.method = .svm
        let evaluation = try HotlineCrossValidation.run(examples, folds: 3, seed: 1, options: options)
        #expect(evaluation.foldMacroF1.count == 3)
        #expect(evaluation.classes.map(\.support).reduce(0, +) == examples.count)
        #expect(evaluation.macroF1 > 0.7)
        #expect(evaluation.summaryLine.hasPrefix("macro_f1 0."))
    }

    @Test func foldsAreStratifiedAndSeeded() throws {
        let examples = try Corpus.examples()
        let folds = HotlineCrossValidation.foldAssignment(examples, folds: 5, seed: 42)
        #expect(folds == HotlineCrossValidation.foldAssignment(examples, folds: 5, seed: 42))
        for label in Set(examples.map(\.label)) {
            let counts = (0..<5).map { fold in zip(examples, folds).filter { $0.0.label == label && $0.1 == fold }.count
            }
            #expect(counts.max()! - counts.min()! <= 1)
        }
    }

    @Test func refusesImpossibleFoldCounts() {
        #expect(throws: HotlineTrainingError.self) {
            try HotlineCrossValidation.run(Fixtures.examples, folds: 9, seed: 1)
        }
        #expect(throws: HotlineTrainingError.self) {
            try HotlineCrossValidation.run(Fixtures.examples, folds: 1, seed: 1)
        }
    }
}
