import Foundation

/// The rules of CityNet's search (issue #12 §2): how text is normalised, which character n-grams index it, and what
/// a typed query means (a case number, a phone number or text).
///
/// Chinese has no spaces between words and its commonest searches are two characters long (井盖, 噪音, 漏水), which a
/// trigram index cannot serve; so every text is indexed by each of its characters (unigrams) and each pair of
/// adjacent characters (bigrams). A query of one character looks up its unigram; a longer one looks up its bigrams,
/// and the stored normalised text confirms the exact phrase. The same rule runs on SQLite and PostgreSQL, in tables
/// CityNet maintains itself.
public enum SearchText {
    /// The longest query accepted, in characters after trimming.
    public static let maxQueryLength = 50

    /// `text` for indexing and matching: NFKC (full-width letters and digits become half-width), lower case, and
    /// every character that is neither a letter nor a digit (spaces, punctuation) removed.
    /// - Parameter text: any text.
    /// - Returns: the normalised text (possibly empty).
    public static func normalise(_ text: String) -> String {
        let folded = text.precomposedStringWithCompatibilityMapping.lowercased()
        return String(folded.filter { $0.isLetter || $0.isNumber })
    }

    /// The grams that index a normalised text: every character and every pair of adjacent characters, each once.
    /// - Parameter normalised: output of ``normalise(_:)``.
    /// - Returns: the distinct grams, sorted (so writes are deterministic).
    public static func grams(_ normalised: String) -> [String] {
        let characters = Array(normalised)
        var grams = Set(characters.map { String($0) })
        if characters.count > 1 {
            for index in 1..<characters.count {
                grams.insert(String(characters[index - 1]) + String(characters[index]))
            }
        }
        return grams.sorted()
    }

    /// The grams a normalised query is looked up by: its one character, or its distinct bigrams in order.
    /// - Parameter normalised: a non-empty output of ``normalise(_:)``.
    public static func queryGrams(_ normalised: String) -> [String] {
        let characters = Array(normalised)
        guard characters.count > 1 else { return characters.map { String($0) } }
        var seen = Set<String>()
        var grams: [String] = []
        for index in 1..<characters.count {
            let gram = String(characters[index - 1]) + String(characters[index])
            if seen.insert(gram).inserted { grams.append(gram) }
        }
        return grams
    }

    /// A phone number's digits, for storing and matching: `+86`, spaces, hyphens, dots and brackets dropped; nil
    /// unless 7…15 digits remain (ITU-T E.164 allows at most 15; a Chinese fixed line without area code has 7).
    public static func phoneDigits(_ text: String) -> String? {
        var digits = text.filter { !" -.()（）".contains($0) }
        if digits.hasPrefix("+86") { digits.removeFirst(3) } else if digits.hasPrefix("+") { digits.removeFirst() }
        guard (7...15).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return digits
    }

    /// What a typed query asks for.
    public enum Query: Equatable, Sendable {
        /// A case number as shown on every case (`#123` or `123`, at most 9 digits); `phone` when the digits could
        /// also be a phone number.
        case caseNumber(Int, phone: String?)
        /// A phone number's digits (``phoneDigits(_:)``).
        case phone(String)
        /// Text, normalised (``normalise(_:)``), never empty.
        case text(String)
    }

    /// Why a query was refused.
    public enum QueryProblem: Error, Equatable, Sendable {
        /// Nothing to search for once trimmed and normalised.
        case empty
        /// Longer than ``maxQueryLength`` characters.
        case tooLong(Int)
    }

    /// Reads a typed query.
    /// - Parameter raw: the text typed into the search box.
    /// - Returns: the query's meaning.
    /// - Throws: ``QueryProblem`` when it is empty or too long.
    public static func parse(_ raw: String) throws(QueryProblem) -> Query {
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count <= maxQueryLength else { throw .tooLong(trimmed.count) }
        let number = trimmed.hasPrefix("#") ? String(trimmed.dropFirst()) : trimmed
        if (1...9).contains(number.count), number.allSatisfy({ $0.isASCII && $0.isNumber }), let id = Int(number),
            id > 0
        {
            return .caseNumber(id, phone: phoneDigits(number))
        }
        if let phone = phoneDigits(trimmed) { return .phone(phone) }
        let normalised = normalise(trimmed)
        guard !normalised.isEmpty else { throw .empty }
        return .text(normalised)
    }
}
