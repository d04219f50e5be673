import Foundation

/// Multinomial logistic regression with L2 regularisation, solved to tolerance by ``LBFGS``.
///
/// Minimises `(Σᵢ sᵢ · CE(softmax(W xᵢ + b), yᵢ) + ‖W‖² / (2C)) / Σᵢ sᵢ` — the objective of scikit-learn's
/// `LogisticRegression(C:)` up to a constant factor, so `C` means the same; the bias `b` is not regularised.
/// `sᵢ` are per-example weights (class balancing). Both passes of an evaluation run column by column over a
/// transposed copy of the data, so weights and gradient stream sequentially and only the small per-row score
/// table is accessed at random.
enum SoftmaxRegression {
    /// Fits the model; returns weights laid out `[column * classCount + class]` and the biases.
    static func fit(
        _ matrix: SparseMatrix, labels: [Int], sampleWeights: [Double], classCount: Int, c: Double,
        maxIterations: Int
    ) -> (weights: [Float], bias: [Float]) {
        let k = classCount
        let n = matrix.rowCount
        let weightCount = matrix.columnCount * k
        let totalWeight = sampleWeights.reduce(0, +)
        let columns = matrix.transposed()
        var solver = LBFGS()
        solver.maxIterations = maxIterations
        var theta = [Double](repeating: 0, count: weightCount + k)
        var scores = [Double](repeating: 0, count: n * k)
        solver.minimize(&theta) { theta, gradient in
            var loss = 0.0
            theta.withUnsafeBufferPointer { w in
                gradient.withUnsafeMutableBufferPointer { g in
                    scores.withUnsafeMutableBufferPointer { z in
                        for row in 0..<n { for j in 0..<k { z[row * k + j] = w[weightCount + j] } }
                        columns.forEachColumn { column, rows, values in
                            let base = column * k
                            for e in rows.indices {
                                let at = Int(rows[e]) * k
                                let x = Double(values[e])
                                for j in 0..<k { z[at + j] += w[base + j] * x }
                            }
                        }
                        for j in 0..<k { g[weightCount + j] = 0 }
                        for row in 0..<n {
                            let at = row * k
                            var top = z[at]
                            for j in 1..<k { top = max(top, z[at + j]) }
                            var sum = 0.0
                            for j in 0..<k { z[at + j] = exp(z[at + j] - top); sum += z[at + j] }
                            let label = labels[row]
                            let weight = sampleWeights[row]
                            loss += weight * (log(sum) - log(z[at + label]))
                            for j in 0..<k {
                                z[at + j] = weight * (z[at + j] / sum - (j == label ? 1 : 0))
                                g[weightCount + j] += z[at + j]
                            }
                        }
                        let regularisation = 1 / c
                        var penalty = 0.0
                        columns.forEachColumn { column, rows, values in
                            let base = column * k
                            for j in 0..<k {
                                penalty += w[base + j] * w[base + j]
                                g[base + j] = regularisation * w[base + j]
                            }
                            for e in rows.indices {
                                let at = Int(rows[e]) * k
                                let x = Double(values[e])
                                for j in 0..<k { g[base + j] += z[at + j] * x }
                            }
                        }
                        loss += 0.5 * regularisation * penalty
                        let scale = 1 / totalWeight
                        for i in 0..<g.count { g[i] *= scale }
                    }
                }
            }
            return loss / totalWeight
        }
        return (theta[0..<weightCount].map(Float.init), theta[weightCount...].map(Float.init))
    }
}
