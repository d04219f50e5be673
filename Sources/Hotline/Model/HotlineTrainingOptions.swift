/// Settings for ``HotlineModel/train(_:options:)``. ``theme`` is the setting chosen by stratified 5-fold
/// cross-validation on the teddy2020 training file for the 7-theme classifier (see `Resources/PROVENANCE.md`) and
/// what `train` uses by default; `HotlineTrainingOptions()` is the plain machinery (the same without NB-SVM
/// scaling and taxonomy names), which other text models such as the unit router train with.
public struct HotlineTrainingOptions: Sendable, Codable, Equatable {
    /// Which linear model(s) score a text.
    public enum Method: String, Sendable, Codable, Equatable, CaseIterable {
        /// Multinomial logistic regression only.
        case logistic
        /// One-vs-rest linear SVM only (scores calibrated by temperature scaling).
        case svm
        /// Both, averaging their calibrated probabilities.
        case ensemble
    }

    /// Seed for every random choice (SVM visiting order, calibration folds); same seed and data → same model.
    public var seed: UInt64 = 42
    /// Shortest character n-gram, ≥ 1.
    public var minNGram: Int = 1
    /// Longest character n-gram, ≥ `minNGram`, ≤ 8.
    public var maxNGram: Int = 2
    /// log2 of the hashed feature space (10…24); 18 gives 262,144 buckets.
    public var hashBits: Int = 18
    /// Fold ASCII digits to `0` before hashing.
    public var foldDigits: Bool = true
    /// Buckets seen in fewer training texts than this are dropped (IDF 0), ≥ 1.
    public var minDocumentFrequency: Int = 2
    /// Weigh examples by `N / (classes × class size)` so that small classes count as much as large ones.
    public var classBalanced: Bool = true
    /// The model family.
    public var method: Method = .svm
    /// Inverse L2 regularisation strength of the logistic regression (scikit-learn's `C`), > 0.
    public var logisticC: Double = 30
    /// L-BFGS iteration cap for the logistic regression.
    public var logisticIterations: Int = 200
    /// Inverse L2 regularisation strength of the SVM (LIBLINEAR's `C`), > 0.
    public var svmC: Double = 1
    /// Pass cap for the SVM's dual coordinate descent ("epochs").
    public var svmEpochs: Int = 200
    /// Stopping tolerance of the SVM solver (LIBLINEAR's default 0.1).
    public var svmTolerance: Double = 0.1
    /// NB-SVM (Wang & Manning, "Baselines and Bigrams", ACL 2012): when set, each class's SVM is trained on the
    /// TF-IDF features scaled by that class's naive Bayes log-count ratios (``LogCountRatio``), smoothed with this
    /// `α` (> 0); nil trains the plain SVM. Applies to the SVM head only. Models saved before this option existed
    /// read as nil. ``theme`` sets 0.1.
    public var logCountRatioSmoothing: Double? = nil
    /// When set, every level-3 name of the official taxonomy (``ThemeTaxonomy``) whose level-1 name is one of the
    /// training labels is added as a training example of that label, weighing this much (> 0) beside a message
    /// (after class balancing); the names take no part in IDF or calibration folds. nil adds nothing, and so do
    /// training labels outside the taxonomy. Models saved before this option existed read as nil. ``theme`` sets
    /// 0.5.
    public var taxonomyWeight: Double? = nil
    /// Folds used to fit the softmax temperatures on held-out scores; 0 or 1 skips calibration (`T = 1`).
    public var calibrationFolds: Int = 5
    /// How many n-grams ``HotlineClassification/explanation`` lists.
    public var explanationSize: Int = 5

    /// The defaults listed above.
    public init() {}

    /// The bundled theme classifier's settings: the defaults with NB-SVM scaling (`logCountRatioSmoothing`
    /// 0.1) and the taxonomy's level-3 names as examples (`taxonomyWeight` 0.5), chosen by 5-fold CV (fold seed
    /// 42: macro-F1 0.9024 ± 0.0086 against 0.8888 ± 0.0097 for the defaults; `Resources/PROVENANCE.md`).
    public static var theme: HotlineTrainingOptions {
        var options = HotlineTrainingOptions()
        options.logCountRatioSmoothing = 0.1
        options.taxonomyWeight = 0.5
        return options
    }

    /// Checks every field's range.
    /// - Throws: ``HotlineTrainingError/invalidOption(_:)`` naming the first bad field.
    public func validate() throws {
        func require(_ condition: Bool, _ message: String) throws {
            if !condition { throw HotlineTrainingError.invalidOption(message) }
        }
        try require(
            minNGram >= 1 && maxNGram >= minNGram && maxNGram <= 8, "n-gram range must satisfy 1 ≤ min ≤ max ≤ 8")
        try require((10...24).contains(hashBits), "hashBits must be in 10...24")
        try require(minDocumentFrequency >= 1, "minDocumentFrequency must be ≥ 1")
        try require(logisticC > 0 && logisticC.isFinite, "logisticC must be a positive number")
        try require(svmC > 0 && svmC.isFinite, "svmC must be a positive number")
        try require(logisticIterations >= 1 && svmEpochs >= 1, "logisticIterations and svmEpochs must be ≥ 1")
        try require(svmTolerance > 0, "svmTolerance must be > 0")
        try require(
            logCountRatioSmoothing.map { $0 > 0 && $0.isFinite } ?? true, "logCountRatioSmoothing must be > 0")
        try require(taxonomyWeight.map { $0 > 0 && $0.isFinite } ?? true, "taxonomyWeight must be > 0")
        try require(calibrationFolds >= 0 && explanationSize >= 0, "calibrationFolds and explanationSize must be ≥ 0")
    }
}

/// Why training could not start.
public enum HotlineTrainingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No examples were given.
    case noExamples
    /// All examples share one label; a classifier needs at least two.
    case singleClass(String)
    /// A field of ``HotlineTrainingOptions`` is out of range.
    case invalidOption(String)
    /// Cross-validation asked for more folds than the smallest class has examples, or fewer than 2.
    case tooManyFolds(folds: Int, smallestClass: String, size: Int)

    /// A one-line English explanation naming the problem.
    public var description: String {
        switch self {
        case .noExamples: "no training examples"
        case .singleClass(let label): "every example has the label '\(label)'; at least two classes are needed"
        case .invalidOption(let message): "invalid training option: \(message)"
        case .tooManyFolds(let folds, let label, let size):
            "\(folds) folds need 2 ≤ folds ≤ the smallest class size, but '\(label)' has \(size) examples"
        }
    }
}
