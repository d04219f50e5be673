import Foundation
import Testing

@testable import Hotline

/// NB-SVM feature scaling (``LogCountRatio``, ``HotlineTrainingOptions/logCountRatioSmoothing``) and taxonomy
/// names as extra examples (``ThemeTaxonomy``, ``HotlineTrainingOptions/taxonomyWeight``).
@Suite struct NBSVMAndTaxonomyTests {
    /// Two classes, three columns: column 0 only in class 0, column 1 only in class 1, column 2 equally in both.
    static let matrix = SparseMatrix(
        vectors: [
            SparseVector(indices: [0, 2], values: [1, 1]), SparseVector(indices: [1, 2], values: [1, 1]),
        ], dimension: 4)

    @Test func logCountRatiosMatchWangAndManning() {
        // Class 0: p = (α+1, α, α+1), q = (α, α+1, α+1), ‖p‖₁ = ‖q‖₁, so r = log(p/q) column by column.
        let alpha = 0.5
        let ratios = LogCountRatio.fit(Self.matrix, labels: [0, 1], classCount: 2, smoothing: alpha)
        let columnOf = Dictionary(uniqueKeysWithValues: Self.matrix.columnBucket.enumerated().map { ($1, $0) })
        let r0 = ratios[0]
        #expect(abs(Double(r0[columnOf[0]!]) - log(1.5 / 0.5)) < 1e-6)
        #expect(abs(Double(r0[columnOf[1]!]) - log(0.5 / 1.5)) < 1e-6)
        #expect(abs(r0[columnOf[2]!]) < 1e-6)
        #expect(zip(ratios[0], ratios[1]).allSatisfy { abs($0 + $1) < 1e-6 })
    }

    @Test func svmFeatureScalesOfOneChangeNothingAndZeroSilencesAColumn() {
        func fit(_ scales: [[Float]]?) -> (weights: [Float], bias: [Float]) {
            LinearSVM.fit(
                Self.matrix, labels: [0, 1], sampleWeights: [1, 1], classCount: 2, c: 1, tolerance: 0.01,
                maxEpochs: 100, seed: 1, featureScales: scales)
        }
        let plain = fit(nil)
        #expect(fit([[Float]](repeating: [1, 1, 1], count: 2)) == plain)
        let columnOf = Dictionary(uniqueKeysWithValues: Self.matrix.columnBucket.enumerated().map { ($1, $0) })
        let silenced = fit(
            [[Float]](repeating: [1, 1, 1].enumerated().map { $0.offset == columnOf[0]! ? 0 : 1 }, count: 2))
        #expect(plain.weights[columnOf[0]! * 2] > 0)
        #expect(silenced.weights[columnOf[0]! * 2] == 0 && silenced.weights[columnOf[0]! * 2 + 1] == 0)
    }

    @Test func theOptionsChangeTheModelAndAreRecorded() throws {
        var plain = Fixtures.quickOptions
        plain.logCountRatioSmoothing = nil
        plain.taxonomyWeight = nil
        var nb = plain
        nb.logCountRatioSmoothing = 0.1
        var taxonomy = plain
        taxonomy.taxonomyWeight = 0.5
        let models = try [plain, nb, taxonomy].map { try HotlineModel.train(Fixtures.examples, options: $0) }
        #expect(models[0] != models[1] && models[0] != models[2] && models[1] != models[2])
        let decoded = try JSONDecoder().decode(HotlineModel.self, from: JSONEncoder().encode(models[1]))
        #expect(decoded.options.logCountRatioSmoothing == 0.1 && decoded.options.taxonomyWeight == nil)
    }

    @Test func optionsSavedBeforeTheyExistedReadAsOff() throws {
        var json =
            try JSONSerialization.jsonObject(with: JSONEncoder().encode(HotlineTrainingOptions.theme))
            as! [String: Any]
        json["logCountRatioSmoothing"] = nil
        json["taxonomyWeight"] = nil
        let options = try JSONDecoder().decode(
            HotlineTrainingOptions.self, from: JSONSerialization.data(withJSONObject: json))
        #expect(options.logCountRatioSmoothing == nil && options.taxonomyWeight == nil)
        #expect(options.svmC == HotlineTrainingOptions.theme.svmC)
    }

    @Test func themeTurnsBothOnAndIsWhatTrainingUsesByDefault() throws {
        #expect(
            HotlineTrainingOptions().logCountRatioSmoothing == nil && HotlineTrainingOptions().taxonomyWeight == nil)
        #expect(
            HotlineTrainingOptions.theme.logCountRatioSmoothing == 0.1
                && HotlineTrainingOptions.theme.taxonomyWeight == 0.5)
        #expect(try HotlineModel.train(Fixtures.examples).options == .theme)
    }

    @Test func badValuesAreRefused() {
        var options = HotlineTrainingOptions()
        options.logCountRatioSmoothing = 0
        #expect(throws: HotlineTrainingError.self) { try options.validate() }
        options = HotlineTrainingOptions()
        options.taxonomyWeight = -1
        #expect(throws: HotlineTrainingError.self) { try options.validate() }
    }

    @Test func bundledTaxonomyHasAllRows() throws {
        let terms = try ThemeTaxonomy.terms()
        #expect(terms.count == 517)
        #expect(Set(terms.map(\.label)).count == 15)
        #expect(terms.contains(HotlineExample(label: "交通运输", text: "公路收费")))
    }

    /// `公路` is in one message of each class, so alone it says little; the taxonomy's 交通运输 names
    /// (`公路收费`, …) make it a transport word.
    @Test func taxonomyNamesPullTheirWordsToTheirLabel() throws {
        let examples = [
            HotlineExample(label: "交通运输", text: "公交车晚点"), HotlineExample(label: "交通运输", text: "出租车拒载"),
            HotlineExample(label: "交通运输", text: "公路旁边积水"), HotlineExample(label: "教育文体", text: "学校乱收费"),
            HotlineExample(label: "教育文体", text: "老师体罚学生"), HotlineExample(label: "教育文体", text: "公路旁边的学校"),
        ]
        var options = Fixtures.quickOptions
        options.calibrationFolds = 0
        options.taxonomyWeight = nil
        let without = try HotlineModel.train(examples, options: options)
        options.taxonomyWeight = 1
        let with = try HotlineModel.train(examples, options: options)
        let transport = with.labels.firstIndex(of: "交通运输")!
        #expect(with.probabilities("公路")[transport] > without.probabilities("公路")[transport] + 0.05)
    }

    @Test func labelsOutsideTheTaxonomyGetNoTaxonomyExamples() throws {
        let examples = Fixtures.examples.map {
            HotlineExample(label: $0.label == "交通运输" ? "transport" : "other", text: $0.text)
        }
        var options = Fixtures.quickOptions
        options.taxonomyWeight = nil
        let without = try HotlineModel.train(examples, options: options)
        options.taxonomyWeight = 1
        #expect(try HotlineModel.train(examples, options: options).buckets == without.buckets)
    }
}
