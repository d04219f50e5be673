import CityDomain
import Foundation

/// Picks the fine (leaf) category of a hotline message from trigger phrases kept in the taxonomy, with the
/// classifier's broad theme as a prior (CityNet hotline issue §3).
///
/// For each leaf, its triggers (the taxonomy's `triggers`, `categories.json`) are found in the text after
/// width and case folding. A trigger does not count when a negation (``NegationCues``: 不是, 没有, 并非…) stands at
/// most 3 characters before it in the same clause, or when one of the leaf's exclusions occurs in the same clause.
/// A leaf's score is
///
///     rule = w₁ + 0.25 × (w₂ + w₃ + …)     with w = min(length, 4) / 2 per distinct trigger, strongest first
///     score = rule × noise × (0.5 + prior)
///
/// so one long specific phrase (夜间施工, weight 2) beats several generic ones (楼上 + 邻居, 1.25). `noise` is 1 for
/// non-noise leaves and for noise leaves when the text has a sound word (噪, 吵, 声, 扰民…), else 0.6. `prior` is the
/// theme-weighted prior in 0…1 (0.5 without theme scores), so a theme moves a score by at most ×3.
public struct CategoryRules: Sendable {
    /// A weight on the second and later triggers of one leaf: repetition adds evidence but less than a new phrase.
    static let extraTriggerWeight = 0.25
    /// Factor on noise leaves when the text has no sound word at all.
    static let silentNoiseFactor = 0.6
    /// Prior used for every leaf when no theme scores are given.
    static let neutralPrior = 0.5

    struct Leaf: Sendable {
        let code: String
        let triggers: [TriggerPattern]
        let exclusions: [TriggerPattern]
        let isNoise: Bool
    }

    let leaves: [Leaf]
    /// Codes of the dispatchable leaves the rules match (and that may be dispatched).
    public let leafCodes: Set<String>
    let parentByCode: [String: String]
    let themePriors: [String: [String: Double]]

    /// Prepares the rules.
    /// - Parameters:
    ///   - taxonomy: categories whose dispatchable leaves are matched, e.g. `CategoryTaxonomy.bundledDefault()`.
    ///   - themePriors: theme label → (leaf or grouping code → plausibility 0…1); see `Dictionary.default`.
    public init(
        taxonomy: CategoryTaxonomy, themePriors: [String: [String: Double]] = .default
    ) {
        var parents: [String: String] = [:]
        for category in taxonomy.all { parents[category.code] = category.parentCode }
        self.parentByCode = parents
        self.themePriors = themePriors
        self.leaves = taxonomy.all.filter { taxonomy.children(of: $0.code).isEmpty && $0.dispatchable }.map { leaf in
            let isNoise = Self.topCode(of: leaf.code, parents: parents) == "noise"
            return Leaf(
                code: leaf.code,
                triggers: Self.patterns(leaf.triggers),
                exclusions: Self.patterns(leaf.exclusions),
                isNoise: isNoise)
        }
        self.leafCodes = Set(leaves.map(\.code))
    }

    /// Matches a message.
    /// - Parameters:
    ///   - text: the message (title and detail), any length; only the first 4,000 characters are read.
    ///   - themeScores: the classifier's theme probabilities (labels as in the corpus: 环境保护…), any order;
    ///     empty for no prior. Negative or non-finite scores count as 0.
    /// - Returns: the best leaf, ranked candidates, a confidence and the evidence; ``CategoryMatch/none`` when no
    ///   trigger fired.
    public func match(_ text: String, themeScores: [(label: String, score: Double)]) -> CategoryMatch {
        let characters = RuleText.normalize(text)
        guard !characters.isEmpty else { return .none }
        let clauses = RuleText.clauseIndices(characters)
        let hasSoundWord = Self.hasSoundWord(characters)
        var evidence: [(offset: Int, text: String)] = []
        var candidates: [CategoryCandidate] = []
        for leaf in leaves {
            let live = liveTriggers(of: leaf, in: characters, clauses: clauses, evidence: &evidence)
            guard !live.isEmpty else { continue }
            let weights = live.map { Double(min($0.literalLength, 4)) / 2 }.sorted(by: >)
            let rule = weights[0] + Self.extraTriggerWeight * weights.dropFirst().reduce(0, +)
            let noise = leaf.isNoise && !hasSoundWord ? Self.silentNoiseFactor : 1
            let score = rule * noise * (0.5 + prior(of: leaf.code, themeScores: themeScores))
            candidates.append(CategoryCandidate(code: leaf.code, score: score))
        }
        let ranked = candidates.enumerated().sorted { ($0.element.score, $1.offset) > ($1.element.score, $0.offset) }
            .map(\.element)
        let notes = evidence.sorted { $0.offset < $1.offset }.map(\.text)
        guard let first = ranked.first else {
            return CategoryMatch(best: nil, candidates: [], confidence: 0, evidence: notes, soundWord: hasSoundWord)
        }
        let second = ranked.count > 1 ? ranked[1].score : 0
        let confidence = first.score / (first.score + 1) * first.score / (first.score + second)
        return CategoryMatch(
            best: first.code, candidates: ranked, confidence: confidence, evidence: notes, soundWord: hasSoundWord)
    }

    /// The theme a message filed under fine category `code` is labelled with when an operator's correction becomes a
    /// training example: the theme whose prior weight for `code` is highest (ties to the first label in Unicode
    /// order), or `nil` when no theme gives it any weight (a correction then teaches the theme model nothing).
    /// - Parameter code: a leaf or grouping category code, e.g. `noise.renovation`.
    public func theme(for code: String) -> String? {
        var best: (label: String, weight: Double)?
        for label in themePriors.keys.sorted() {
            let weight = prior(of: code, themeScores: [(label, 1)])
            if weight > 0, weight > best?.weight ?? 0 { best = (label, weight) }
        }
        return best?.label
    }

    /// Theme-weighted prior of a leaf in 0…1: Σ score(theme) × weight(theme, leaf) / Σ score(theme).
    func prior(of code: String, themeScores: [(label: String, score: Double)]) -> Double {
        var total = 0.0
        var weighted = 0.0
        for (label, score) in themeScores where score.isFinite && score > 0 {
            total += score
            let table = themePriors[label] ?? [:]
            let weight = table[code] ?? parentByCode[code].flatMap { table[$0] } ?? 0
            weighted += score * min(1, max(0, weight.isFinite ? weight : 0))
        }
        return total > 0 ? weighted / total : Self.neutralPrior
    }

    static func patterns(_ phrases: [String]) -> [TriggerPattern] {
        var seen = Set<[[Character]]>()
        return phrases.compactMap(TriggerPattern.init).filter { seen.insert($0.parts).inserted }
    }

    static func topCode(of code: String, parents: [String: String]) -> String {
        var current = code
        var steps = 0
        while let parent = parents[current], steps < 64 {
            current = parent
            steps += 1
        }
        return current
    }
}
