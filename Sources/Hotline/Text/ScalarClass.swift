/// What the normaliser does with one scalar value: drop it, treat it as white space, or keep a mapped value.
enum ScalarClass: Equatable {
    case drop
    case space
    case keep(UInt32)

    /// ``bmpTable`` code for a scalar that is dropped (U+FFFF, a noncharacter, is itself dropped).
    static let dropCode: UInt32 = 0xFFFF
    /// ``bmpTable`` code for a white-space scalar (U+FFFE, a noncharacter, is itself dropped).
    static let spaceCode: UInt32 = 0xFFFE

    /// ``classify(_:)`` precomputed for every value of the Basic Multilingual Plane (U+0000–U+FFFF, surrogate
    /// code points included, which are dropped), so the normaliser needs one load per scalar:
    /// `bmpTable[v]` is ``dropCode``, ``spaceCode`` or the mapped value. 65,536 × 2 bytes = 128 KiB, built on
    /// first use (a few milliseconds). Mapped values of BMP scalars stay in the BMP (rules 2–5 map to ASCII or to
    /// simplified ideographs), so 16 bits hold them, and none is U+FFFE or U+FFFF.
    static let bmpTable: [UInt16] = (0...UInt32(0xFFFF)).map { value -> UInt16 in
        switch classify(value) {
        case .drop: return UInt16(dropCode)
        case .space: return UInt16(spaceCode)
        case .keep(let mapped):
            precondition(mapped < spaceCode, "a BMP scalar mapped outside the BMP")
            return UInt16(mapped)
        }
    }

    /// Classifies and maps one scalar value (rules 2–6 of ``TextNormalizer``); fast paths avoid Unicode property
    /// look-ups for ASCII and CJK ideographs, which make up almost all hotline text.
    @inline(__always)
    static func classify(_ value: UInt32) -> ScalarClass {
        if value < 0x80 {
            switch value {
            case 0x09...0x0D, 0x20: return .space
            case 0x00..<0x20, 0x7F: return .drop
            case 0x41...0x5A: return .keep(value + 0x20)
            default: return .keep(value)
            }
        }
        if value >= 0x4E00, value <= 0x9FFF { return .keep(TraditionalChinese.simplified(value)) }
        if value >= 0xFF01, value <= 0xFF5E { return classify(value - 0xFEE0) }
        if let mapped = punctuation(value) { return .keep(mapped) }
        if value >= 0x3400, value < 0x4E00 { return .keep(TraditionalChinese.simplified(value)) }
        if value >= 0xFE00, value <= 0xFE0F { return .drop }
        if value >= 0xE0100, value <= 0xE01EF { return .drop }
        guard let scalar = Unicode.Scalar(value) else { return .drop }
        if scalar.properties.isWhitespace { return .space }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .unassigned: return .drop
        default: return .keep(value)
        }
    }

    /// ASCII stand-ins for CJK and typographic punctuation (rule 5 of ``TextNormalizer``).
    @inline(__always)
    static func punctuation(_ value: UInt32) -> UInt32? {
        switch value {
        case 0x3002, 0xFF61: 0x2E  // 。｡ → .
        case 0x3001, 0xFF64: 0x2C  // 、､ → ,
        case 0x201C, 0x201D, 0x201E, 0x201F, 0x300C, 0x300D, 0x300E, 0x300F: 0x22  // “”„‟「」『』 → "
        case 0x2018, 0x2019, 0x201A, 0x201B: 0x27  // ‘’‚‛ → '
        case 0x300A, 0x3008: 0x3C  // 《〈 → <
        case 0x300B, 0x3009: 0x3E  // 》〉 → >
        case 0x3010, 0x3014, 0x3016: 0x5B  // 【〔〖 → [
        case 0x3011, 0x3015, 0x3017: 0x5D  // 】〕〗 → ]
        case 0x2010...0x2015, 0x2212: 0x2D  // ‐‑‒–—― − → -
        case 0x2026, 0x22EF: 0x2E  // …⋯ → .
        case 0x301C: 0x7E  // 〜 → ~
        default: nil
        }
    }

    /// Whether a repeat of this (already mapped) scalar collapses: ASCII punctuation only, so `!!!` → `!` while
    /// repeated letters, digits and ideographs (`哈哈`, `00`) stay.
    @inline(__always)
    static func isCollapsiblePunctuation(_ value: UInt32) -> Bool {
        switch value {
        case 0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E: true
        default: false
        }
    }

    /// Whether a scalar belongs to the CJK blocks, where words are not separated by spaces: U+2E80–U+A4CF
    /// (radicals, CJK symbols and punctuation, kana, ideographs, Yi), U+F900–U+FAFF (compatibility ideographs),
    /// U+FE30–U+FE4F (CJK compatibility forms), U+FF00–U+FFEF (half- and full-width forms), U+20000–U+3FFFF
    /// (supplementary ideographs).
    @inline(__always)
    static func isCJK(_ value: UInt32) -> Bool {
        switch value {
        case 0x2E80...0xA4CF, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFFEF, 0x20000...0x3FFFF: true
        default: false
        }
    }
}
