import Foundation
import Testing

@testable import CityDomain

/// Whole symbols, module for module, against segno 1.6 (a Python encoder written apart from this one) with the
/// same version, level, mode and mask; and the masks chosen, against ZXing's reading of the penalty rules scored in a
/// separate Python transcription. A decoder corrects up to 15 % of wrong codewords at level M, so a decoded round
/// trip alone would pass a misplaced alignment pattern or format bit; this does not.
@Suite struct QRCodeSymbolTests {
    /// Rows as hexadecimal, most significant bit the leftmost module, padded with 0 bits to whole digits.
    static func rows(_ code: QRCode) -> [String] {
        (0..<code.size).map { y in
            let bits = (0..<code.size).map { code.isDark(x: $0, y: y) ? "1" : "0" }.joined()
            let padded = bits + String(repeating: "0", count: (4 - code.size % 4) % 4)
            return stride(from: 0, to: padded.count, by: 4).map { start in
                let nibble = padded.dropFirst(start).prefix(4)
                return String(Int(nibble, radix: 2)!, radix: 16)
            }.joined()
        }
    }

    /// Annex I's "01234567" at 1-M: mask 010 scores lowest.
    @Test func annexIExampleSymbol() throws {
        let code = try QRCode.encode("01234567", level: .medium)
        #expect(code.version == 1 && code.mask == 2)
        #expect(
            Self.rows(code) == [
                "fe5bf8",
                "827a08",
                "ba82e8",
                "bac2e8",
                "babae8",
                "828a08",
                "feabf8",
                "009800",
                "be4be0",
                "15a960",
                "2354f8",
                "0841e0",
                "1f9480",
                "00be60",
                "fe6b00",
                "82be28",
                "ba8960",
                "bac900",
                "bab4a0",
                "8201b0",
                "fef4a0",
            ])
    }

    /// 200 alphanumeric characters at 8-M: two block groups (2 × 38 and 2 × 39 data codewords), six alignment
    /// patterns and the version information; mask 000 scores lowest.
    @Test func version8SymbolWithTwoBlockGroups() throws {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
        let text = "CNL1:" + String((0..<195).map { alphabet[($0 * 7 + 3) % 45] })
        let code = try QRCode.encode(text, level: .medium)
        #expect(code.version == 8 && code.mask == 0 && code.mode == .alphanumeric)
        #expect(
            Self.rows(code) == [
                "fe6f65bef8bf8",
                "82a3149413a08",
                "ba5241c0c5ae8",
                "ba56e34e792e8",
                "bac8afe2342e8",
                "8235c63736208",
                "feaaaaaaaabf8",
                "005cd62788000",
                "aa1afbe565890",
                "3509dc486d850",
                "26efb09e4ad68",
                "e9da84b97c3b0",
                "a3df4eaf513e0",
                "8d226b46929e8",
                "5ae320f3abf48",
                "a48b8bf028488",
                "d2cb12365d448",
                "659d4a9a99c98",
                "0ecf755461158",
                "7df143bde1e08",
                "7f3a4181b8618",
                "d026d73b53398",
                "8fbba7f5c1fc0",
                "98b3de32ff880",
                "3afb2aa435af0",
                "58c42a2baf8b0",
                "9f8a03ebf4fb0",
                "71fd5456e3690",
                "0bc9dc81352d0",
                "e168b69b3ebd8",
                "8edb5c4ff3de8",
                "84a9948609970",
                "3f6452ca4ce58",
                "58324604d5b90",
                "476b522be2c70",
                "94d46637011a8",
                "434d0e4f7e310",
                "48840db09d548",
                "47297ee967af0",
                "71f34bed37818",
                "e2b583e155fc8",
                "00aed2290a8d8",
                "fe7e9ea2e4ab8",
                "821db236e8880",
                "ba864ff6def98",
                "ba3f8dcee4b38",
                "ba92c47fee518",
                "8251ee520bef8",
                "fea45bf02df08",
            ])
    }
}
