/// One-vs-rest linear SVMs with squared hinge loss, solved by dual coordinate descent.
///
/// Algorithm 1 of Hsieh, Chang, Lin, Keerthi & Sundararajan, "A Dual Coordinate Descent Method for Large-scale
/// Linear SVM" (ICML 2008), L2-loss variant (`U = ∞`, `Dᵢᵢ = 1/(2Cᵢ)`), without shrinking; `Cᵢ = C · sᵢ` weighs
/// examples (class balancing). The bias is an extra constant feature of value 1 and is regularised like the
/// weights (as LIBLINEAR does). Coordinates are visited in an order shuffled by a seeded ``SplitMix64``.
///
/// With `featureScales` (NB-SVM, ``LogCountRatio``), class `c`'s SVM is trained on the rows scaled feature by
/// feature by `featureScales[c]`, and the returned weights are multiplied by the same scales, so that they apply
/// to the unscaled rows: `w·(x ∘ r) = (w ∘ r)·x`.
enum LinearSVM {
    /// Fits one binary SVM per class; returns weights laid out `[column * classCount + class]` and the biases.
    /// - Parameters:
    ///   - tolerance: stop a class when the spread of projected gradients falls below this (LIBLINEAR's 0.1).
    ///   - maxEpochs: upper bound on passes over the data per class.
    ///   - featureScales: nil, or per class one scale per column of `matrix`.
    static func fit(
        _ matrix: SparseMatrix, labels: [Int], sampleWeights: [Double], classCount: Int, c: Double,
        tolerance: Double, maxEpochs: Int, seed: UInt64, featureScales: [[Float]]? = nil
    ) -> (weights: [Float], bias: [Float]) {
        let n = matrix.rowCount
        let k = classCount
        var weights = [Float](repeating: 0, count: matrix.columnCount * k)
        var bias = [Float](repeating: 0, count: k)
        var squaredNorms = [Double](repeating: 1, count: n)  // the bias feature contributes 1
        var scaled = matrix.values
        var generator = SplitMix64(seed: seed)
        var order = Array(0..<n)
        var w = [Double](repeating: 0, count: matrix.columnCount)
        var alpha = [Double](repeating: 0, count: n)
        for label in 0..<k {
            for i in w.indices { w[i] = 0 }
            for i in alpha.indices { alpha[i] = 0 }
            var b = 0.0
            for e in scaled.indices {
                scaled[e] = matrix.values[e] * (featureScales?[label][Int(matrix.columns[e])] ?? 1)
            }
            for row in 0..<n {
                squaredNorms[row] = 1
                for e in matrix.rowStart[row]..<matrix.rowStart[row + 1] {
                    squaredNorms[row] += Double(scaled[e]) * Double(scaled[e])
                }
            }
            matrix.columns.withUnsafeBufferPointer { columns in
                scaled.withUnsafeBufferPointer { values in
                    for _ in 0..<maxEpochs {
                        order.shuffle(using: &generator)
                        var maxGradient = -Double.infinity
                        var minGradient = Double.infinity
                        for row in order {
                            let y: Double = labels[row] == label ? 1 : -1
                            let diagonal = 1 / (2 * c * sampleWeights[row])
                            let range = matrix.rowStart[row]..<matrix.rowStart[row + 1]
                            var margin = b
                            for e in range { margin += w[Int(columns[e])] * Double(values[e]) }
                            let gradient = y * margin - 1 + diagonal * alpha[row]
                            let projected = alpha[row] == 0 ? min(gradient, 0) : gradient
                            maxGradient = max(maxGradient, projected)
                            minGradient = min(minGradient, projected)
                            guard abs(projected) > 1e-12 else { continue }
                            let old = alpha[row]
                            alpha[row] = max(old - gradient / (squaredNorms[row] + diagonal), 0)
                            let delta = (alpha[row] - old) * y
                            for e in range { w[Int(columns[e])] += delta * Double(values[e]) }
                            b += delta
                        }
                        if maxGradient - minGradient < tolerance { break }
                    }
                }
            }
            for column in 0..<matrix.columnCount {
                weights[column * k + label] = Float(w[column]) * (featureScales?[label][column] ?? 1)
            }
            bias[label] = Float(b)
        }
        return (weights, bias)
    }
}
