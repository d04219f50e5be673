/// A sparse feature vector: parallel arrays of bucket indices and values (no particular order, no duplicates).
struct SparseVector: Sendable, Equatable {
    var indices: [Int32]
    var values: [Float]

    /// The empty vector.
    static let empty = SparseVector(indices: [], values: [])

    /// Number of stored entries.
    var count: Int { indices.count }

    /// Scales the vector to unit Euclidean length; leaves the zero vector alone.
    mutating func normalizeL2() {
        var sum: Float = 0
        for value in values { sum += value * value }
        guard sum > 0 else { return }
        let scale = 1 / sum.squareRoot()
        for index in values.indices { values[index] *= scale }
    }
}
