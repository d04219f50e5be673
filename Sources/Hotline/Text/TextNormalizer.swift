/// Canonical form of a citizen message before feature extraction.
///
/// Rules, applied per Unicode scalar in one pass:
/// 1. Excel/OOXML escapes `_xHHHH_` (the corpus' `_x000D_` carriage returns) are decoded and then treated like
///    the character they stand for (ECMA-376 Part 1, §22.9.2.19 ST_Xstring).
/// 2. Full-width forms U+FF01–U+FF5E become their ASCII counterparts (U+0021–U+007E); ideographic space U+3000 is
///    whitespace (Unicode Halfwidth and Fullwidth Forms block).
/// 3. ASCII letters are lower-cased.
/// 4. Traditional characters become simplified ones where ``TraditionalChinese`` has an unambiguous entry.
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
        scalars.reserveCapacity(text.utf8.count / 2)
        normalizeScalars(text, into: &scalars)
        var view = String.UnicodeScalarView()
        for value in scalars { if let scalar = Unicode.Scalar(value) { view.append(scalar) } }
        return String(view)
    }

    /// Appends the normalised scalars of `text` to `output` (the allocation-light form used by the classifier).
    static func normalizeScalars(_ text: String, into output: inout [UInt32]) {
        let view = text.unicodeScalars
        var index = view.startIndex
        var pendingSpace = false
        while index < view.endIndex {
            var value = view[index].value
            index = view.index(after: index)
            if value == 0x5F, let (decoded, next) = excelEscape(in: view, after: index) {
                value = decoded
                index = next
            }
            switch ScalarClass.classify(value) {
            case .drop:
                continue
            case .space:
                pendingSpace = true
            case .keep(let mapped):
                if let last = output.last {
                    if pendingSpace, !ScalarClass.isCJK(last), !ScalarClass.isCJK(mapped) { output.append(0x20) }
                    if mapped == last, ScalarClass.isCollapsiblePunctuation(mapped) {
                        pendingSpace = false
                        continue
                    }
                }
                output.append(mapped)
                pendingSpace = false
            }
        }
    }

    /// Decodes `xHHHH_` following an underscore; returns the scalar value and the index after the closing `_`.
    private static func excelEscape(
        in view: String.UnicodeScalarView, after start: String.UnicodeScalarView.Index
    ) -> (UInt32, String.UnicodeScalarView.Index)? {
        var index = start
        guard index < view.endIndex, view[index] == "x" || view[index] == "X" else { return nil }
        index = view.index(after: index)
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard index < view.endIndex, let digit = hexValue(view[index].value) else { return nil }
            value = value << 4 | digit
            index = view.index(after: index)
        }
        guard index < view.endIndex, view[index] == "_" else { return nil }
        return (value, view.index(after: index))
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
