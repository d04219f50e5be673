import Foundation

/// Naive Bayes log-count ratios per class and feature, the feature scaling of NB-SVM.
///
/// Wang & Manning, "Baselines and Bigrams: Simple, Good Sentiment and Topic Classification" (ACL 2012), §2.1–2.2:
/// for class `c` let `p = α + Σ_{i ∈ c} xᵢ` and `q = α + Σ_{i ∉ c} xᵢ` over the training rows' feature vectors;
/// then `r_c = log((p / ‖p‖₁) / (q / ‖q‖₁))`. The one-vs-rest SVM of class `c` is trained on `x ∘ r_c`, so
/// features that the class's texts use much more than the rest start with a larger scale. Here `x` is the
/// TF-IDF row itself (not its binarised form; out-of-fold the TF-IDF form with `α = 0.1` scored best, see
/// `Resources/PROVENANCE.md`). Rows are unweighted in the sums.
enum LogCountRatio {
    /// The ratios laid out `[class][column]`.
    /// - Parameters:
    ///   - matrix: training rows (TF-IDF values ≥ 0).
    ///   - labels: class (`0..<classCount`) of each row.
    ///   - smoothing: `α` > 0.
    static func fit(_ matrix: SparseMatrix, labels: [Int], classCount: Int, smoothing: Double) -> [[Float]] {
        var sums = [[Double]](repeating: [Double](repeating: 0, count: matrix.columnCount), count: classCount)
        for row in 0..<matrix.rowCount {
            for e in matrix.rowStart[row]..<matrix.rowStart[row + 1] {
                sums[labels[row]][Int(matrix.columns[e])] += Double(matrix.values[e])
            }
        }
        var total = [Double](repeating: 0, count: matrix.columnCount)
        for classSums in sums { for column in total.indices { total[column] += classSums[column] } }
        return sums.map { classSums in
            var p = 0.0
            var q = 0.0
            for column in total.indices {
                p += smoothing + classSums[column]
                q += smoothing + total[column] - classSums[column]
            }
            return total.indices.map { column in
                let inClass = (smoothing + classSums[column]) / p
                let outside = (smoothing + max(total[column] - classSums[column], 0)) / q
                return Float(log(inClass / outside))
            }
        }
    }
}
