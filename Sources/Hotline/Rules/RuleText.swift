import Foundation

/// Text preparation shared by the category rules, the place extractor and duplicate scoring.
///
/// Kept apart from the classifier's normaliser on purpose: rules match taxonomy phrases literally, so they only
/// need script, width and case folding, not the classifier's feature-oriented rewriting.
enum RuleText {
    /// Longest prefix analysed, in characters: Open311 GeoReport v2 caps `description` at 4,000 characters
    /// (``CityDomain/TextRules/maxDescriptionLength``), so anything beyond is not a real report.
    static let maxCharacters = 4000

    /// Converts text in traditional script to simplified phrase by phrase (``TraditionalChinese/simplify(_:)``:
    /// taxonomy triggers, place names and the text they are compared with are all simplified), folds full-width
    /// forms to half-width and letters to lower case (Unicode NFKC then lower-casing), turns every control or
    /// whitespace scalar into one space and keeps at most ``maxCharacters`` characters.
    static func normalize(_ text: String) -> [Character] {
        let simplified = TraditionalChinese.simplify(String(text.prefix(maxCharacters)))
        let folded = simplified.precomposedStringWithCompatibilityMapping.lowercased()
        var output: [Character] = []
        output.reserveCapacity(folded.count)
        for character in folded {
            let isSpace = character.unicodeScalars.allSatisfy {
                $0.properties.isWhitespace || $0.properties.generalCategory == .control
            }
            if isSpace {
                if output.last != " " { output.append(" ") }
            } else {
                output.append(character)
            }
        }
        return output
    }

    /// Characters that end a clause: a negation or an exclusion never reaches across them. The enumeration
    /// comma 、 is not one, so 没有装修、施工 negates both.
    static let clauseBreaks: Set<Character> = [",", ".", ";", "!", "?", "。", "；", "！", "？", "\n", "…", "~"]

    /// Clause index of every character: the number of clause breaks before it.
    static func clauseIndices(_ characters: [Character]) -> [Int] {
        var clause = 0
        return characters.map { character in
            if clauseBreaks.contains(character) { clause += 1 }
            return clause
        }
    }

    /// Start offsets of every occurrence of `phrase` in `characters`.
    static func occurrences(of phrase: [Character], in characters: [Character]) -> [Int] {
        guard let first = phrase.first, phrase.count <= characters.count else { return [] }
        var found: [Int] = []
        var start = 0
        while start + phrase.count <= characters.count {
            if characters[start] == first, characters[start..<(start + phrase.count)].elementsEqual(phrase) {
                found.append(start)
            }
            start += 1
        }
        return found
    }
}
