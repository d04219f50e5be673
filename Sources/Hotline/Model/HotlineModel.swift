import Foundation

/// A trained 12345 message classifier: hashed character n-grams with TF-IDF weights, one or two linear heads
/// (softmax regression, linear SVM) with temperature-calibrated softmax probabilities, averaged.
///
/// Build one with ``train(_:options:)``, ``load(from:)`` or ``bundledDefault()``. Classification is a pure
/// function of the text and safe to call from any number of threads at once.
public struct HotlineModel: Sendable, Equatable {
    /// One linear model's calibration and bias.
    struct Head: Sendable, Equatable, Codable {
        /// Softmax temperature fitted on held-out folds.
        var temperature: Double
        /// Bias per label.
        var bias: [Float]
    }

    /// The category labels the model can output, sorted; scores refer to these.
    public private(set) var labels: [String]
    /// The options the model was trained with.
    public private(set) var options: HotlineTrainingOptions
    /// Heads in the order logistic, SVM (only those `options.method` asks for).
    var heads: [Head]
    /// Hashed buckets that carry weight, strictly ascending (training and decoding ensure it).
    var buckets: [Int32]
    /// Per bucket (same order as ``buckets``) a row of `stride` floats: IDF, then each head's per-label weights.
    var rows: [Float]
    /// Bucket → row number, or -1; derived from ``buckets``.
    let rowIndex: BucketRowIndex
    /// The feature hasher described by ``options``.
    let hasher: NGramHasher

    /// Floats per row: 1 (IDF) + heads × labels.
    var stride: Int { 1 + heads.count * labels.count }

    init(labels: [String], options: HotlineTrainingOptions, heads: [Head], buckets: [Int32], rows: [Float]) {
        self.labels = labels
        self.options = options
        self.heads = heads
        self.buckets = buckets
        self.rows = rows
        let hasher = NGramHasher(
            minN: options.minNGram, maxN: options.maxNGram, bits: options.hashBits, foldDigits: options.foldDigits)
        guard let rowIndex = BucketRowIndex(ascending: buckets, dimension: hasher.dimension) else {
            preconditionFailure("model buckets must be strictly ascending and inside the hashed space")
        }
        self.rowIndex = rowIndex
        self.hasher = hasher
    }

    /// Two models are equal when labels, options, heads, buckets and weights are; the derived look-up table is
    /// not compared.
    public static func == (lhs: HotlineModel, rhs: HotlineModel) -> Bool {
        lhs.labels == rhs.labels && lhs.options == rhs.options && lhs.heads == rhs.heads
            && lhs.buckets == rhs.buckets && lhs.rows == rhs.rows
    }
}
