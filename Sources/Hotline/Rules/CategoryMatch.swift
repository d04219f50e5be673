import Foundation

/// One fine category the rules consider, with its score.
public struct CategoryCandidate: Sendable, Equatable, Hashable {
    /// Leaf category code, e.g. `noise.renovation`.
    public var code: String
    /// Rule score (> 0): trigger weight × noise-context factor × theme-prior factor; see ``CategoryRules``.
    public var score: Double

    /// Creates a candidate.
    public init(code: String, score: Double) {
        self.code = code
        self.score = score
    }
}

/// The outcome of ``CategoryRules/match(_:themeScores:)``.
public struct CategoryMatch: Sendable, Equatable {
    /// The strongest leaf category, or `nil` when no trigger fired (the case then needs a person to categorise it).
    public var best: String?
    /// Every leaf category with at least one live trigger, strongest first (ties in taxonomy order).
    public var candidates: [CategoryCandidate]
    /// How sure the rules are of ``best``, in 0…1: `s₁/(s₁+1) × s₁/(s₁+s₂)` with `s₁`, `s₂` the two best scores
    /// (`s₂ = 0` with one candidate). One plain two-character trigger gives 0.5; two equally strong scenarios
    /// halve it. 0 when ``best`` is `nil`.
    public var confidence: Double
    /// What the rules saw, in reading order, as short strings: `装修→noise.renovation` for a trigger that fired,
    /// `negated 没有:施工→noise.construction` for one cancelled by a negation, `excluded 道路施工:施工噪音→noise.construction`
    /// for one ruled out by an exclusion in its clause.
    public var evidence: [String]
    /// Whether the text has a sound word (噪, 吵, 声, 扰民…; ``CategoryRules``), i.e. may be a noise complaint.
    public var soundWord: Bool

    /// Creates a match.
    public init(
        best: String?, candidates: [CategoryCandidate], confidence: Double, evidence: [String], soundWord: Bool = false
    ) {
        self.best = best
        self.candidates = candidates
        self.confidence = confidence
        self.evidence = evidence
        self.soundWord = soundWord
    }

    /// The empty match: nothing fired.
    public static let none = CategoryMatch(best: nil, candidates: [], confidence: 0, evidence: [])
}
