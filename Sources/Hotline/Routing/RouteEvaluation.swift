import Foundation

/// Routing quality over labelled messages (CityNet issue 10 §4).
///
/// A row is *dispatched* when the server would open a case for it (rules or router, ``RouteResolver``); *right* when
/// the label of the unit it went to equals the row's `unit_kind`. Precision among dispatched = right / dispatched; first-dispatch accuracy = right / rows (a queued
/// row counts as not right first time). Noise-scenario accuracy is over the rows that carry a scenario: right when
/// the scenario of the strongest noise category the rules found equals it (no noise category = wrong).
public struct RouteEvaluation: Sendable, Equatable {
    /// One scored row: truth, the label of the unit dispatched to (the router's label when queued), whether it was
    /// queued, the scenarios, and what decided the dispatch.
    public struct Row: Sendable, Equatable {
        public var truth: String
        public var label: String
        public var abstains: Bool
        public var noiseTruth: String?
        public var noisePredicted: String?
        public var decidedBy: HotlineTriageResult.DecidedBy?

        public init(
            truth: String, label: String, abstains: Bool, noiseTruth: String?,
            noisePredicted: String?, decidedBy: HotlineTriageResult.DecidedBy? = nil
        ) {
            self.decidedBy = decidedBy
            self.truth = truth
            self.label = label
            self.abstains = abstains
            self.noiseTruth = noiseTruth
            self.noisePredicted = noisePredicted
        }
    }

    /// The scored rows.
    public var rows: [Row]

    public init(rows: [Row]) { self.rows = rows }

    public var count: Int { rows.count }
    public var dispatched: Int { rows.filter { !$0.abstains }.count }
    public var queued: Int { count - dispatched }
    public var right: Int { rows.filter { !$0.abstains && $0.label == $0.truth }.count }
    /// right / dispatched (0 when nothing is dispatched).
    public var precisionDispatched: Double { dispatched == 0 ? 0 : Double(right) / Double(dispatched) }
    /// right / rows.
    public var firstDispatchAccuracy: Double { count == 0 ? 0 : Double(right) / Double(count) }
    /// Rows with a noise scenario.
    public var noiseRows: Int { rows.filter { $0.noiseTruth != nil }.count }
    /// Share of noise rows whose scenario is right; nil without noise rows.
    public var noiseScenarioAccuracy: Double? {
        let noise = rows.filter { $0.noiseTruth != nil }
        guard !noise.isEmpty else { return nil }
        return Double(noise.filter { $0.noisePredicted == $0.noiseTruth }.count) / Double(noise.count)
    }

    /// The trade-off table: per threshold, share queued, precision among dispatched, first-dispatch accuracy.
    /// - Parameters:
    ///   - thresholds: router thresholds, 0…1.
    ///   - evaluate: the evaluation with the router at a threshold (triage runs again: the threshold changes both
    ///     the router's own dispatches and the preference it offers the dispatcher).
    public static func curve(thresholds: [Double], evaluate: (Double) -> RouteEvaluation) -> String {
        var lines = ["threshold  queued  precision_dispatched  first_dispatch_accuracy"]
        for t in thresholds {
            let e = evaluate(t)
            lines.append(
                String(
                    format: "%9.2f  %6.3f  %20.3f  %23.3f", t, Double(e.queued) / Double(max(e.count, 1)),
                    e.precisionDispatched, e.firstDispatchAccuracy))
        }
        return lines.joined(separator: "\n")
    }

    /// Per-label counts: rows, dispatched, right; as a small table.
    public func perLabel() -> String {
        var lines = ["unit_kind            rows  dispatched  right"]
        for label in RoutingTable.labels {
            let mine = rows.filter { $0.truth == label }
            guard !mine.isEmpty else { continue }
            let sent = rows.filter { !$0.abstains && $0.label == label }
            lines.append(
                label.padding(toLength: 20, withPad: " ", startingAt: 0)
                    + String(
                        format: " %5d  %10d  %5d", mine.count, sent.count,
                        sent.filter { $0.truth == label }.count))
        }
        return lines.joined(separator: "\n")
    }

    /// `N (right M)`: rows dispatched by `decider`, and how many of them went to the right kind.
    private func by(_ decider: HotlineTriageResult.DecidedBy) -> String {
        let sent = rows.filter { $0.decidedBy == decider }
        return "\(sent.count) (right \(sent.filter { $0.label == $0.truth }.count))"
    }

    /// The report `citynet hotline route-eval` prints; the last line is `first_dispatch_accuracy X`.
    public func report() -> String {
        var lines = [
            "rows \(count)", "dispatched \(dispatched)",
            "dispatched_by_rules \(by(.rules))", "dispatched_by_router \(by(.router))", "queued \(queued)",
            String(format: "precision_dispatched %.4f", precisionDispatched),
        ]
        if let noise = noiseScenarioAccuracy {
            lines.append(String(format: "noise_scenario_accuracy %.4f (%d noise rows)", noise, noiseRows))
        }
        lines.append(String(format: "first_dispatch_accuracy %.4f", firstDispatchAccuracy))
        return lines.joined(separator: "\n")
    }
}
