/// Canonical form of a citizen message before feature extraction.
///
/// Rules, applied per Unicode scalar in one pass:
/// 1. Excel/OOXML escapes `_xHHHH_` (the corpus' `_x000D_` carriage returns) are decoded and then treated like
///    the character they stand for (ECMA-376 Part 1, §22.9.2.19 ST_Xstring).
/// 2. Full-width forms U+FF01–U+FF5E become their ASCII counterparts (U+0021–U+007E); ideographic space U+3000 is
///    whitespace (Unicode Halfwidth and Fullwidth Forms block).
/// 3. ASCII letters are lower-cased.
/// 4. Text in traditional script is first converted phrase by phrase (``TraditionalChinese/simplify(_:)``, OpenCC's
///    phrases, so 乾乾淨淨 becomes 干干净净); then traditional characters become simplified ones where
///    ``TraditionalChinese`` has an unambiguous entry.
/// 5. CJK punctuation becomes ASCII (`。`→`.`, `、`→`,`, quotes→`"`/`'`, `《》〈〉`→`<>`, `【】〔〕〖〗`→`[]`,
///    dashes→`-`, `…`→`.`, `～`→`~`), and a run of the same punctuation mark collapses to one (`！！！`→`!`).
/// 6. Control characters (Cc), format characters (Cf, e.g. zero-width space, BOM) and variation selectors are
///    dropped; combining marks, emoji and everything else are kept.
/// 7. Whitespace runs (any Unicode white space) are removed, except that a single space is kept between two
///    non-CJK characters (CJK as in ``ScalarClass/isCJK(_:)``; `wi fi` stays, `市 政府` becomes `市政府`): half of the training corpus had its
///    whitespace removed by its publisher, so spacing carries no meaning there. Leading and trailing space go.
public struct TextNormalizer: Sendable {
    /// Creates a normaliser; all rules are fixed, so instances carry no state.
    public init() {}

    /// Returns the canonical form of `text` (see the type's rules). Never fails; the empty string maps to itself.
    /// - Parameter text: any Unicode string, of any length.
    /// - Returns: the normalised text, at most as many scalars as `text` has.
    public static func normalize(_ text: String) -> String {
        var scalars: [UInt32] = []
        normalizeScalars(text, into: &scalars)
        return string(fromScalars: scalars)
    }

    /// Appends the normalised scalar values of `text` to `output` (the allocation-light form used by the
    /// classifier). A non-empty `output` counts as text before `text`: its last scalar takes part in rules 5 and 7.
    /// - Parameters:
    ///   - text: any Unicode string.
    ///   - output: receives at most `text.unicodeScalars.count` more values, each a valid Unicode scalar value.
    static func normalizeScalars(_ text: String, into output: inout [UInt32]) {
        // `withUTF8` may make a contiguous native copy, hence `var`; native strings need none.
        var text = TraditionalChinese.simplify(text)
        text.withUTF8 { normalizeUTF8($0, into: &output) }
    }

    /// The rules of the type applied to well-formed UTF-8 (as every Swift `String` holds), decoded by hand and
    /// classified through ``ScalarClass/bmpTable`` rather than through `Character` or `Unicode.Scalar` APIs.
    /// - Parameters:
    ///   - utf8: well-formed UTF-8 bytes.
    ///   - output: receives at most one value per scalar of `utf8`.
    static func normalizeUTF8(_ utf8: UnsafeBufferPointer<UInt8>, into output: inout [UInt32]) {
        guard !utf8.isEmpty else { return }
        // Each kept scalar comes from at least one input scalar and each inserted space stands for at least one
        // white-space scalar, so the output never has more values than the input has bytes.
        let capacity = utf8.count
        var last = output.last
        let produced = ScalarClass.bmpTable.withUnsafeBufferPointer { table in
            [UInt32](unsafeUninitializedCapacity: capacity) { buffer, count in
                var index = 0
                var pendingSpace = false
                while index < utf8.count {
                    var (value, width) = decodeScalar(utf8, at: index)
                    index += width
                    if value == 0x5F, let decoded = excelEscape(utf8, after: index) {
                        value = decoded
                        index += 6
                    }
                    // Code of ``ScalarClass/bmpTable`` (BMP) or from ``ScalarClass/classify(_:)`` (other planes).
                    let code: UInt32
                    if value < 0x1_0000 {
                        code = UInt32(table[Int(value)])
                    } else {
                        switch ScalarClass.classify(value) {
                        case .drop: code = ScalarClass.dropCode
                        case .space: code = ScalarClass.spaceCode
                        case .keep(let mapped): code = mapped
                        }
                    }
                    if code == ScalarClass.dropCode { continue }
                    if code == ScalarClass.spaceCode {
                        pendingSpace = true
                        continue
                    }
                    let mapped = code
                    if let previous = last {
                        if pendingSpace, !ScalarClass.isCJK(previous), !ScalarClass.isCJK(mapped) {
                            precondition(count < capacity)
                            buffer[count] = 0x20
                            count += 1
                            last = 0x20
                        }
                        // Compared with the scalar before any inserted space, as the rules read: `! !` → `! `.
                        if mapped == previous, ScalarClass.isCollapsiblePunctuation(mapped) {
                            pendingSpace = false
                            continue
                        }
                    }
                    precondition(count < capacity)
                    buffer[count] = mapped
                    count += 1
                    last = mapped
                    pendingSpace = false
                }
            }
        }
        if output.isEmpty { output = produced } else { output.append(contentsOf: produced) }
    }

    /// UTF-8 encodes scalar values into a string; values that are not Unicode scalars (surrogates, > U+10FFFF)
    /// are skipped, as `String.UnicodeScalarView` would refuse them.
    /// - Parameter scalars: UTF-32 values, e.g. from ``normalizeScalars(_:into:)``.
    /// - Returns: the string of those scalars, in order.
    static func string<C: Collection>(fromScalars scalars: C) -> String where C.Element == UInt32 {
        String(unsafeUninitializedCapacity: scalars.count * 4) { buffer in
            var count = 0
            for value in scalars {
                switch value {
                case 0..<0x80:
                    buffer[count] = UInt8(value)
                    count += 1
                case 0x80..<0x800:
                    buffer[count] = UInt8(0xC0 | value >> 6)
                    buffer[count + 1] = UInt8(0x80 | value & 0x3F)
                    count += 2
                case 0xD800...0xDFFF:
                    continue
                case 0x800..<0x1_0000:
                    buffer[count] = UInt8(0xE0 | value >> 12)
                    buffer[count + 1] = UInt8(0x80 | value >> 6 & 0x3F)
                    buffer[count + 2] = UInt8(0x80 | value & 0x3F)
                    count += 3
                case 0x1_0000...0x10_FFFF:
                    buffer[count] = UInt8(0xF0 | value >> 18)
                    buffer[count + 1] = UInt8(0x80 | value >> 12 & 0x3F)
                    buffer[count + 2] = UInt8(0x80 | value >> 6 & 0x3F)
                    buffer[count + 3] = UInt8(0x80 | value & 0x3F)
                    count += 4
                default:
                    continue
                }
            }
            return count
        }
    }

    /// Decodes the scalar whose UTF-8 form starts at `index` (RFC 3629 §3).
    /// - Parameters:
    ///   - utf8: well-formed UTF-8, so a lead byte is followed by all of its continuation bytes.
    ///   - index: the offset of a lead byte, `< utf8.count`.
    /// - Returns: the scalar value and its length in bytes (1–4).
    @inline(__always)
    static func decodeScalar(_ utf8: UnsafeBufferPointer<UInt8>, at index: Int) -> (value: UInt32, width: Int) {
        let lead = UInt32(utf8[index])
        if lead < 0x80 { return (lead, 1) }
        if lead < 0xE0 { return ((lead & 0x1F) << 6 | UInt32(utf8[index + 1]) & 0x3F, 2) }
        if lead < 0xF0 {
            return ((lead & 0x0F) << 12 | (UInt32(utf8[index + 1]) & 0x3F) << 6 | UInt32(utf8[index + 2]) & 0x3F, 3)
        }
        let value =
            (lead & 0x07) << 18 | (UInt32(utf8[index + 1]) & 0x3F) << 12
            | (UInt32(utf8[index + 2]) & 0x3F) << 6 | UInt32(utf8[index + 3]) & 0x3F
        return (value, 4)
    }

    /// Decodes `xHHHH_` following an underscore (rule 1). All six are ASCII, so they are the next six bytes.
    /// - Parameters:
    ///   - utf8: the text's UTF-8.
    ///   - start: the offset just after the underscore.
    /// - Returns: the scalar value `HHHH` (hex digits of either case); the escape then ends at `start + 6`.
    @inline(__always)
    private static func excelEscape(_ utf8: UnsafeBufferPointer<UInt8>, after start: Int) -> UInt32? {
        guard start + 6 <= utf8.count, utf8[start] | 0x20 == 0x78, utf8[start + 5] == 0x5F else { return nil }
        var value: UInt32 = 0
        for offset in 1...4 {
            guard let digit = hexValue(UInt32(utf8[start + offset])) else { return nil }
            value = value << 4 | digit
        }
        return value
    }

    private static func hexValue(_ value: UInt32) -> UInt32? {
        switch value {
        case 0x30...0x39: value - 0x30
        case 0x41...0x46: value - 0x41 + 10
        case 0x61...0x66: value - 0x61 + 10
        default: nil
        }
    }
}
