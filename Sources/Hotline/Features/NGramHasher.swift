/// Hashes the character n-grams of normalised text into a fixed feature space of `2^bits` buckets.
///
/// Each n-gram is hashed with 64-bit FNV-1a taken one UTF-32 scalar at a time (offset basis 0xcbf29ce484222325,
/// prime 0x100000001b3, from the FNV reference by Fowler, Noll and Vo), so the n-grams starting at one position
/// share their prefix work; the MurmurHash3 64-bit finaliser then spreads the bits before the low `bits` are
/// kept. Digits may be folded to `0` first (`2019年` and `2020年` then share features).
struct NGramHasher: Sendable, Equatable {
    /// Shortest n-gram length, ≥ 1.
    let minN: Int
    /// Longest n-gram length, ≥ `minN`.
    let maxN: Int
    /// log2 of the number of buckets.
    let bits: Int
    /// Whether ASCII digits are folded to `0` before hashing.
    let foldDigits: Bool

    /// Number of buckets, `2^bits`.
    var dimension: Int { 1 << bits }

    static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// Longest text (in normalised scalars) whose n-grams are used; the rest is ignored, which bounds time and
    /// memory for pathological input. 10,000 is well above Open311's 4,000-character description limit and the
    /// longest corpus message (3,732 characters).
    static let maxScalars = 10_000

    /// Calls `body(bucket, start, length)` for every n-gram of `scalars` (at most ``maxScalars`` of them), in
    /// order of start position then length. `start` and `length` index into `scalars`.
    @inline(__always)
    func forEachNGram(_ scalars: UnsafeBufferPointer<UInt32>, _ body: (Int, Int, Int) -> Void) {
        let count = min(scalars.count, Self.maxScalars)
        let mask = UInt64(dimension - 1)
        for start in 0..<count {
            var hash = Self.offsetBasis
            let longest = min(maxN, count - start)
            var length = 0
            while length < longest {
                var value = scalars[start + length]
                if foldDigits, value >= 0x30, value <= 0x39 { value = 0x30 }
                hash = (hash ^ UInt64(value)) &* Self.prime
                length += 1
                if length >= minN { body(Int(Self.finalize(hash) & mask), start, length) }
            }
        }
    }

    /// MurmurHash3's fmix64 (Austin Appleby, public domain).
    @inline(__always)
    static func finalize(_ value: UInt64) -> UInt64 {
        var key = value
        key ^= key >> 33
        key &*= 0xff51_afd7_ed55_8ccd
        key ^= key >> 33
        key &*= 0xc4ce_b9fe_1a85_ec53
        key ^= key >> 33
        return key
    }
}
