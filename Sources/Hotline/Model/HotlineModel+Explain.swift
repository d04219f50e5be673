extension HotlineModel {
    /// The n-grams that pushed hardest towards `label`.
    ///
    /// Weight of an n-gram: its unit-length TF-IDF value times, averaged over heads, the head's weight for
    /// `label` divided by the head's temperature. Rows are centred per head (their mean over labels is 0, see
    /// ``HotlineModel/centre(rows:stride:heads:labels:)``), so this is the n-gram's share of the label's
    /// calibrated log-odds against the average label. Each bucket is named by the first n-gram of the normalised
    /// text that hashed to it.
    /// - Parameters:
    ///   - label: index into ``labels`` of the label to explain.
    ///   - evidence: the text's known buckets from ``accumulate(_:)``.
    ///   - counter: the counter behind `evidence`, for each bucket's first n-gram.
    ///   - scalars: the normalised text the counter counted.
    /// - Returns: at most `options.explanationSize` n-grams with a positive, finite weight, strongest first; ties
    ///   keep counter order.
    func explain(label: Int, evidence: Evidence, counter: BucketCounter, scalars: [UInt32]) -> [HotlineFeatureWeight] {
        let size = options.explanationSize
        guard size > 0 else { return [] }
        let k = labels.count
        let stride = self.stride
        let temperatures = heads.map(\.temperature)
        let headCount = Double(heads.count)
        var best: [(weight: Double, index: Int)] = []
        best.reserveCapacity(size + 1)
        // A weight must beat this to enter `best`: 0 until `best` is full, then its weakest weight (> 0). One
        // comparison per bucket, which is rarely true once `best` is full, so the branch predicts well.
        var threshold = 0.0
        rows.withUnsafeBufferPointer { rows in
            for (index, known) in evidence.known.enumerated() {
                let base = Int(known.row) &* stride + 1 + label
                var weight = 0.0
                for h in temperatures.indices { weight += Double(rows[base + h * k]) / temperatures[h] }
                weight *= Double(known.value) / headCount
                guard weight > threshold, weight.isFinite else { continue }
                let at = best.firstIndex { $0.weight < weight } ?? best.count
                best.insert((weight, index), at: at)
                if best.count > size { best.removeLast() }
                if best.count == size { threshold = best[size - 1].weight }
            }
        }
        return best.map { item in
            let entry = counter.entries[Int(evidence.known[item.index].entry)]
            let start = Int(entry.start)
            return HotlineFeatureWeight(
                feature: TextNormalizer.string(fromScalars: scalars[start..<start + Int(entry.length)]),
                weight: item.weight)
        }
    }
}
