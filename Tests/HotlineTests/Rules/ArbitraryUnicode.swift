import Foundation

/// Deterministic random strings for robustness tests: emoji, controls, combining marks, surrogate-free scalars of
/// every plane, CJK, trigger fragments and negation words mixed together.
struct ArbitraryUnicode {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// SplitMix64 (Steele, Lea, Flood 2014): small, fast and good enough to drive a generator.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    static let fragments = [
        "不是", "没有", "装修", "工地", "狗", "叫", "…", "浦东", "北蔡", "虹桥", "区", "，", "。",
        "ＫＴＶ", "\u{0301}", "\u{200D}", "\u{FEFF}", "\u{0000}", "\u{001B}", "\r\n", "👨‍👩‍👧", "🇨🇳", "e\u{0301}", "\u{FFFD}",
    ]

    mutating func string(maxLength: Int) -> String {
        let length = Int(next() % UInt64(maxLength + 1))
        var output = ""
        for _ in 0..<length {
            switch next() % 4 {
            case 0: output += Self.fragments[Int(next() % UInt64(Self.fragments.count))]
            case 1: output.unicodeScalars.append(Unicode.Scalar(UInt32(0x4E00 + next() % 0x5000))!)
            default:
                var value = UInt32(next() % 0x11_0000)
                if (0xD800...0xDFFF).contains(value) { value = 0x20 }
                output.unicodeScalars.append(Unicode.Scalar(value)!)
            }
        }
        return output
    }
}
