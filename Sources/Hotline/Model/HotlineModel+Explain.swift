extension HotlineModel {
    /// The n-grams that pushed hardest towards `label`.
    ///
    /// Weight of an n-gram: its unit-length TF-IDF value times, averaged over heads, the head's weight for
    /// `label` divided by the head's temperature. Rows are centred per head (their mean over labels is 0, see
    /// ``HotlineModel/centre(rows:stride:heads:labels:)``), so this is the n-gram's share of the label's
    /// calibrated log-odds against the average label. Each bucket is named by the first n-gram of the normalised
    /// text that hashed to it.
    func explain(label: Int, evidence: Evidence, counter: BucketCounter, scalars: [UInt32]) -> [HotlineFeatureWeight] {
        let size = options.explanationSize
        guard size > 0 else { return [] }
        let k = labels.count
        var best: [(weight: Double, index: Int)] = []
        for index in evidence.rows.indices {
            let base = Int(evidence.rows[index]) * stride + 1
            var weight = 0.0
            for (h, head) in heads.enumerated() { weight += Double(rows[base + h * k + label]) / head.temperature }
            weight *= Double(evidence.values[index]) / Double(heads.count)
            guard weight > 0, weight.isFinite else { continue }
            if best.count < size || weight > best[best.count - 1].weight {
                let at = best.firstIndex { $0.weight < weight } ?? best.count
                best.insert((weight, index), at: at)
                if best.count > size { best.removeLast() }
            }
        }
        return best.map { item in
            let entry = counter.entries[Int(evidence.entries[item.index])]
            var view = String.UnicodeScalarView()
            for value in scalars[Int(entry.start)..<Int(entry.start + entry.length)] {
                if let scalar = Unicode.Scalar(value) { view.append(scalar) }
            }
            return HotlineFeatureWeight(feature: String(view), weight: item.weight)
        }
    }
}
