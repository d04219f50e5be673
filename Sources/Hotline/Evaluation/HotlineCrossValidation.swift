/// Stratified k-fold cross-validation of ``HotlineModel`` training.
public enum HotlineCrossValidation {
    /// Trains on k − 1 folds and predicts the held-out fold, k times.
    ///
    /// Folds come from ``StratifiedFolds`` with `seed`: each class is shuffled and dealt round-robin, so every
    /// fold holds about 1/k of each class. Each fold's model is trained from scratch (its IDF and calibration
    /// see only that fold's training part).
    /// - Parameters:
    ///   - examples: labelled messages.
    ///   - folds: k, between 2 and the size of the smallest class.
    ///   - seed: seed of the fold assignment (training uses `options.seed`).
    ///   - options: training settings (by default ``HotlineTrainingOptions/theme``, as ``HotlineModel/train(_:options:)``).
    /// - Returns: metrics over all held-out predictions pooled, with per-fold macro-F1 and accuracy in
    ///   ``HotlineEvaluation/foldMacroF1`` and ``HotlineEvaluation/foldAccuracy``.
    /// - Throws: ``HotlineTrainingError/tooManyFolds(folds:smallestClass:size:)`` for a bad `folds`, or whatever
    ///   training throws.
    public static func run(
        _ examples: [HotlineExample], folds: Int = 5, seed: UInt64 = 42, options: HotlineTrainingOptions = .theme
    ) throws -> HotlineEvaluation {
        guard !examples.isEmpty else { throw HotlineTrainingError.noExamples }
        let labels = Set(examples.map(\.label)).sorted()
        let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        let y = examples.map { index[$0.label]! }
        var sizes = [Int](repeating: 0, count: labels.count)
        for label in y { sizes[label] += 1 }
        let smallest = sizes.indices.min { sizes[$0] < sizes[$1] }!
        guard folds >= 2, folds <= sizes[smallest] else {
            throw HotlineTrainingError.tooManyFolds(
                folds: folds, smallestClass: labels[smallest], size: sizes[smallest])
        }
        let assignment = foldAssignment(examples, folds: folds, seed: seed)
        var truth: [String] = []
        var predicted: [String] = []
        var foldF1: [Double] = []
        var foldAccuracy: [Double] = []
        for fold in 0..<folds {
            let train = examples.indices.filter { assignment[$0] != fold }.map { examples[$0] }
            let test = examples.indices.filter { assignment[$0] == fold }.map { examples[$0] }
            let model = try HotlineModel.train(train, options: options)
            let guesses = test.map { model.classify($0.text, topK: 1).label ?? "" }
            let evaluation = HotlineEvaluation(truth: test.map(\.label), predicted: guesses)
            foldF1.append(evaluation.macroF1)
            foldAccuracy.append(evaluation.accuracy)
            truth += test.map(\.label)
            predicted += guesses
        }
        var pooled = HotlineEvaluation(truth: truth, predicted: predicted)
        pooled.foldMacroF1 = foldF1
        pooled.foldAccuracy = foldAccuracy
        return pooled
    }

    /// The fold (`0..<folds`) of each example, as ``run(_:folds:seed:options:)`` uses it — for comparing other
    /// tools on the very same folds.
    public static func foldAssignment(_ examples: [HotlineExample], folds: Int, seed: UInt64) -> [Int] {
        let labels = Set(examples.map(\.label)).sorted()
        let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        return StratifiedFolds.assign(
            labels: examples.map { index[$0.label]! }, classCount: labels.count, folds: folds, seed: seed)
    }
}
