/// Counts hashed n-gram buckets of one text with an open-addressing table (linear probing), remembering where
/// each bucket's first n-gram sits so that explanations can name it.
///
/// The table has a power-of-two capacity of at least twice the number of n-grams, so probes stay short; entries
/// are reported in first-seen order, which keeps training deterministic. Buckets (< 2^24), positions and lengths
/// (< ``NGramHasher/maxScalars``) all fit in `Int32`.
struct BucketCounter {
    struct Entry {
        var bucket: Int32
        var count: Float
        var start: Int32
        var length: Int32
    }

    /// Distinct buckets in first-seen order, with their counts and first occurrences.
    let entries: [Entry]

    /// Counts every n-gram of `scalars` hashed by `hasher`.
    /// - Parameters:
    ///   - scalars: normalised text (see ``TextNormalizer``); only the first ``NGramHasher/maxScalars`` are used.
    ///   - hasher: names the n-gram lengths and the bucket space.
    /// - Returns: one entry per distinct bucket, in order of its first n-gram (start position, then length).
    static func count(_ scalars: [UInt32], hasher: NGramHasher) -> BucketCounter {
        let used = min(scalars.count, NGramHasher.maxScalars)
        // Each start position yields at most `maxN - minN + 1` n-grams, so this bounds the distinct buckets too.
        let expected = used * (hasher.maxN - hasher.minN + 1)
        var capacity = 16
        while capacity < expected * 2 { capacity <<= 1 }
        let mask = capacity - 1
        var slots = [Int32](repeating: -1, count: capacity)
        let entries = [Entry](unsafeUninitializedCapacity: max(expected, 1)) { entries, entryCount in
            slots.withUnsafeMutableBufferPointer { slots in
                scalars.withUnsafeBufferPointer { buffer in
                    hasher.forEachNGram(buffer) { bucket, start, length in
                        var slot = bucket & mask  // buckets are already well-mixed hash bits
                        while true {
                            let index = Int(slots[slot])
                            if index < 0 {
                                precondition(entryCount < entries.count)
                                slots[slot] = Int32(truncatingIfNeeded: entryCount)
                                (entries.baseAddress! + entryCount).initialize(
                                    to: Entry(
                                        bucket: Int32(truncatingIfNeeded: bucket), count: 1,
                                        start: Int32(truncatingIfNeeded: start),
                                        length: Int32(truncatingIfNeeded: length)))
                                entryCount += 1
                                return
                            }
                            if entries[index].bucket == Int32(truncatingIfNeeded: bucket) {
                                entries[index].count += 1
                                return
                            }
                            slot = (slot + 1) & mask
                        }
                    }
                }
            }
        }
        return BucketCounter(entries: entries)
    }
}
