import Foundation

/// Why a free-text field was refused.
public enum TextRuleError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty(field: String)
    case tooLong(field: String, length: Int, maximum: Int)
    case markup(field: String, fragment: String)
    case controlCharacter(field: String, codePoint: UInt32)
    case noncharacter(field: String, codePoint: UInt32)
    case malformedEncoding(field: String)

    public var description: String {
        switch self {
        case .empty(let field): "\(field) must not be empty"
        case .tooLong(let field, let length, let maximum):
            "\(field) is \(length) Unicode characters (code points) long; at most \(maximum) are allowed"
        case .markup(let field, let fragment):
            "\(field) must be plain text; it contains markup '\(fragment)'"
        case .controlCharacter(let field, let codePoint):
            "\(field) contains the control character \(TextRules.codePointName(codePoint))"
        case .noncharacter(let field, let codePoint):
            "\(field) contains \(TextRules.codePointName(codePoint)), which is not a character (XML 1.0 forbids it)"
        case .malformedEncoding(let field): "\(field) is not valid UTF-8 (it contains U+FFFD replacement characters)"
        }
    }
}

/// Rules every free-text field of a report or case follows, whatever channel it came through.
public enum TextRules {
    /// Bidirectional embedding, override and isolate controls (Unicode UAX #9, U+202A–U+202E, U+2066–U+2069): they
    /// can make stored text display as something else (a reversed phone number, a hidden word), so they are refused
    /// like control characters.
    static let bidiControls: Set<UInt32> = [0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069]

    /// Longest description accepted: Open311 GeoReport v2 limits `description` to 4,000 characters.
    public static let maxDescriptionLength = 4000

    /// Whether `scalar` may not appear in any input CityNet accepts, whatever the field (a query parameter, a form
    /// or JSON field, a password): the C0 controls other than tab, line feed and carriage return (U+0000–U+0008,
    /// U+000B, U+000C, U+000E–U+001F) and the noncharacters (U+FDD0–U+FDEF and the last two code points of every
    /// plane, U+FFFE and U+FFFF among them).
    ///
    /// Source: XML 1.0 (Fifth Edition) §2.2 production [2] `Char`, which excludes those C0 controls, U+FFFE and
    /// U+FFFF (so no XML document, Open311's included, can carry them, not even as character references), and
    /// Unicode §23.7 on noncharacters ("not for open interchange"). NUL is among them: PostgreSQL text cannot hold
    /// it. Lone surrogates cannot occur in a Swift `String`.
    public static func isRefusedEverywhere(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: return false
        case 0x00..<0x20: return true
        case 0x20..<0xFDD0: return false
        default: return scalar.properties.isNoncharacterCodePoint
        }
    }

    /// `U+0001`-style name of a code point, for messages (the character itself is never echoed: it may be one an
    /// XML body cannot carry).
    public static func codePointName(_ value: UInt32) -> String { "U+" + String(format: "%04X", value) }

    /// The length of `text` as CityNet's limits count it: Unicode scalars (code points), as JSON Schema's
    /// `maxLength` and Open311 count characters. Not grapheme clusters: a letter followed by 40,000 combining marks
    /// is one grapheme but 40,001 scalars, and it is the scalars that are stored, sent and rendered.
    public static func length(_ text: String) -> Int { text.unicodeScalars.count }

    /// Checks `text` is plain text of at most `maxLength` Unicode scalars (``length(_:)``), hence at most
    /// 4 × `maxLength` bytes of UTF-8 (checked first, in constant time, before anything is counted).
    ///
    /// Refused: HTML/XML markup (`<` followed by a letter, `/`, `!` or `?` — a tag, comment or processing
    /// instruction; a lone "a < b" is fine), C0/C1 control characters other than tab, line feed and carriage
    /// return, noncharacters such as U+FFFE and U+FFFF (``isRefusedEverywhere(_:)``: XML 1.0 cannot carry them),
    /// bidirectional overrides and isolates (``bidiControls``), and U+FFFD (what malformed UTF-8 decodes to).
    /// SQL-like text is not refused: it is stored verbatim and only ever bound as a parameter.
    /// - Parameters:
    ///   - field: the field's name as the client sent it, used in the error.
    ///   - maxLength: the most Unicode scalars allowed.
    ///   - allowEmpty: accept empty or white-space-only text; default true.
    ///   - allowMarkup: accept markup as literal text (a hotline transcript is the caller's words, kept verbatim and
    ///     escaped wherever it is shown); default false.
    /// - Throws: ``TextRuleError`` naming `field`.
    public static func validate(
        _ text: String, field: String, maxLength: Int, allowEmpty: Bool = true, allowMarkup: Bool = false
    ) throws {
        if !allowEmpty, text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw TextRuleError.empty(field: field)
        }
        // Every scalar takes 1–4 bytes, so more than 4 × maxLength bytes is too long whatever they hold.
        guard text.utf8.count <= 4 * maxLength, length(text) <= maxLength else {
            throw TextRuleError.tooLong(field: field, length: length(text), maximum: maxLength)
        }
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            if scalar == "\u{FFFD}" { throw TextRuleError.malformedEncoding(field: field) }
            if scalar.properties.generalCategory == .control, !["\t", "\n", "\r"].contains(scalar) {
                throw TextRuleError.controlCharacter(field: field, codePoint: scalar.value)
            }
            if isRefusedEverywhere(scalar) { throw TextRuleError.noncharacter(field: field, codePoint: scalar.value) }
            if Self.bidiControls.contains(scalar.value) {
                throw TextRuleError.controlCharacter(field: field, codePoint: scalar.value)
            }
            if !allowMarkup, previous == "<",
                scalar.properties.isAlphabetic && scalar.isASCII || "/!?".unicodeScalars.contains(scalar)
            {
                throw TextRuleError.markup(field: field, fragment: fragment(of: text, around: scalar))
            }
            previous = scalar
        }
    }

    private static func fragment(of text: String, around scalar: Unicode.Scalar) -> String {
        guard let start = text.range(of: "<" + String(Character(scalar))) else { return "<" }
        return String(text[start.lowerBound...].prefix(24))
    }
}
