import Foundation

/// What a rule set made of a person's facts at one time: the category, why (a reason code and parameters, rendered
/// in either language at display time with the rule set version that made it), the facts it used, until when it
/// stands, and that version.
public struct StatusDecision: Codable, Hashable, Sendable {
    public var category: String
    /// The id of the rule that decided, or `default`.
    public var reasonCode: String
    /// `source`, `kind`, `value`, `observed` (seconds since 1970) of the latest fact the deciding rule used.
    public var reasonParams: [String: String]
    /// The ids of the facts the deciding rule matched, latest first.
    public var factIDs: [String]
    /// Seconds since 1970: the earliest time the decision can change without a new fact (a matching fact expires or
    /// leaves a rule's window), at most `max_validity_seconds` after ``evaluatedAt``.
    public var expiresAt: Int64
    public var evaluatedAt: Int64
    public var ruleSetVersion: Int

    public init(
        category: String, reasonCode: String, reasonParams: [String: String], factIDs: [String], expiresAt: Int64,
        evaluatedAt: Int64, ruleSetVersion: Int
    ) {
        (self.category, self.reasonCode, self.reasonParams, self.factIDs) = (
            category, reasonCode, reasonParams, factIDs
        )
        (self.expiresAt, self.evaluatedAt, self.ruleSetVersion) = (expiresAt, evaluatedAt, ruleSetVersion)
    }
}

extension StatusRuleSet {
    /// Evaluates `facts` at `now`: every rule with at least one matching fact (``Rule/matches(_:now:)``) is a
    /// candidate; the candidate whose category ranks highest decides (ties: the earlier rule); with no candidate the
    /// default decides.
    /// - Parameters:
    ///   - facts: the person's facts, any order (expired ones are ignored).
    ///   - now: seconds since 1970 (UTC).
    ///   - version: the version of this rule set, kept in the decision.
    /// - Precondition: the rule set is valid (``problems()`` empty).
    public func evaluate(_ facts: [StatusFact], now: Int64, version: Int) -> StatusDecision {
        var expiresAt = now + maxValiditySeconds
        var best: (rank: Int, rule: Rule, facts: [StatusFact])?
        var ranks: [String: Int] = [:]
        for category in categories { ranks[category.code] = category.rank }
        for rule in rules {
            let matching = facts.filter { rule.matches($0, now: now) }
            guard !matching.isEmpty else { continue }
            for fact in matching {
                if let end = rule.matchEnds(fact), end < expiresAt { expiresAt = max(end, now) }
            }
            let rank = ranks[rule.category] ?? Int.min
            if best == nil || rank > best!.rank { best = (rank, rule, matching) }
        }
        guard let best else {
            return StatusDecision(
                category: fallback.category, reasonCode: "default", reasonParams: [:], factIDs: [],
                expiresAt: expiresAt, evaluatedAt: now, ruleSetVersion: version)
        }
        let used = best.facts.sorted { ($0.observedAt, $0.id) > ($1.observedAt, $1.id) }
        let latest = used[0]
        return StatusDecision(
            category: best.rule.category, reasonCode: best.rule.id,
            reasonParams: [
                "source": latest.source.rawValue, "kind": latest.kind, "value": latest.value,
                "observed": String(latest.observedAt),
            ],
            factIDs: used.map(\.id), expiresAt: expiresAt, evaluatedAt: now, ruleSetVersion: version)
    }

    /// The decision's reason in Chinese (`zh`) or English, from this rule set's template for its reason code (the
    /// version that made it); a code this version lacks is shown as the code itself.
    public func reason(of decision: StatusDecision, zh: Bool) -> String {
        let template: Reason?
        if decision.reasonCode == "default" {
            template = fallback.reason
        } else {
            template = rules.first { $0.id == decision.reasonCode }?.reason
        }
        guard let template else { return decision.reasonCode }
        var text = zh ? template.zh : template.en
        let params = decision.reasonParams
        let observed = params["observed"].flatMap(Int64.init).map(Self.shanghaiTime) ?? ""
        let source = params["source"].flatMap(FactSource.init(rawValue:))?.name(zh: zh) ?? params["source"] ?? ""
        for (name, value) in [
            ("source", source), ("kind", params["kind"] ?? ""), ("value", params["value"] ?? ""),
            ("observed", observed),
        ] {
            text = text.replacingOccurrences(of: "{\(name)}", with: value)
        }
        return text
    }

    /// `yyyy-MM-dd HH:mm` in Asia/Shanghai (UTC+8, no daylight saving).
    public static func shanghaiTime(_ seconds: Int64) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 8 * 3600)!
        let parts = calendar.dateComponents(
            [.year, .month, .day, .hour, .minute], from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        return String(
            format: "%04d-%02d-%02d %02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0,
            parts.minute ?? 0)
    }
}
