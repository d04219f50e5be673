import Foundation

extension HotlineModel {
    /// Classifies one message.
    ///
    /// The text is normalised (``TextNormalizer``), its character n-grams (first 10,000 scalars) hashed and
    /// TF-IDF weighted, each head's scores divided by its temperature and turned into probabilities by softmax,
    /// and the heads' probabilities averaged. Never fails: any string, including the empty one, gets a ranking.
    /// - Parameters:
    ///   - text: the raw message (title and details), any length and any Unicode.
    ///   - topK: how many labels to return, clamped to `0...labels.count`.
    /// - Returns: the ranking, the first label's probability as confidence, and the n-grams behind it.
    public func classify(_ text: String, topK: Int = 3) -> HotlineClassification {
        var scalars: [UInt32] = []
        scalars.reserveCapacity(min(text.utf8.count, NGramHasher.maxScalars))
        TextNormalizer.normalizeScalars(text, into: &scalars)
        let counter = BucketCounter.count(scalars, hasher: hasher)
        let evidence = accumulate(counter)
        let probabilities = calibratedProbabilities(logits: evidence.logits)
        let order = labels.indices.sorted { probabilities[$0] > probabilities[$1] || (probabilities[$0] == probabilities[$1] && $0 < $1) }
        let ranked = order.prefix(max(0, min(topK, labels.count))).map {
            HotlineLabelScore(label: labels[$0], score: probabilities[$0])
        }
        let explanation = explain(label: order[0], evidence: evidence, counter: counter, scalars: scalars)
        return HotlineClassification(ranked: ranked, confidence: probabilities[order[0]], explanation: explanation)
    }

    /// Calibrated probability of every label, in ``labels`` order (sums to 1).
    /// - Parameter text: the raw message.
    public func probabilities(_ text: String) -> [Double] {
        var scalars: [UInt32] = []
        TextNormalizer.normalizeScalars(text, into: &scalars)
        return calibratedProbabilities(logits: accumulate(BucketCounter.count(scalars, hasher: hasher)).logits)
    }

    /// The text's known buckets (row, unit-length TF-IDF value, counter entry) and every head's raw scores
    /// (`heads.count × labels.count`, bias included).
    struct Evidence {
        var rows: [Int32] = []
        var values: [Float] = []
        var entries: [Int32] = []
        var logits: [Double]
    }

    func accumulate(_ counter: BucketCounter) -> Evidence {
        let width = heads.count * labels.count
        var evidence = Evidence(logits: [Double](repeating: 0, count: width))
        evidence.rows.reserveCapacity(counter.entries.count)
        evidence.values.reserveCapacity(counter.entries.count)
        evidence.entries.reserveCapacity(counter.entries.count)
        var squaredNorm: Float = 0
        var sums = [Float](repeating: 0, count: width)
        rows.withUnsafeBufferPointer { rows in
            rowIndex.withUnsafeBufferPointer { rowIndex in
                for (position, entry) in counter.entries.enumerated() {
                    let row = rowIndex[Int(entry.bucket)]
                    guard row >= 0 else { continue }
                    let base = Int(row) * stride
                    let value = (entry.count == 1 ? 1 : 1 + log(entry.count)) * rows[base]
                    squaredNorm += value * value
                    for j in 0..<width { sums[j] += rows[base + 1 + j] * value }
                    evidence.rows.append(row)
                    evidence.values.append(value)
                    evidence.entries.append(Int32(position))
                }
            }
        }
        let scale = squaredNorm > 0 ? 1 / Double(squaredNorm.squareRoot()) : 0
        for (h, head) in heads.enumerated() {
            for j in 0..<labels.count {
                evidence.logits[h * labels.count + j] = Double(sums[h * labels.count + j]) * scale + Double(head.bias[j])
            }
        }
        for index in evidence.values.indices { evidence.values[index] *= Float(scale) }
        return evidence
    }

    /// Softmax of each head's logits over its temperature, averaged over heads.
    func calibratedProbabilities(logits: [Double]) -> [Double] {
        let k = labels.count
        var probabilities = [Double](repeating: 0, count: k)
        for (h, head) in heads.enumerated() {
            let slice = logits[(h * k)..<(h * k + k)].map { $0 / head.temperature }
            let top = slice.max() ?? 0
            let exps = slice.map { exp($0 - top) }
            let sum = exps.reduce(0, +)
            for j in 0..<k { probabilities[j] += exps[j] / sum / Double(heads.count) }
        }
        return probabilities
    }
}
