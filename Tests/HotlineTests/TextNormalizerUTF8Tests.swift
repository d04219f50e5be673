import Testing

@testable import Hotline

/// The UTF-8 and look-up-table path of ``TextNormalizer`` against the plain per-scalar reading of its rules.
@Suite struct TextNormalizerUTF8Tests {
    /// The rules applied scalar by scalar through `String.unicodeScalars` and ``ScalarClass/classify(_:)``: the
    /// normaliser as it was written before the UTF-8 path, kept here as the oracle.
    static func reference(_ text: String) -> [UInt32] {
        let view = Array(text.unicodeScalars.map(\.value))
        var output: [UInt32] = []
        var index = 0
        var pendingSpace = false
        while index < view.count {
            var value = view[index]
            index += 1
            if value == 0x5F, let decoded = excelEscape(view, after: index) {
                value = decoded
                index += 6
            }
            switch ScalarClass.classify(value) {
            case .drop: continue
            case .space: pendingSpace = true
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
        return output
    }

    /// `xHHHH_` at `start` (hex digits of either case), as ECMA-376 writes a scalar.
    static func excelEscape(_ view: [UInt32], after start: Int) -> UInt32? {
        guard start + 6 <= view.count, view[start] == 0x78 || view[start] == 0x58, view[start + 5] == 0x5F else {
            return nil
        }
        var value: UInt32 = 0
        for digit in view[(start + 1)..<(start + 5)] {
            switch digit {
            case 0x30...0x39: value = value << 4 | (digit - 0x30)
            case 0x41...0x46: value = value << 4 | (digit - 0x41 + 10)
            case 0x61...0x66: value = value << 4 | (digit - 0x61 + 10)
            default: return nil
            }
        }
        return value
    }

    static func scalars(_ text: String) -> [UInt32] {
        var output: [UInt32] = []
        TextNormalizer.normalizeScalars(text, into: &output)
        return output
    }

    @Test func bmpTableAgreesWithClassifyForEveryValue() {
        for value in UInt32(0)...0xFFFF {
            let code = UInt32(ScalarClass.bmpTable[Int(value)])
            switch ScalarClass.classify(value) {
            case .drop: #expect(code == ScalarClass.dropCode)
            case .space: #expect(code == ScalarClass.spaceCode)
            case .keep(let mapped): #expect(code == mapped)
            }
        }
    }

    @Test func matchesTheReferenceOnTrickyStrings() {
        let samples = [
            "", " ", "_x000D_", "_x000d_", "_X000D_", "a_x000D_b", "_x00", "_x00zz_", "__x000D__", "_x0041_", "_xD800_",
            "_x00E9_", "_x３000_", "_x+123_", "_x-0AF_", "_xaBcD_", "snake_case_x", "🚒", "☺\u{FE0F}", "👨‍👩‍👧‍👦", "e\u{0301} 🚒",
            "ＡＢＣ１２３，（测试）！",
            "國際機場的環境衛生", "𠀀𪚥 a", "a\u{0000}b\u{200B}c\u{FEFF}d", "\u{E0100}x\u{E0001}", "! !", ". .", "a  b",
            "市 a", "a 市", "《条例》【通知】——", "…⋯〜", "\u{00A0}\u{2028}\u{3000}x y", "ÀÉÎ ß ǅ", "\u{10FFFF}\u{FFFD}",
            String(repeating: "市政府门口 ABC。_x000D_\n", count: 800),
        ]
        for sample in samples { #expect(Self.scalars(sample) == Self.reference(sample), "\(sample.debugDescription)") }
    }

    @Test func matchesTheReferenceOnRandomStrings() {
        var generator = RobustnessTests.Generator(state: 2024)
        for _ in 0..<500 {
            let text = RobustnessTests.randomString(&generator, length: Int.random(in: 0...60, using: &generator))
            #expect(Self.scalars(text) == Self.reference(text), "\(text.debugDescription)")
        }
    }

    @Test func appendsAfterExistingOutput() {
        var output: [UInt32] = [0x61]
        TextNormalizer.normalizeScalars(" b!", into: &output)
        #expect(output == [0x61, 0x20, 0x62, 0x21])
        TextNormalizer.normalizeScalars("！", into: &output)
        #expect(output == [0x61, 0x20, 0x62, 0x21])
    }

    @Test func decodesEveryUTF8Length() {
        for text in [
            "a", "é", "市", "🚒", "\u{7F}", "\u{80}", "\u{7FF}", "\u{800}", "\u{FFFF}", "\u{10000}", "\u{10FFFF}",
        ] {
            var copy = text
            let decoded = copy.withUTF8 { TextNormalizer.decodeScalar($0, at: 0) }
            #expect(decoded.value == text.unicodeScalars.first!.value)
            #expect(decoded.width == text.utf8.count)
        }
    }

    @Test func stringFromScalarsSkipsNonScalars() {
        #expect(TextNormalizer.string(fromScalars: [UInt32]()) == "")
        #expect(
            TextNormalizer.string(fromScalars: [0x61, 0xE9, 0x5E02, 0x1F692, 0x7FF, 0x800, 0xFFFF, 0x10FFFF])
                == "a\u{E9}市🚒\u{7FF}\u{800}\u{FFFF}\u{10FFFF}")
        #expect(TextNormalizer.string(fromScalars: [0x61, 0xD800, 0xDFFF, 0x110000, 0x62]) == "ab")
    }
}
