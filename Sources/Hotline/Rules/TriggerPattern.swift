import Foundation

/// A trigger or exclusion phrase, optionally with gaps: `狗…叫` matches 狗叫 and 狗一到晚上就叫.
///
/// Parts are normalised like the text (``RuleText/normalize(_:)``); each part after the first must start at most
/// ``maxGap`` characters after the previous part ends, inside the same clause.
struct TriggerPattern: Hashable, Sendable {
    /// Largest gap between the parts of a gapped pattern, in characters: 狗一到晚上就叫 has a gap of 5.
    static let maxGap = 6

    /// The phrase as written in the taxonomy (`categories.json`), e.g. `狗…叫`.
    let phrase: String
    /// Normalised parts; one part for an ordinary phrase.
    let parts: [[Character]]

    /// Characters that must be present: the sum of the parts' lengths.
    var literalLength: Int { parts.reduce(0) { $0 + $1.count } }

    /// Parses a phrase; `…` (or `...`) separates the parts. Returns `nil` for a phrase with no characters left.
    init?(_ phrase: String) {
        let parts = phrase.replacingOccurrences(of: "...", with: "…").components(separatedBy: "…")
            .map { Array(String(RuleText.normalize($0)).trimmingCharacters(in: .whitespaces)) }
            .filter { !$0.isEmpty }
        guard !parts.isEmpty else { return nil }
        self.phrase = phrase
        self.parts = parts
    }

    /// Every match as the range of characters it spans (first part's start to last part's end), in order.
    func matches(in characters: [Character], clauses: [Int]) -> [Range<Int>] {
        var found: [Range<Int>] = []
        for start in RuleText.occurrences(of: parts[0], in: characters) {
            var end = start + parts[0].count
            var matched = true
            for part in parts.dropFirst() {
                let window = characters[end..<min(characters.count, end + Self.maxGap + part.count)]
                guard let next = RuleText.occurrences(of: part, in: Array(window)).first,
                    clauses[end + next] == clauses[start]
                else {
                    matched = false
                    break
                }
                end += next + part.count
            }
            if matched { found.append(start..<end) }
        }
        return found
    }
}
