import Foundation

/// Text similarity for duplicate detection: cosine of character 2-gram and 3-gram counts.
///
/// Texts are folded (NFKC, lower case) and stripped of whitespace, punctuation and symbols first, so 楼上装修，太吵！
/// and 楼上装修太吵 are identical. Bigrams carry Chinese words (装修, 工地); trigrams reward shared phrases and
/// addresses (莲溪路, 北蔡镇). Cosine is length-insensitive, so a short call and a long one about the same site still
/// score well. Score in 0…1; 0 when either text has fewer than 2 usable characters.
public struct DuplicateTextSimilarity: Sendable {
    /// Gram counts of one text, kept to compare it with many others.
    public struct Profile: Sendable {
        let counts: [String: Int]
        let norm: Double
    }

    /// Creates the measure (stateless).
    public init() {}

    /// Counts a text's 2- and 3-grams (first 4,000 characters).
    public func profile(_ text: String) -> Profile {
        let characters = RuleText.normalize(text).filter { character in
            character.unicodeScalars.contains { scalar in
                let category = scalar.properties.generalCategory
                return scalar.properties.isAlphabetic || category == .decimalNumber || category == .otherLetter
            }
        }
        var counts: [String: Int] = [:]
        for size in 2...3 where characters.count >= size {
            for start in 0...(characters.count - size) {
                counts[String(characters[start..<(start + size)]), default: 0] += 1
            }
        }
        let norm = counts.values.reduce(0.0) { $0 + Double($1 * $1) }.squareRoot()
        return Profile(counts: counts, norm: norm)
    }

    /// Cosine similarity of two profiles, 0…1.
    public func similarity(_ a: Profile, _ b: Profile) -> Double {
        guard a.norm > 0, b.norm > 0 else { return 0 }
        let (small, large) = a.counts.count <= b.counts.count ? (a, b) : (b, a)
        var dot = 0.0
        for (gram, count) in small.counts { if let other = large.counts[gram] { dot += Double(count * other) } }
        return min(1, dot / (a.norm * b.norm))
    }

    /// Cosine similarity of two texts, 0…1.
    public func similarity(_ a: String, _ b: String) -> Double { similarity(profile(a), profile(b)) }
}
