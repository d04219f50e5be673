import Foundation

extension HotlineModel {
    /// Trains a classifier on labelled messages.
    ///
    /// Steps: normalise and hash every text; fit IDF on these texts; add the taxonomy's level-3 names of the
    /// training labels as extra examples when `options.taxonomyWeight` is set (weighted with the messages' IDF;
    /// buckets they alone have are dropped); fit the heads named by `options.method` on all examples (the SVM on
    /// NB-scaled features when `options.logCountRatioSmoothing` is set); fit each head's softmax temperature on
    /// out-of-fold scores from `options.calibrationFolds` stratified folds of the messages (the IDF is shared,
    /// the heads are refitted per fold, the taxonomy names are in every fold's training part). Single-threaded
    /// and deterministic: the same examples in the same order with the same options give an identical model.
    /// - Parameters:
    ///   - examples: labelled messages; at least two distinct labels.
    ///   - options: the settings; by default ``HotlineTrainingOptions/theme``, the cross-validated choice for the
    ///     7-theme classifier.
    /// - Returns: the trained model; its ``labels`` are the distinct labels, sorted.
    /// - Throws: ``HotlineTrainingError`` for no examples, a single class or an invalid option; with
    ///   `options.taxonomyWeight` set, whatever ``ThemeTaxonomy/terms()`` throws.
    public static func train(_ examples: [HotlineExample], options: HotlineTrainingOptions = .theme) throws
        -> HotlineModel
    {
        try options.validate()
        guard let first = examples.first else { throw HotlineTrainingError.noExamples }
        let labels = Set(examples.map(\.label)).sorted()
        guard labels.count >= 2 else { throw HotlineTrainingError.singleClass(first.label) }
        let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        let taxonomy =
            try options.taxonomyWeight.map { _ in
                try ThemeTaxonomy.terms().filter { index[$0.label] != nil }
            } ?? []
        let y = (examples + taxonomy).map { index[$0.label]! }
        let hasher = NGramHasher(
            minN: options.minNGram, maxN: options.maxNGram, bits: options.hashBits, foldDigits: options.foldDigits)
        let counts = (examples + taxonomy).map { example -> [BucketCounter.Entry] in
            var scalars: [UInt32] = []
            TextNormalizer.normalizeScalars(example.text, into: &scalars)
            return BucketCounter.count(scalars, hasher: hasher).entries
        }
        let vectorizer = TfIdfVectorizer.fit(
            hasher: hasher, counts: Array(counts[..<examples.count]), minDocumentFrequency: options.minDocumentFrequency
        )
        let matrix = SparseMatrix(
            vectors: counts.map { vectorizer.vector(from: $0).vector }, dimension: hasher.dimension)
        var weights = sampleWeights(y, classCount: labels.count, balanced: options.classBalanced)
        for row in examples.count..<y.count { weights[row] *= options.taxonomyWeight ?? 1 }
        let fitted = fitHeads(matrix, y, weights, classCount: labels.count, options: options)
        let temperatures = calibrate(
            matrix, y, weights, classCount: labels.count, messages: examples.count, options: options)
        let order = (0..<matrix.columnCount).sorted { matrix.columnBucket[$0] < matrix.columnBucket[$1] }
        let k = labels.count
        let stride = 1 + fitted.count * k
        var rows = [Float](repeating: 0, count: order.count * stride)
        for (row, column) in order.enumerated() {
            rows[row * stride] = vectorizer.idf[Int(matrix.columnBucket[column])]
            for (h, head) in fitted.enumerated() {
                for j in 0..<k { rows[row * stride + 1 + h * k + j] = head.weights[column * k + j] }
            }
        }
        let heads = zip(fitted, temperatures).map { Head(temperature: $1, bias: $0.bias) }
        centre(rows: &rows, stride: stride, heads: heads.count, labels: k)
        return HotlineModel(
            labels: labels, options: options, heads: heads, buckets: order.map { matrix.columnBucket[$0] }, rows: rows)
    }

    /// Subtracts from each row's weights, per head, their mean over labels. Softmax is invariant to adding the
    /// same amount to every label's score, so probabilities do not change; afterwards a weight reads directly as
    /// "for this label against the average label", which is what explanations report.
    static func centre(rows: inout [Float], stride: Int, heads: Int, labels k: Int) {
        for base in Swift.stride(from: 0, to: rows.count, by: stride) {
            for h in 0..<heads {
                let start = base + 1 + h * k
                var mean: Float = 0
                for j in 0..<k { mean += rows[start + j] }
                mean /= Float(k)
                for j in 0..<k { rows[start + j] -= mean }
            }
        }
    }

    /// `N / (classes × class size)` per example when `balanced` (scikit-learn's "balanced"), else 1.
    static func sampleWeights(_ labels: [Int], classCount: Int, balanced: Bool) -> [Double] {
        guard balanced else { return labels.map { _ in 1 } }
        var sizes = [Int](repeating: 0, count: classCount)
        for label in labels { sizes[label] += 1 }
        return labels.map { Double(labels.count) / Double(classCount * sizes[$0]) }
    }

    /// Fits the heads `options.method` names, in the order logistic, SVM.
    static func fitHeads(
        _ matrix: SparseMatrix, _ labels: [Int], _ weights: [Double], classCount: Int, options: HotlineTrainingOptions
    ) -> [(weights: [Float], bias: [Float])] {
        var heads: [(weights: [Float], bias: [Float])] = []
        if options.method != .svm {
            heads.append(
                SoftmaxRegression.fit(
                    matrix, labels: labels, sampleWeights: weights, classCount: classCount, c: options.logisticC,
                    maxIterations: options.logisticIterations))
        }
        if options.method != .logistic {
            let scales = options.logCountRatioSmoothing.map {
                LogCountRatio.fit(matrix, labels: labels, classCount: classCount, smoothing: $0)
            }
            heads.append(
                LinearSVM.fit(
                    matrix, labels: labels, sampleWeights: weights, classCount: classCount, c: options.svmC,
                    tolerance: options.svmTolerance, maxEpochs: options.svmEpochs, seed: options.seed,
                    featureScales: scales))
        }
        return heads
    }

    /// Each head's temperature, fitted on out-of-fold scores of the first `messages` rows (the rest, taxonomy
    /// names, are in every fold's training part); 1 for every head when calibration is off or the smallest
    /// class is too small for two folds.
    static func calibrate(
        _ matrix: SparseMatrix, _ labels: [Int], _ weights: [Double], classCount: Int, messages: Int,
        options: HotlineTrainingOptions
    ) -> [Double] {
        let headCount = options.method == .ensemble ? 2 : 1
        let messageLabels = Array(labels[..<messages])
        var sizes = [Int](repeating: 0, count: classCount)
        for label in messageLabels { sizes[label] += 1 }
        let folds = min(options.calibrationFolds, sizes.min() ?? 0)
        guard folds >= 2 else { return [Double](repeating: 1, count: headCount) }
        let fold = StratifiedFolds.assign(
            labels: messageLabels, classCount: classCount, folds: folds, seed: options.seed &+ 1)
        var scores = [[[Double]]](repeating: [], count: headCount)
        var heldOutLabels: [Int] = []
        for f in 0..<folds {
            let train = messageLabels.indices.filter { fold[$0] != f } + Array(messages..<labels.count)
            let test = messageLabels.indices.filter { fold[$0] == f }
            let heads = fitHeads(
                matrix.subset(rows: train), train.map { labels[$0] }, train.map { weights[$0] },
                classCount: classCount, options: options)
            for row in test {
                for (h, head) in heads.enumerated() {
                    scores[h].append(matrix.scores(row: row, weights: head.weights, bias: head.bias))
                }
                heldOutLabels.append(labels[row])
            }
        }
        return scores.map { TemperatureScaling.fit(scores: $0, labels: heldOutLabels) }
    }
}
