/// Maps a hashed bucket to its row in the model, for strictly ascending bucket lists, as a bitmap with rank
/// counts ("rank directory", Jacobson 1989): the row of a bucket is the number of model buckets below it.
///
/// For the default 2^18 buckets this is 4,096 words of 64 bits plus 4,096 counts, 48 KiB, where a flat
/// `[Int32]` table from bucket to row takes 1 MiB. Classification looks up every n-gram of a message, and the
/// small table stays in the processor's near caches, so each look-up costs a few cycles instead of a cache miss.
struct BucketRowIndex: Sendable {
    /// Bit `b % 64` of `words[b / 64]` is set when bucket `b` has a row.
    private let words: [UInt64]
    /// `before[i]`: number of set bits in `words[0..<i]`, i.e. the row of the first bucket in word `i`.
    private let before: [Int32]

    /// Builds the index.
    /// - Parameters:
    ///   - buckets: the model's buckets, strictly ascending, each in `0..<dimension`; bucket `buckets[r]` gets row `r`.
    ///   - dimension: number of hashed buckets (a power of two ≥ 64 in practice; any positive count works).
    /// - Returns: `nil` when `buckets` is not strictly ascending or leaves `0..<dimension`.
    init?(ascending buckets: [Int32], dimension: Int) {
        let wordCount = (dimension + 63) / 64
        var words = [UInt64](repeating: 0, count: wordCount)
        var previous = -1
        for bucket in buckets.map(Int.init) {
            guard bucket > previous, bucket < dimension else { return nil }
            words[bucket >> 6] |= 1 << UInt64(bucket & 63)
            previous = bucket
        }
        var before = [Int32](repeating: 0, count: wordCount)
        var total: Int32 = 0
        for index in 0..<wordCount {
            before[index] = total
            total += Int32(words[index].nonzeroBitCount)
        }
        self.words = words
        self.before = before
    }

    /// Calls `body` with a look-up function valid only inside it (it reads the tables without copying them).
    /// The function takes a bucket in `0..<dimension` and returns its row, or -1 when the model has none.
    @inline(__always)
    func withLookup<Result>(_ body: ((Int) -> Int32) throws -> Result) rethrows -> Result {
        try words.withUnsafeBufferPointer { words in
            try before.withUnsafeBufferPointer { before in
                try body { bucket in
                    let word = words[bucket >> 6]
                    let bit = UInt64(1) << UInt64(bucket & 63)
                    guard word & bit != 0 else { return -1 }
                    return before[bucket >> 6] &+ Int32(truncatingIfNeeded: (word & (bit &- 1)).nonzeroBitCount)
                }
            }
        }
    }

    /// The row of `bucket`, or -1 when the model has none (see ``withLookup(_:)`` for loops).
    /// - Parameter bucket: in `0..<dimension`.
    func row(of bucket: Int) -> Int32 {
        withLookup { $0(bucket) }
    }
}
