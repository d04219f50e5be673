import Foundation

/// Turns normalised text into sublinear, IDF-weighted, L2-normalised hashed n-gram vectors.
///
/// Weight of bucket `b` in a text: `(1 + ln tf_b) · idf_b`, then the vector is scaled to unit length (the
/// "sublinear tf" variant of Manning, Raghavan & Schütze, *Introduction to Information Retrieval*, §6.4.1).
/// `idf_b = ln((1 + N) / (1 + df_b)) + 1` (smoothed IDF, as in common TF-IDF practice), and buckets seen in
/// fewer than `minDocumentFrequency` training texts get `idf = 0`, i.e. they are dropped.
struct TfIdfVectorizer: Sendable {
    let hasher: NGramHasher
    /// IDF per bucket, `hasher.dimension` entries; 0 marks a pruned or unseen bucket.
    var idf: [Float]

    /// Computes IDF from the training texts' bucket counts.
    /// - Parameters:
    ///   - counts: the ``BucketCounter`` entries of each training text.
    ///   - minDocumentFrequency: buckets in fewer texts than this get IDF 0.
    static func fit(
        hasher: NGramHasher, counts: [[BucketCounter.Entry]], minDocumentFrequency: Int
    ) -> TfIdfVectorizer {
        var documentFrequency = [Int32](repeating: 0, count: hasher.dimension)
        for entries in counts {
            for entry in entries { documentFrequency[Int(entry.bucket)] += 1 }
        }
        let total = Double(counts.count)
        let idf = documentFrequency.map { df -> Float in
            guard df > 0, Int(df) >= minDocumentFrequency else { return 0 }
            return Float(log((1 + total) / (1 + Double(df))) + 1)
        }
        return TfIdfVectorizer(hasher: hasher, idf: idf)
    }

    /// The weighted, unit-length vector of a counted text. `entryIndex[i]` says which counter entry produced
    /// `indices[i]`, for explanations.
    func vector(from entries: [BucketCounter.Entry]) -> (vector: SparseVector, entryIndex: [Int32]) {
        var vector = SparseVector(indices: [], values: [])
        var entryIndex: [Int32] = []
        vector.indices.reserveCapacity(entries.count)
        vector.values.reserveCapacity(entries.count)
        entryIndex.reserveCapacity(entries.count)
        idf.withUnsafeBufferPointer { idf in
            for (position, entry) in entries.enumerated() {
                let weight = idf[Int(entry.bucket)]
                guard weight > 0 else { continue }
                vector.indices.append(entry.bucket)
                vector.values.append((1 + log(entry.count)) * weight)
                entryIndex.append(Int32(position))
            }
        }
        vector.normalizeL2()
        return (vector, entryIndex)
    }

    /// Normalises, counts and weighs `text` in one go.
    func vector(for text: String) -> SparseVector {
        var scalars: [UInt32] = []
        TextNormalizer.normalizeScalars(text, into: &scalars)
        return vector(from: BucketCounter.count(scalars, hasher: hasher).entries).vector
    }
}
