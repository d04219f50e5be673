/// Counts hashed n-gram buckets of one text with an open-addressing table (linear probing), remembering where
/// each bucket's first n-gram sits so that explanations can name it.
///
/// The table has a power-of-two capacity of at least twice the number of n-grams, so probes stay short; entries
/// are reported in first-seen order, which keeps training deterministic.
struct BucketCounter {
    struct Entry {
        var bucket: Int32
        var count: Float
        var start: Int32
        var length: Int32
    }

    private var slots: [Int32]
    private(set) var entries: [Entry] = []
    private let mask: Int

    /// Creates a table sized for `expected` n-gram occurrences.
    init(expected: Int) {
        var capacity = 16
        while capacity < expected * 2 { capacity <<= 1 }
        slots = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
        entries.reserveCapacity(expected)
    }

    /// Counts one occurrence of `bucket`, found at `start` with `length` scalars.
    @inline(__always)
    mutating func add(bucket: Int, start: Int, length: Int) {
        var slot = bucket & mask  // buckets are already well-mixed hash bits
        while true {
            let index = slots[slot]
            if index < 0 {
                slots[slot] = Int32(entries.count)
                entries.append(Entry(bucket: Int32(bucket), count: 1, start: Int32(start), length: Int32(length)))
                return
            }
            if entries[Int(index)].bucket == Int32(bucket) {
                entries[Int(index)].count += 1
                return
            }
            slot = (slot + 1) & mask
        }
    }

    /// Counts every n-gram of `scalars` hashed by `hasher`.
    static func count(_ scalars: [UInt32], hasher: NGramHasher) -> BucketCounter {
        let used = min(scalars.count, NGramHasher.maxScalars)
        var counter = BucketCounter(expected: used * (hasher.maxN - hasher.minN + 1))
        scalars.withUnsafeBufferPointer { buffer in
            hasher.forEachNGram(buffer) { bucket, start, length in
                counter.add(bucket: bucket, start: start, length: length)
            }
        }
        return counter
    }
}
