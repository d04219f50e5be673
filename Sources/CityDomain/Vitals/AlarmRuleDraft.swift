import Foundation

/// An alarm rule as an operator submits it (CityNet issue 11 §3, the rule edit API), before validation: every
/// field in its stored spelling. ``AlarmRuleDraft/validate(context:)`` turns it into an ``AlarmRule`` or a list of
/// per-field errors.
public struct AlarmRuleDraft: Sendable, Equatable {
    public var code: String
    public var nameZh: String
    public var nameEn: String
    public var sensorKind: String
    public var attribute: String?
    /// `city`, `region:CODE` or `sensor:ID`.
    public var scope: String
    /// `simple`, `duration`, `repeating` or `stale`.
    public var condition: String
    /// Seconds for `duration` and `stale`, a count for `repeating`, 0 (or absent) for `simple`.
    public var conditionValue: Int
    /// The raise comparison: an operator code (`le`, `lt`, `ge`, `gt`) and a value in the attribute's unit.
    public var raiseOp: String?
    public var raiseValue: Double?
    public var clearOp: String?
    public var clearValue: Double?
    public var severity: String
    public var gapSeconds: Int
    public var gapPolicy: String
    public var categoryCode: String?

    public init(
        code: String, nameZh: String, nameEn: String, sensorKind: String, attribute: String?, scope: String,
        condition: String, conditionValue: Int, raiseOp: String?, raiseValue: Double?, clearOp: String?,
        clearValue: Double?, severity: String, gapSeconds: Int, gapPolicy: String, categoryCode: String?
    ) {
        self.code = code
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.sensorKind = sensorKind
        self.attribute = attribute
        self.scope = scope
        self.condition = condition
        self.conditionValue = conditionValue
        self.raiseOp = raiseOp
        self.raiseValue = raiseValue
        self.clearOp = clearOp
        self.clearValue = clearValue
        self.severity = severity
        self.gapSeconds = gapSeconds
        self.gapPolicy = gapPolicy
        self.categoryCode = categoryCode
    }

    /// One field's error: the field name as in the API, a stable code, and a message naming the problem.
    public struct FieldError: Sendable, Equatable {
        public let field: String
        public let code: String
        public let message: String

        public init(field: String, code: String, message: String) {
            self.field = field
            self.code = code
            self.message = message
        }
    }

    /// A validation's outcome: the rule, or every field error.
    public enum Validated: Sendable, Equatable {
        case valid(AlarmRule)
        case invalid([FieldError])
    }

    /// What validation needs to know about the city and the operator (supplied by the caller, which reads it from
    /// the reference data and the sensor registry).
    public struct Context: Sendable {
        /// Whether a region code exists.
        public var regionExists: @Sendable (String) -> Bool
        /// Whether a region code lies within the operator's region (the operator's region itself included).
        public var regionInScope: @Sendable (String) -> Bool
        /// Whether the operator's region is the whole city (only then may a rule be scoped to the city).
        public var operatorIsCityWide: Bool
        /// A registered sensor's kind and region, or nil when the id is unknown.
        public var sensor: @Sendable (String) -> (kind: String, regionCode: String)?
        /// Whether a case category code exists.
        public var categoryExists: @Sendable (String) -> Bool

        public init(
            regionExists: @escaping @Sendable (String) -> Bool, regionInScope: @escaping @Sendable (String) -> Bool,
            operatorIsCityWide: Bool, sensor: @escaping @Sendable (String) -> (kind: String, regionCode: String)?,
            categoryExists: @escaping @Sendable (String) -> Bool
        ) {
            self.regionExists = regionExists
            self.regionInScope = regionInScope
            self.operatorIsCityWide = operatorIsCityWide
            self.sensor = sensor
            self.categoryExists = categoryExists
        }
    }

    /// Validates the draft.
    /// - Parameter context: the city's regions, sensors and categories and the operator's region.
    /// - Returns: the rule (version 1; the store sets the real version), or every field error found, in field
    ///   order. Rules: `code` is 2–64 of `a-z 0-9 _`; names 1–100 characters; `sensor_kind` one of ``SensorKind``;
    ///   a value rule (`simple`, `duration`, `repeating`) needs an `attribute` of that kind
    ///   (``VitalAttribute/catalogue``) and a `raise` comparison; a `stale` rule takes neither attribute nor
    ///   comparisons; `duration` and `stale` need 60 s to 30 days, `repeating` 2–1,000 readings, `simple` 0;
    ///   `clear` (hysteresis) must not hold for any value at which `raise` holds (raise ≤ 2 and clear ≥ 1 overlap
    ///   on [1, 2]); `gap_seconds` 0 to 30 days (above 0 for a `duration` or `repeating` rule under `reset`),
    ///   `gap_policy` `reset` or `bridge`; the scope's region must exist and
    ///   lie within the operator's region, a sensor scope must name a registered sensor of the rule's kind within
    ///   it, and a city scope needs a city-wide operator; `category_code`, when given, must exist.
    public func validate(context: Context) -> Validated {
        var errors: [FieldError] = []
        func fail(_ field: String, _ code: String, _ message: String) {
            errors.append(FieldError(field: field, code: code, message: message))
        }
        let codeCharacters = Set("abcdefghijklmnopqrstuvwxyz0123456789_")
        if !(2...64).contains(code.count) || !code.allSatisfy(codeCharacters.contains) {
            fail("code", "invalid_code", "code must be 2 to 64 characters of a-z, 0-9 and _, got '\(code)'")
        }
        for (field, name) in [("name_zh", nameZh), ("name_en", nameEn)]
        where name.trimmingCharacters(in: .whitespaces).isEmpty || name.count > 100 {
            fail(field, "invalid_name", "\(field) must be 1 to 100 characters")
        }
        let kind = SensorKind(rawValue: sensorKind)
        if kind == nil {
            let known = SensorKind.allCases.map(\.rawValue).joined(separator: ", ")
            fail("sensor_kind", "unknown_kind", "unknown sensor kind '\(sensorKind)'; known: \(known)")
        }
        let raise = threshold("raise", raiseOp, raiseValue, fail)
        let clear = threshold("clear", clearOp, clearValue, fail)
        let condition = self.condition(fail)
        let isStale = self.condition == "stale"
        if isStale {
            if attribute != nil { fail("attribute", "not_allowed", "a stale rule watches every attribute: omit it") }
            if raiseOp != nil || raiseValue != nil { fail("raise", "not_allowed", "a stale rule takes no raise") }
            if clearOp != nil || clearValue != nil {
                fail("clear", "not_allowed", "a stale rule is cleared by the next reading: omit clear")
            }
        } else {
            if let kind {
                if let attribute {
                    if VitalAttribute.lookup(attribute, kind: kind) == nil {
                        let known = (VitalAttribute.catalogue[kind] ?? []).map(\.name).joined(separator: ", ")
                        fail(
                            "attribute", "unknown_attribute",
                            "'\(attribute)' is not an attribute of \(kind.rawValue); known: \(known)")
                    }
                } else {
                    fail("attribute", "required", "a \(self.condition) rule needs an attribute")
                }
            }
            if raiseOp == nil && raiseValue == nil {
                fail("raise", "required", "a value rule needs a raise comparison")
            }
            if let raise, let clear, let overlap = Self.overlap(raise, clear) {
                fail(
                    "clear", "does_not_clear",
                    "clear \(Self.describe(clear)) holds where raise \(Self.describe(raise)) holds (\(overlap)): "
                        + "the clear condition must not hold for any value that raises")
            }
        }
        if !(0...2_592_000).contains(gapSeconds) {
            fail("gap_seconds", gapSeconds < 0 ? "negative" : "too_large", "gap_seconds must be 0 to 2592000 (30 days)")
        }
        let gapPolicy = GapPolicy(rawValue: self.gapPolicy)
        if gapPolicy == nil { fail("gap_policy", "unknown_gap_policy", "gap_policy must be reset or bridge") }
        // Under `reset` a gap longer than `gap_seconds` restarts the run (``AlarmEvaluator/step``): with 0 every
        // reading restarts it, and a rule that needs a run could never raise.
        if gapPolicy == .reset, gapSeconds == 0, ["duration", "repeating"].contains(self.condition) {
            fail(
                "gap_seconds", "restarts_every_run",
                "gap_seconds 0 with gap_policy reset restarts the run at every reading, so a \(self.condition) rule "
                    + "could never raise; give the longest gap a run may bridge")
        }
        let severity = AlarmSeverity(rawValue: self.severity)
        if severity == nil {
            fail("severity", "unknown_severity", "severity must be critical, major, minor or warning")
        }
        let scope = self.scope(kind: kind, context: context, fail)
        if let categoryCode, !context.categoryExists(categoryCode) {
            fail("category_code", "unknown_category", "unknown case category '\(categoryCode)'")
        }
        guard errors.isEmpty, let kind, let condition, let severity, let gapPolicy, let scope else {
            return .invalid(errors)
        }
        return .valid(
            AlarmRule(
                code: code, nameZh: nameZh, nameEn: nameEn, sensorKind: kind, attribute: isStale ? nil : attribute,
                scope: scope, condition: condition, raise: raise, clear: clear, severity: severity,
                gapSeconds: gapSeconds, gapPolicy: gapPolicy, categoryCode: categoryCode))
    }

    private func threshold(
        _ field: String, _ op: String?, _ value: Double?, _ fail: (String, String, String) -> Void
    ) -> AlarmThreshold? {
        guard op != nil || value != nil else { return nil }
        guard let op, let parsed = AlarmThreshold.Operator(rawValue: op) else {
            fail("\(field).op", "unknown_operator", "\(field).op must be le, lt, ge or gt")
            return nil
        }
        guard let value, value.isFinite else {
            fail("\(field).value", "required", "\(field).value must be a finite number")
            return nil
        }
        return AlarmThreshold(parsed, value)
    }

    private func condition(_ fail: (String, String, String) -> Void) -> AlarmCondition? {
        let month = 2_592_000
        switch condition {
        case "simple":
            guard conditionValue == 0 else {
                fail("condition_value", "not_allowed", "a simple condition takes condition_value 0")
                return nil
            }
            return .simple
        case "duration", "stale":
            guard (60...month).contains(conditionValue) else {
                fail(
                    "condition_value", conditionValue < 0 ? "negative" : "out_of_range",
                    "a \(condition) condition needs 60 to \(month) seconds, got \(conditionValue)")
                return nil
            }
            return AlarmCondition(code: condition, parameter: conditionValue)
        case "repeating":
            guard (2...1000).contains(conditionValue) else {
                fail(
                    "condition_value", conditionValue < 0 ? "negative" : "out_of_range",
                    "a repeating condition needs 2 to 1000 readings in a row, got \(conditionValue)")
                return nil
            }
            return .repeating(count: conditionValue)
        default:
            fail("condition", "unknown_condition", "condition must be simple, duration, repeating or stale")
            return nil
        }
    }

    private func scope(kind: SensorKind?, context: Context, _ fail: (String, String, String) -> Void)
        -> AlarmScope?
    {
        guard let scope = AlarmScope(stored: self.scope) else {
            fail("scope", "invalid_scope", "scope must be city, region:CODE or sensor:ID")
            return nil
        }
        switch scope {
        case .city:
            guard context.operatorIsCityWide else {
                fail("scope", "outside_region", "only a city-wide operations centre may make a city-wide rule")
                return nil
            }
        case .region(let code):
            guard context.regionExists(code) else {
                fail("scope", "unknown_region", "unknown region '\(code)'")
                return nil
            }
            guard context.regionInScope(code) else {
                fail("scope", "outside_region", "region '\(code)' is outside your region")
                return nil
            }
        case .sensor(let id):
            guard let sensor = context.sensor(id) else {
                fail("scope", "unknown_sensor", "unknown sensor '\(id)'")
                return nil
            }
            guard context.regionInScope(sensor.regionCode) else {
                fail("scope", "outside_region", "sensor '\(id)' is outside your region")
                return nil
            }
            if let kind, sensor.kind != kind.rawValue {
                fail("scope", "kind_mismatch", "sensor '\(id)' is a \(sensor.kind) sensor, not \(kind.rawValue)")
                return nil
            }
        }
        return scope
    }

    /// The values at which both comparisons hold, described (e.g. `[1.0, 2.0]`), or nil when there are none.
    public static func overlap(_ raise: AlarmThreshold, _ clear: AlarmThreshold) -> String? {
        let below: (AlarmThreshold) -> Bool = { $0.op == .le || $0.op == .lt }
        switch (below(raise), below(clear)) {
        case (true, true): return "every value below both"
        case (false, false): return "every value above both"
        case (true, false), (false, true):
            let upper = below(raise) ? raise : clear
            let lower = below(raise) ? clear : raise
            let bothInclusive = upper.op == .le && lower.op == .ge
            guard lower.value < upper.value || (lower.value == upper.value && bothInclusive) else { return nil }
            let open = lower.op == .ge ? "[" : "("
            let close = upper.op == .le ? "]" : ")"
            return "\(open)\(lower.value), \(upper.value)\(close)"
        }
    }

    static func describe(_ threshold: AlarmThreshold) -> String {
        let symbol =
            switch threshold.op {
            case .le: "≤"
            case .lt: "<"
            case .ge: "≥"
            case .gt: ">"
            }
        return "\(symbol) \(threshold.value)"
    }
}
