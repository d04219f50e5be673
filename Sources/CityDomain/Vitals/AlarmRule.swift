import Foundation

/// A comparison of a reading's value with a threshold, e.g. `≤ 2` (°C).
public struct AlarmThreshold: Sendable, Equatable, Codable {
    /// `le` ≤, `lt` <, `ge` ≥, `gt` >.
    public enum Operator: String, Sendable, Codable, CaseIterable {
        case le, lt, ge, gt
    }

    public let op: Operator
    public let value: Double

    public init(_ op: Operator, _ value: Double) {
        self.op = op
        self.value = value
    }

    /// Whether `reading` satisfies the comparison.
    public func holds(_ reading: Double) -> Bool {
        switch op {
        case .le: reading <= value
        case .lt: reading < value
        case .ge: reading >= value
        case .gt: reading > value
        }
    }
}

/// When a run of violating readings raises an alarm.
public enum AlarmCondition: Sendable, Equatable {
    /// The first violating reading raises.
    case simple
    /// Violating readings held for at least this many seconds of observed time (first violating reading of the
    /// run to the current one).
    case duration(seconds: Int)
    /// This many violating readings in a row.
    case repeating(count: Int)
    /// No reading for this many seconds (evaluated by the staleness sweep against the clock, and cleared by the
    /// next reading).
    case stale(seconds: Int)

    /// The stored code (`alarm_rules.condition`).
    public var code: String {
        switch self {
        case .simple: "simple"
        case .duration: "duration"
        case .repeating: "repeating"
        case .stale: "stale"
        }
    }

    /// The stored parameter (`alarm_rules.condition_value`): seconds, a count, or 0.
    public var parameter: Int {
        switch self {
        case .simple: 0
        case .duration(let seconds), .stale(let seconds): seconds
        case .repeating(let count): count
        }
    }

    /// The condition a stored code and parameter name, or nil.
    public init?(code: String, parameter: Int) {
        switch code {
        case "simple": self = .simple
        case "duration" where parameter > 0: self = .duration(seconds: parameter)
        case "repeating" where parameter > 0: self = .repeating(count: parameter)
        case "stale" where parameter > 0: self = .stale(seconds: parameter)
        default: return nil
        }
    }
}

/// What a gap in the data does to a run of violating readings (stated per rule, never implicit).
public enum GapPolicy: String, Sendable, Codable, CaseIterable {
    /// A gap longer than the rule's `gapSeconds` between two consecutive readings restarts the run: a duration or
    /// repeat count is never carried across missing data.
    case reset
    /// The run continues across gaps: the last reading before the gap is taken to hold until the next one.
    case bridge
}

/// The sensors a rule applies to.
public enum AlarmScope: Sendable, Equatable {
    case city
    /// Sensors located in this region or below it.
    case region(String)
    case sensor(String)

    /// Stored form: `city`, `region:CODE`, `sensor:ID`.
    public var stored: String {
        switch self {
        case .city: "city"
        case .region(let code): "region:\(code)"
        case .sensor(let id): "sensor:\(id)"
        }
    }

    /// The scope a stored form names, or nil.
    public init?(stored: String) {
        if stored == "city" {
            self = .city
        } else if stored.hasPrefix("region:"), stored.count > 7 {
            self = .region(String(stored.dropFirst(7)))
        } else if stored.hasPrefix("sensor:"), stored.count > 7 {
            self = .sensor(String(stored.dropFirst(7)))
        } else {
            return nil
        }
    }
}

/// An alarm rule, kept as data (`alarm_rules`): which readings it watches, when it raises and clears, how severe
/// it is, what a gap in the data does, and the case category an alarm opens (if any).
public struct AlarmRule: Sendable, Equatable {
    public let code: String
    public let nameZh: String
    public let nameEn: String
    public let sensorKind: SensorKind
    /// The watched attribute; nil for a stale-feed rule (it watches every attribute).
    public let attribute: String?
    public let scope: AlarmScope
    public let condition: AlarmCondition
    /// The raise comparison (unused by a stale-feed rule).
    public let raise: AlarmThreshold?
    /// The clear comparison (hysteresis: ≥ 3 °C after raising at ≤ 2 °C); nil for a stale-feed rule, which any
    /// reading clears.
    public let clear: AlarmThreshold?
    public let severity: AlarmSeverity
    /// The gap after which ``gapPolicy`` applies, in seconds of observed time.
    public let gapSeconds: Int
    public let gapPolicy: GapPolicy
    /// The case category an alarm of this rule opens, when its severity is one that opens cases; nil for none.
    public let categoryCode: String?
    /// The rule's version (`alarm_rules.version`): 1 when created, one more on every change; an alarm keeps the
    /// version it was raised under (`alarms.rule_version`).
    public let version: Int
    /// False for a rule an operator disabled: it raises nothing new, but an alarm it raised before still clears when
    /// its clear condition holds (an alarm never hangs because its rule was switched off).
    public let enabled: Bool

    public init(
        code: String, nameZh: String, nameEn: String, sensorKind: SensorKind, attribute: String?, scope: AlarmScope,
        condition: AlarmCondition, raise: AlarmThreshold?, clear: AlarmThreshold?, severity: AlarmSeverity,
        gapSeconds: Int, gapPolicy: GapPolicy, categoryCode: String?, version: Int = 1, enabled: Bool = true
    ) {
        self.code = code
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.sensorKind = sensorKind
        self.attribute = attribute
        self.scope = scope
        self.condition = condition
        self.raise = raise
        self.clear = clear
        self.severity = severity
        self.gapSeconds = gapSeconds
        self.gapPolicy = gapPolicy
        self.categoryCode = categoryCode
        self.version = version
        self.enabled = enabled
    }

    /// The same rule at `version`, enabled or not as `enabled` says (as now when nil).
    public func at(version: Int, enabled: Bool? = nil) -> AlarmRule {
        AlarmRule(
            code: code, nameZh: nameZh, nameEn: nameEn, sensorKind: sensorKind, attribute: attribute, scope: scope,
            condition: condition, raise: raise, clear: clear, severity: severity, gapSeconds: gapSeconds,
            gapPolicy: gapPolicy, categoryCode: categoryCode, version: version, enabled: enabled ?? self.enabled)
    }

    /// Whether `other` evaluates readings differently (kind, attribute, scope, condition, thresholds, gap): then
    /// every sensor's run under this rule must restart, so a half-built duration or repeat run of the old rule never
    /// completes under the new one. Names, severity and category do not count.
    public func evaluatesDifferently(from other: AlarmRule) -> Bool {
        sensorKind != other.sensorKind || attribute != other.attribute || scope != other.scope
            || condition != other.condition || raise != other.raise || clear != other.clear
            || gapSeconds != other.gapSeconds || gapPolicy != other.gapPolicy
    }

    /// Whether the rule watches readings of `attribute` from a sensor of `kind` with id `sensorID`, located in
    /// `regionCode` whose ancestors (itself included) are `regionChain`.
    public func applies(
        kind: SensorKind, attribute name: String, sensorID: String, regionChain: [String]
    ) -> Bool {
        guard kind == sensorKind, attribute == name, raise != nil else { return false }
        return covers(sensorID: sensorID, regionChain: regionChain)
    }

    /// Whether the rule's scope covers the sensor.
    public func covers(sensorID: String, regionChain: [String]) -> Bool {
        switch scope {
        case .city: true
        case .region(let code): regionChain.contains(code)
        case .sensor(let id): id == sensorID
        }
    }
}
