import Foundation

/// The rules a city sets for personal statuses, as data (CityNet issue #16 §1): the categories it defines, the
/// rules that turn facts into a category with a reason, the status given when no rule matches, and who handles an
/// appeal. A new version is stored whole; each decision keeps the version that made it.
///
/// JSON shape (`Resources/statuscode/status_rules.json` is the default): `categories` (`code`, `rank` — higher is
/// more restrictive —, `name_zh`, `name_en`, `colour`), `default` (`category`, `reason` {`zh`, `en`}),
/// `max_validity_seconds`, `appeal` (`unit_kind`, `days`), `rules` (`id`, `category`, `source`, `kind`, `values`,
/// `within_seconds`, `reason` {`zh`, `en`}, `origin`). Missing fields decode as empty and are reported by
/// ``problems()``.
public struct StatusRuleSet: Codable, Hashable, Sendable {
    public struct Category: Codable, Hashable, Sendable {
        /// 1–32 of `a-z 0-9 _`.
        public var code: String
        /// Order: the highest rank among matching rules wins.
        public var rank: Int
        public var nameZh: String
        public var nameEn: String
        /// `#rrggbb`, the colour the code is drawn in.
        public var colour: String

        enum CodingKeys: String, CodingKey {
            case code, rank, colour
            case nameZh = "name_zh"
            case nameEn = "name_en"
        }

        public init(code: String, rank: Int, nameZh: String, nameEn: String, colour: String) {
            (self.code, self.rank, self.nameZh, self.nameEn, self.colour) = (code, rank, nameZh, nameEn, colour)
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            code = try c.decodeIfPresent(String.self, forKey: .code) ?? ""
            rank = try c.decodeIfPresent(Int.self, forKey: .rank) ?? Int.min
            nameZh = try c.decodeIfPresent(String.self, forKey: .nameZh) ?? ""
            nameEn = try c.decodeIfPresent(String.self, forKey: .nameEn) ?? ""
            colour = try c.decodeIfPresent(String.self, forKey: .colour) ?? ""
        }
    }

    /// A reason template in both languages. Placeholders: `{source}` (the fact's source, named in the page's
    /// language), `{kind}`, `{value}`, `{observed}` (the fact's observed time, Asia/Shanghai).
    public struct Reason: Codable, Hashable, Sendable {
        public var zh: String
        public var en: String

        public init(zh: String, en: String) { (self.zh, self.en) = (zh, en) }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            zh = try c.decodeIfPresent(String.self, forKey: .zh) ?? ""
            en = try c.decodeIfPresent(String.self, forKey: .en) ?? ""
        }

        enum CodingKeys: String, CodingKey { case zh, en }
    }

    /// One rule: facts of `source` (any source when empty) and `kind`, with one of `values` (any value when empty),
    /// observed within the last `withinSeconds` (any time when nil) and still live, make the status `category`.
    public struct Rule: Codable, Hashable, Sendable {
        /// 1–64 of `a-z 0-9 _ .`; the reason code of the decisions it makes.
        public var id: String
        public var category: String
        /// A ``FactSource`` raw value, or empty for any source.
        public var source: String
        public var kind: String
        public var values: [String]
        public var withinSeconds: Int64?
        public var reason: Reason
        /// Where the rule comes from (a regulation, or `demo: …`).
        public var origin: String

        enum CodingKeys: String, CodingKey {
            case id, category, source, kind, values, reason, origin
            case withinSeconds = "within_seconds"
        }

        public init(
            id: String, category: String, source: String, kind: String, values: [String], withinSeconds: Int64?,
            reason: Reason, origin: String
        ) {
            (self.id, self.category, self.source, self.kind, self.values) = (id, category, source, kind, values)
            (self.withinSeconds, self.reason, self.origin) = (withinSeconds, reason, origin)
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decodeIfPresent(String.self, forKey: .id) ?? ""
            category = try c.decodeIfPresent(String.self, forKey: .category) ?? ""
            source = try c.decodeIfPresent(String.self, forKey: .source) ?? ""
            kind = try c.decodeIfPresent(String.self, forKey: .kind) ?? ""
            values = try c.decodeIfPresent([String].self, forKey: .values) ?? []
            withinSeconds = try c.decodeIfPresent(Int64.self, forKey: .withinSeconds)
            reason = try c.decodeIfPresent(Reason.self, forKey: .reason) ?? Reason(zh: "", en: "")
            origin = try c.decodeIfPresent(String.self, forKey: .origin) ?? ""
        }

        /// Whether `fact` counts for this rule at `now` (seconds since 1970).
        public func matches(_ fact: StatusFact, now: Int64) -> Bool {
            fact.kind == kind && (source.isEmpty || fact.source.rawValue == source)
                && (values.isEmpty || values.contains(fact.value)) && fact.isLive(at: now)
                && (withinSeconds.map { fact.observedAt > now - $0 } ?? true)
        }

        /// When `fact`, matching at some time, stops matching: its expiry or the end of the recency window.
        func matchEnds(_ fact: StatusFact) -> Int64? {
            [fact.expiresAt, withinSeconds.map { fact.observedAt + $0 }].compactMap { $0 }.min()
        }
    }

    public struct Fallback: Codable, Hashable, Sendable {
        public var category: String
        public var reason: Reason

        public init(category: String, reason: Reason) { (self.category, self.reason) = (category, reason) }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            category = try c.decodeIfPresent(String.self, forKey: .category) ?? ""
            reason = try c.decodeIfPresent(Reason.self, forKey: .reason) ?? Reason(zh: "", en: "")
        }

        enum CodingKeys: String, CodingKey { case category, reason }
    }

    /// Who handles an appeal: a department of this kind in the city, with this many working days.
    public struct Appeal: Codable, Hashable, Sendable {
        /// A ``UnitKind`` raw value.
        public var unitKind: String
        public var days: Int

        public init(unitKind: String, days: Int) { (self.unitKind, self.days) = (unitKind, days) }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            unitKind = try c.decodeIfPresent(String.self, forKey: .unitKind) ?? ""
            days = try c.decodeIfPresent(Int.self, forKey: .days) ?? 0
        }

        enum CodingKeys: String, CodingKey {
            case unitKind = "unit_kind"
            case days
        }
    }

    public var categories: [Category]
    public var fallback: Fallback
    /// The longest a decision stands without a fact changing it (then it is evaluated again), in seconds.
    public var maxValiditySeconds: Int64
    public var appeal: Appeal
    public var rules: [Rule]

    enum CodingKeys: String, CodingKey {
        case categories, appeal, rules
        case fallback = "default"
        case maxValiditySeconds = "max_validity_seconds"
    }

    public init(categories: [Category], fallback: Fallback, maxValiditySeconds: Int64, appeal: Appeal, rules: [Rule]) {
        (self.categories, self.fallback, self.maxValiditySeconds) = (categories, fallback, maxValiditySeconds)
        (self.appeal, self.rules) = (appeal, rules)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        categories = try c.decodeIfPresent([Category].self, forKey: .categories) ?? []
        fallback =
            try c.decodeIfPresent(Fallback.self, forKey: .fallback)
            ?? Fallback(category: "", reason: .init(zh: "", en: ""))
        maxValiditySeconds = try c.decodeIfPresent(Int64.self, forKey: .maxValiditySeconds) ?? 0
        appeal = try c.decodeIfPresent(Appeal.self, forKey: .appeal) ?? Appeal(unitKind: "", days: 0)
        rules = try c.decodeIfPresent([Rule].self, forKey: .rules) ?? []
    }

    /// The category with `code`.
    public func category(_ code: String) -> Category? { categories.first { $0.code == code } }

    /// The default rule set bundled in `Resources/statuscode/status_rules.json` (demo rules, each naming its origin).
    /// - Throws: when the resource is missing or does not decode; ``RuleSetInvalid`` when it is not valid.
    public static func bundled() throws -> StatusRuleSet {
        guard
            let url = Bundle.module.url(forResource: "Resources/statuscode/status_rules", withExtension: "json")
                ?? Bundle.module.url(
                    forResource: "status_rules", withExtension: "json", subdirectory: "Resources/statuscode")
        else {
            throw RuleSetInvalid(problems: [.init(field: "", code: "missing", message: "status_rules.json not bundled")]
            )
        }
        let set = try JSONDecoder().decode(StatusRuleSet.self, from: Data(contentsOf: url))
        let problems = set.problems()
        guard problems.isEmpty else { throw RuleSetInvalid(problems: problems) }
        return set
    }
}

extension StatusRuleSet.Appeal {
    /// The case category of an appeal: a department of ``unitKind`` at city level handles it within ``days``
    /// working days (dispatch and verification a working day each), in office hours — as a bad rating's
    /// rectification is timed (``RatingRules/rectificationCategory(days:department:)``).
    /// - Precondition: the appeal is valid (``StatusRuleSet/problems()``).
    public var caseCategory: Category {
        Category(
            code: "statuscode.appeal", nameZh: "个人状态码申诉", nameEn: "Personal status appeal",
            responsibleKind: UnitKind(rawValue: unitKind) ?? .health, responsibleLevel: .city, priority: .normal,
            clock: .officeHours,
            limits: StepLimits(
                dispatch: .workingDays(1), handle: .workingDays(days), verify: .workingDays(1),
                overall: .workingDays(days + 1)))
    }
}
