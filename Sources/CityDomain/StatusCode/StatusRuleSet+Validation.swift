import Foundation

/// One fault of a rule set: the field (a JSON path such as `rules[2].category`), a code and the reason.
public struct RuleSetProblem: Error, Hashable, Sendable, Codable {
    public var field: String
    public var code: String
    public var message: String

    public init(field: String, code: String, message: String) {
        (self.field, self.code, self.message) = (field, code, message)
    }
}

/// A rule set that is not valid, with every fault found.
public struct RuleSetInvalid: Error, Sendable, CustomStringConvertible {
    public var problems: [RuleSetProblem]

    public init(problems: [RuleSetProblem]) { self.problems = problems }

    public var description: String { problems.map { "\($0.field): \($0.message)" }.joined(separator: "; ") }
}

extension StatusRuleSet {
    /// The placeholders a reason template may use.
    public static let placeholders: Set<String> = ["source", "kind", "value", "observed"]

    /// Every fault of this rule set, in field order; empty when it is valid.
    ///
    /// Checks: at least one category; codes 1–32 of `a-z 0-9 _`, unique; ranks unique; both names and a `#rrggbb`
    /// colour; the default's category defined and its reason in both languages; `max_validity_seconds` from 60 to
    /// 604,800 (a week); the appeal unit a known ``UnitKind`` and its days 1–30; per rule: a unique id 1–64 of
    /// `a-z 0-9 _ .`, a defined category, a known source or none, a kind, values not empty strings,
    /// `within_seconds` above 0, a reason in both languages using only ``placeholders``, and an origin.
    public func problems() -> [RuleSetProblem] {
        var out: [RuleSetProblem] = []
        func add(_ field: String, _ code: String, _ message: String) {
            out.append(RuleSetProblem(field: field, code: code, message: message))
        }
        if categories.isEmpty { add("categories", "required", "at least one category is required") }
        var codes = Set<String>()
        var ranks = Set<Int>()
        for (index, category) in categories.enumerated() {
            let field = "categories[\(index)]"
            if !Self.isCode(category.code, max: 32, dot: false) {
                add("\(field).code", "invalid", "code must be 1–32 characters of a-z, 0-9 or '_'")
            } else if !codes.insert(category.code).inserted {
                add("\(field).code", "duplicate", "category '\(category.code)' is defined twice")
            }
            if category.rank == Int.min {
                add("\(field).rank", "required", "rank is required (higher is more restrictive)")
            } else if !ranks.insert(category.rank).inserted {
                add(
                    "\(field).rank", "duplicate",
                    "rank \(category.rank) is used by another category: the order must be total")
            }
            if category.nameZh.isEmpty { add("\(field).name_zh", "required", "name_zh is required") }
            if category.nameEn.isEmpty { add("\(field).name_en", "required", "name_en is required") }
            if !Self.isColour(category.colour) { add("\(field).colour", "invalid", "colour must be #rrggbb") }
        }
        if fallback.category.isEmpty {
            add("default.category", "required", "default.category is required")
        } else if !codes.contains(fallback.category) {
            add("default.category", "unknown_category", "category '\(fallback.category)' is not defined in categories")
        }
        checkReason(fallback.reason, field: "default.reason", add: add)
        if !(60...604_800).contains(maxValiditySeconds) {
            add("max_validity_seconds", "out_of_range", "max_validity_seconds must be 60–604800 (a minute to a week)")
        }
        if UnitKind(rawValue: appeal.unitKind) == nil {
            add("appeal.unit_kind", "unknown_unit_kind", "unit_kind '\(appeal.unitKind)' is not a unit kind")
        }
        if !(1...30).contains(appeal.days) {
            add("appeal.days", "out_of_range", "appeal.days must be 1–30 working days")
        }
        var ids = Set<String>()
        for (index, rule) in rules.enumerated() {
            let field = "rules[\(index)]"
            if !Self.isCode(rule.id, max: 64, dot: true) {
                add("\(field).id", "invalid", "id must be 1–64 characters of a-z, 0-9, '_' or '.'")
            } else if rule.id == "default" || !ids.insert(rule.id).inserted {
                add("\(field).id", "duplicate", "rule id '\(rule.id)' is used twice (or is 'default')")
            }
            if rule.category.isEmpty {
                add("\(field).category", "required", "category is required")
            } else if !codes.contains(rule.category) {
                add("\(field).category", "unknown_category", "category '\(rule.category)' is not defined in categories")
            }
            if !rule.source.isEmpty, FactSource(rawValue: rule.source) == nil {
                add(
                    "\(field).source", "unknown_source",
                    "source '\(rule.source)' is none of " + FactSource.allCases.map(\.rawValue).joined(separator: ", "))
            }
            if !Self.isCode(rule.kind, max: 64, dot: true) {
                add("\(field).kind", "invalid", "kind must be 1–64 characters of a-z, 0-9, '_' or '.'")
            }
            if rule.values.contains(where: \.isEmpty) {
                add("\(field).values", "invalid", "values must not be empty strings")
            }
            if let within = rule.withinSeconds, within <= 0 {
                add("\(field).within_seconds", "out_of_range", "within_seconds must be above 0 (or absent: any time)")
            }
            checkReason(rule.reason, field: "\(field).reason", add: add)
            if rule.origin.trimmingCharacters(in: .whitespaces).isEmpty {
                add(
                    "\(field).origin", "required",
                    "origin is required: the regulation the rule comes from, or 'demo: …'")
            }
        }
        return out
    }

    private func checkReason(_ reason: Reason, field: String, add: (String, String, String) -> Void) {
        for (language, text) in [("zh", reason.zh), ("en", reason.en)] {
            if text.trimmingCharacters(in: .whitespaces).isEmpty {
                add("\(field).\(language)", "required", "the reason in \(language) is required")
            }
            for name in Self.placeholderNames(in: text) where !Self.placeholders.contains(name) {
                add(
                    "\(field).\(language)", "unknown_placeholder",
                    "{\(name)} is not a placeholder; use "
                        + Self.placeholders.sorted().map { "{\($0)}" }.joined(separator: ", "))
            }
        }
    }

    static func placeholderNames(in text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            names.append(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    static func isCode(_ text: String, max: Int, dot: Bool) -> Bool {
        (1...max).contains(text.count)
            && text.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || (dot && $0 == ".")
            }
    }

    static func isColour(_ text: String) -> Bool {
        text.count == 7 && text.first == "#" && text.dropFirst().allSatisfy(\.isHexDigit)
    }
}
