import Foundation

/// Why a free-text field was refused.
public enum TextRuleError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty(field: String)
    case tooLong(field: String, length: Int, maximum: Int)
    case markup(field: String, fragment: String)
    case controlCharacter(field: String, codePoint: UInt32)
    case malformedEncoding(field: String)

    public var description: String {
        switch self {
        case .empty(let field): "\(field) must not be empty"
        case .tooLong(let field, let length, let maximum):
            "\(field) is \(length) characters long; at most \(maximum) are allowed"
        case .markup(let field, let fragment):
            "\(field) must be plain text; it contains markup '\(fragment)'"
        case .controlCharacter(let field, let codePoint):
            "\(field) contains the control character U+\(String(format: "%04X", codePoint))"
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

    /// Checks `text` is plain text of at most `maxLength` characters (grapheme clusters, so one Chinese character
    /// or emoji counts once).
    ///
    /// Refused: HTML/XML markup (`<` followed by a letter, `/`, `!` or `?` — a tag, comment or processing
    /// instruction; a lone "a < b" is fine), C0/C1 control characters other than tab, line feed and carriage
    /// return, bidirectional overrides and isolates (``bidiControls``), and U+FFFD (what malformed UTF-8 decodes
    /// to). SQL-like text is not refused: it is stored verbatim and only ever bound as a parameter.
    /// - Parameter allowMarkup: accept markup as literal text (a hotline transcript is the caller's words, kept
    ///   verbatim and escaped wherever it is shown); default false.
    /// - Throws: ``TextRuleError`` naming `field`.
    public static func validate(
        _ text: String, field: String, maxLength: Int, allowEmpty: Bool = true, allowMarkup: Bool = false
    ) throws {
        if !allowEmpty, text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw TextRuleError.empty(field: field)
        }
        let length = text.count
        guard length <= maxLength else {
            throw TextRuleError.tooLong(field: field, length: length, maximum: maxLength)
        }
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            if scalar == "\u{FFFD}" { throw TextRuleError.malformedEncoding(field: field) }
            if scalar.properties.generalCategory == .control, !["\t", "\n", "\r"].contains(scalar) {
                throw TextRuleError.controlCharacter(field: field, codePoint: scalar.value)
            }
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
