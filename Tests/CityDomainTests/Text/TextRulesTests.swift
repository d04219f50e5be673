import Testing

@testable import CityDomain

@Suite struct TextRulesTests {
    @Test func everyCharacterXMLForbidsIsRefusedAndNamedByCodePoint() throws {
        // XML 1.0 §2.2 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
        let refused: [UInt32] = [
            0x00, 0x01, 0x08, 0x0B, 0x0C, 0x0E, 0x1F, 0xFFFE, 0xFFFF, 0xFDD0, 0xFDEF, 0x1FFFE, 0x10FFFF,
        ]
        for value in refused {
            let scalar = try #require(Unicode.Scalar(value))
            #expect(TextRules.isRefusedEverywhere(scalar), "U+\(String(value, radix: 16))")
            let text = "路面\(Character(scalar))积水"
            #expect(throws: TextRuleError.self) { try TextRules.validate(text, field: "description", maxLength: 100) }
            do {
                try TextRules.validate(text, field: "description", maxLength: 100)
            } catch {
                let message = "\(error)"
                #expect(message.hasPrefix("description contains"))
                #expect(message.contains(TextRules.codePointName(value)))
                #expect(!message.unicodeScalars.contains(scalar))
            }
        }
        for value: UInt32 in [0x09, 0x0A, 0x0D, 0x20, 0xD7FF, 0xE000, 0xFFFD, 0x10000, 0xFDCF, 0xFDF0] {
            #expect(!TextRules.isRefusedEverywhere(Unicode.Scalar(value)!), "U+\(String(value, radix: 16))")
        }
        try TextRules.validate("第一行\r\n第二行\t完", field: "description", maxLength: 100)
    }

    @Test func lengthIsCountedInUnicodeScalars() throws {
        let zalgo = "a" + String(repeating: "\u{301}", count: 40_000)
        #expect(zalgo.count == 1)  // one grapheme cluster…
        #expect(TextRules.length(zalgo) == 40_001)  // …but 40,001 code points stored
        #expect(throws: TextRuleError.tooLong(field: "address_string", length: 40_001, maximum: 500)) {
            try TextRules.validate(zalgo, field: "address_string", maxLength: 500)
        }
        // 500 Chinese characters (1,500 bytes) and 500 emoji (2,000 bytes: 4 × 500, the byte cap) fit in 500.
        try TextRules.validate(String(repeating: "路", count: 500), field: "address_string", maxLength: 500)
        try TextRules.validate(String(repeating: "🚧", count: 500), field: "address_string", maxLength: 500)
        #expect(throws: TextRuleError.self) {
            try TextRules.validate(String(repeating: "路", count: 501), field: "address_string", maxLength: 500)
        }
        // A flag is two scalars: 250 flags are 500.
        try TextRules.validate(String(repeating: "🇨🇳", count: 250), field: "f", maxLength: 500)
        #expect(throws: TextRuleError.self) {
            try TextRules.validate(String(repeating: "🇨🇳", count: 251), field: "f", maxLength: 500)
        }
    }
}
