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
        TextNormalizer.normalizeScalars(text, into: &scalars)
        let counter = BucketCounter.count(scalars, hasher: hasher)
        let evidence = accumulate(counter)
        let probabilities = calibratedProbabilities(logits: evidence.logits)
        let order = labels.indices.sorted {
            probabilities[$0] > probabilities[$1] || (probabilities[$0] == probabilities[$1] && $0 < $1)
        }
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

    /// The text's known buckets and every head's raw scores.
    struct Evidence {
        /// One bucket of the text that the model knows.
        struct Known {
            /// Row of the bucket in ``HotlineModel/rows`` (row number, not offset).
            var row: Int32
            /// Unit-length TF-IDF value of the bucket in this text.
            var value: Float
            /// Index of the bucket's ``BucketCounter/Entry`` in the counter.
            var entry: Int32
        }

        /// Known buckets in counter order.
        var known: [Known]
        /// `heads.count × labels.count` raw scores, head by head, bias included.
        var logits: [Double]
    }

    /// Looks up the counter's buckets in the model and sums their weighted rows.
    ///
    /// Each known bucket's value is `(1 + ln count) × IDF` (Float); rows are summed in counter order (first-seen
    /// n-gram order) and the sums scaled by the inverse L2 norm of the values at the end. Keep this order of Float
    /// operations: probabilities and explanations are compared bit for bit with earlier builds.
    /// - Parameter counter: the message's bucket counts.
    /// - Returns: the known buckets with their unit-length values, and the logits.
    func accumulate(_ counter: BucketCounter) -> Evidence {
        let width = heads.count * labels.count
        let stride = self.stride
        var squaredNorm: Float = 0
        var sums = [Float](repeating: 0, count: width)
        var known = [Evidence.Known](unsafeUninitializedCapacity: counter.entries.count) { known, found in
            rows.withUnsafeBufferPointer { rows in
                rowIndex.withLookup { rowOf in
                    sums.withUnsafeMutableBufferPointer { sums in
                        for (position, entry) in counter.entries.enumerated() {
                            let row = rowOf(Int(entry.bucket))
                            guard row >= 0 else { continue }
                            let base = Int(row) &* stride
                            let value = (entry.count == 1 ? 1 : 1 + log(entry.count)) * rows[base]
                            squaredNorm += value * value
                            for j in 0..<width { sums[j] += rows[base + 1 + j] * value }
                            known.initializeElement(
                                at: found, to: .init(row: row, value: value, entry: Int32(truncatingIfNeeded: position))
                            )
                            found += 1
                        }
                    }
                }
            }
        }
        let scale = squaredNorm > 0 ? 1 / Double(squaredNorm.squareRoot()) : 0
        var logits = [Double](repeating: 0, count: width)
        for (h, head) in heads.enumerated() {
            for j in 0..<labels.count {
                logits[h * labels.count + j] = Double(sums[h * labels.count + j]) * scale + Double(head.bias[j])
            }
        }
        for index in known.indices { known[index].value *= Float(scale) }
        return Evidence(known: known, logits: logits)
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
