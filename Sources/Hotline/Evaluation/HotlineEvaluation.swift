import Foundation

/// Precision, recall and F1 per label plus macro-F1 and accuracy for a set of predictions.
public struct HotlineEvaluation: Sendable, Equatable {
    /// Scores of one label.
    public struct ClassMetrics: Sendable, Equatable {
        /// The label.
        public var label: String
        /// Correct predictions of this label / all predictions of it (0 when it was never predicted).
        public var precision: Double
        /// Correct predictions of this label / examples that have it (0 when none have it).
        public var recall: Double
        /// Harmonic mean of precision and recall (0 when both are 0).
        public var f1: Double
        /// Number of examples whose true label this is.
        public var support: Int
    }

    /// The labels evaluated, sorted; `confusion` and `classes` follow this order.
    public var labels: [String]
    /// Per-label metrics, in ``labels`` order.
    public var classes: [ClassMetrics]
    /// `confusion[t][p]`: examples of true label `labels[t]` predicted as `labels[p]`.
    public var confusion: [[Int]]
    /// Unweighted mean of the per-label F1 over labels with support > 0.
    public var macroF1: Double
    /// Share of correct predictions.
    public var accuracy: Double
    /// For cross-validation: macro-F1 of each fold's held-out predictions (empty otherwise).
    public var foldMacroF1: [Double] = []
    /// For cross-validation: accuracy of each fold (empty otherwise).
    public var foldAccuracy: [Double] = []

    /// Scores `predicted` against `truth`.
    /// - Parameters:
    ///   - truth: true labels.
    ///   - predicted: predicted labels, same count as `truth`.
    /// - Precondition: `truth.count == predicted.count`.
    public init(truth: [String], predicted: [String]) {
        precondition(truth.count == predicted.count, "truth and predictions must have the same count")
        labels = Set(truth + predicted).sorted()
        let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        confusion = [[Int]](repeating: [Int](repeating: 0, count: labels.count), count: labels.count)
        for (t, p) in zip(truth, predicted) { confusion[index[t]!][index[p]!] += 1 }
        var classes: [ClassMetrics] = []
        var correct = 0
        for (i, label) in labels.enumerated() {
            let hits = confusion[i][i]
            correct += hits
            let support = confusion[i].reduce(0, +)
            let predictedCount = confusion.reduce(0) { $0 + $1[i] }
            let precision = predictedCount == 0 ? 0 : Double(hits) / Double(predictedCount)
            let recall = support == 0 ? 0 : Double(hits) / Double(support)
            let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
            classes.append(ClassMetrics(label: label, precision: precision, recall: recall, f1: f1, support: support))
        }
        self.classes = classes
        let supported = classes.filter { $0.support > 0 }
        macroF1 = supported.isEmpty ? 0 : supported.map(\.f1).reduce(0, +) / Double(supported.count)
        accuracy = truth.isEmpty ? 0 : Double(correct) / Double(truth.count)
    }

    /// Exactly `macro_f1 0.xxxx accuracy 0.xxxx` (four decimals), for logs and CI greps.
    public var summaryLine: String {
        String(format: "macro_f1 %.4f accuracy %.4f", macroF1, accuracy)
    }

    /// Mean and population standard deviation of ``foldMacroF1`` (0, 0 when empty).
    public var foldMacroF1MeanSD: (mean: Double, sd: Double) { Self.meanSD(foldMacroF1) }
    /// Mean and population standard deviation of ``foldAccuracy`` (0, 0 when empty).
    public var foldAccuracyMeanSD: (mean: Double, sd: Double) { Self.meanSD(foldAccuracy) }

    /// A fixed-width text table: one line per label (precision, recall, F1, support), then macro average and
    /// accuracy, then the fold figures when present.
    public func table() -> String {
        func pad(_ text: String, _ width: Int) -> String {
            // CJK labels take two columns in a terminal.
            let columns = text.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x2E80 ? 2 : 1) }
            return text + String(repeating: " ", count: max(0, width - columns))
        }
        var lines = [pad("label", 16) + "precision  recall      f1  support"]
        for metrics in classes {
            lines.append(
                pad(metrics.label, 16)
                    + String(
                        format: "%9.4f %7.4f %7.4f %8d", metrics.precision, metrics.recall, metrics.f1, metrics.support)
            )
        }
        let total = classes.reduce(0) { $0 + $1.support }
        let macroPrecision = classes.map(\.precision).reduce(0, +) / Double(max(classes.count, 1))
        let macroRecall = classes.map(\.recall).reduce(0, +) / Double(max(classes.count, 1))
        lines.append(
            pad("macro avg", 16) + String(format: "%9.4f %7.4f %7.4f %8d", macroPrecision, macroRecall, macroF1, total))
        lines.append(pad("accuracy", 16) + String(format: "%25.4f %8d", accuracy, total))
        if !foldMacroF1.isEmpty {
            let f1 = foldMacroF1MeanSD, accuracy = foldAccuracyMeanSD
            lines.append(
                String(
                    format: "%d folds: macro_f1 %.4f ± %.4f, accuracy %.4f ± %.4f",
                    foldMacroF1.count, f1.mean, f1.sd, accuracy.mean, accuracy.sd))
        }
        return lines.joined(separator: "\n")
    }

    static func meanSD(_ values: [Double]) -> (mean: Double, sd: Double) {
        guard !values.isEmpty else { return (0, 0) }
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
        return (mean, variance.squareRoot())
    }
}
