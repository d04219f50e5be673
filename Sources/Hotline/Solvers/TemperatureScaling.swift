import Foundation

/// Temperature scaling (Guo, Pleiss, Sun & Weinberger, "On Calibration of Modern Neural Networks", ICML 2017):
/// one scalar `T > 0` so that `softmax(z / T)` has the lowest negative log-likelihood on held-out scores.
enum TemperatureScaling {
    /// Fits `T` by golden-section search over `ln T ∈ [ln 0.01, ln 100]` (the NLL is convex in `1/T`, hence
    /// unimodal in `ln T`).
    /// - Parameters:
    ///   - scores: held-out decision scores, `labels.count` rows of `classCount` values.
    ///   - labels: the true class of each row.
    /// - Returns: the temperature, or 1 when there are no rows.
    static func fit(scores: [[Double]], labels: [Int]) -> Double {
        guard !scores.isEmpty else { return 1 }
        let golden = (5.0.squareRoot() - 1) / 2
        var low = log(0.01)
        var high = log(100.0)
        var a = high - golden * (high - low)
        var b = low + golden * (high - low)
        var fa = negativeLogLikelihood(scores, labels, temperature: exp(a))
        var fb = negativeLogLikelihood(scores, labels, temperature: exp(b))
        for _ in 0..<60 {
            if fa < fb {
                high = b; b = a; fb = fa
                a = high - golden * (high - low)
                fa = negativeLogLikelihood(scores, labels, temperature: exp(a))
            } else {
                low = a; a = b; fa = fb
                b = low + golden * (high - low)
                fb = negativeLogLikelihood(scores, labels, temperature: exp(b))
            }
        }
        return exp((low + high) / 2)
    }

    /// Mean negative log-likelihood of `labels` under `softmax(scores / temperature)`.
    static func negativeLogLikelihood(_ scores: [[Double]], _ labels: [Int], temperature: Double) -> Double {
        var total = 0.0
        for (row, label) in zip(scores, labels) {
            let top = row.max() ?? 0
            var sum = 0.0
            for value in row { sum += exp((value - top) / temperature) }
            total += log(sum) - (row[label] - top) / temperature
        }
        return total / Double(labels.count)
    }
}
