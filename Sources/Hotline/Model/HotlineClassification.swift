/// A label with its calibrated probability.
public struct HotlineLabelScore: Sendable, Equatable, Hashable {
    /// The category label.
    public var label: String
    /// Calibrated probability in [0, 1]; over all labels the scores sum to 1.
    public var score: Double

    /// Creates a label score.
    public init(label: String, score: Double) {
        self.label = label
        self.score = score
    }
}

/// A character n-gram of the message and how much it pushed the classification towards the chosen label.
public struct HotlineFeatureWeight: Sendable, Equatable, Hashable {
    /// The n-gram as it appears in the normalised text (see ``TextNormalizer``), e.g. `公积金`.
    public var feature: String
    /// Its contribution to the chosen label's calibrated log-odds against the average label (> 0 = for it).
    public var weight: Double

    /// Creates a feature weight.
    public init(feature: String, weight: Double) {
        self.feature = feature
        self.weight = weight
    }
}

/// The outcome of ``HotlineModel/classify(_:topK:)``.
public struct HotlineClassification: Sendable, Equatable {
    /// The `topK` most probable labels, most probable first (ties broken by label order in the model).
    public var ranked: [HotlineLabelScore]
    /// Probability of the first label, in [0, 1]. Text with no n-gram the model knows (empty, blank, only emoji
    /// or `_x000D_`) gets the bias-only ranking: for the bundled model 城乡建设 at 0.285, far below the 0.9+ that
    /// a clear message gets, so callers should route low-confidence results to a person.
    public var confidence: Double
    /// Up to ``HotlineTrainingOptions/explanationSize`` n-grams that weighed most for the first label, strongest
    /// first; only n-grams with a positive weight are listed, so it may be shorter or empty.
    public var explanation: [HotlineFeatureWeight]

    /// The most probable label (`ranked[0].label`), or `nil` when `ranked` is empty (`topK` was 0).
    public var label: String? { ranked.first?.label }

    /// Creates a classification.
    public init(ranked: [HotlineLabelScore], confidence: Double, explanation: [HotlineFeatureWeight]) {
        self.ranked = ranked
        self.confidence = confidence
        self.explanation = explanation
    }
}
