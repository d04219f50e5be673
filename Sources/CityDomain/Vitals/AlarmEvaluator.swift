import Foundation

/// The progress of one rule on one sensor, persisted between readings (`alarm_rule_states`), so that streaming,
/// late-batch and across-restart evaluation of the same readings give the same alarms.
public struct AlarmRuleState: Sendable, Equatable {
    /// Whether the rule's alarm is active for the sensor.
    public var active: Bool
    /// Observed time of the first violating reading of the current run, if a run is under way.
    public var runStart: Date?
    /// Violating readings in the current run.
    public var runCount: Int
    /// Observed time of the last reading evaluated.
    public var lastObserved: Date?
    /// Observed time before which no replay after a late reading starts (``AlarmReplay``): where the progress was
    /// reset outside the readings (a rule change, an enable, a clearing by hand), so the readings alone cannot say
    /// what the state was there. Nil: no such reset.
    public var replayFloor: Date?

    public init(
        active: Bool = false, runStart: Date? = nil, runCount: Int = 0, lastObserved: Date? = nil,
        replayFloor: Date? = nil
    ) {
        self.active = active
        self.runStart = runStart
        self.runCount = runCount
        self.lastObserved = lastObserved
        self.replayFloor = replayFloor
    }

    /// The state after an alarm was cleared by hand: inactive, no run (a new violation must build up again and
    /// opens a new alarm), and no replay reaching back past the clearing.
    public func clearedByHand() -> AlarmRuleState {
        AlarmRuleState(
            active: false, runStart: nil, runCount: 0, lastObserved: lastObserved,
            replayFloor: lastObserved ?? replayFloor)
    }
}

/// What a reading did to a rule.
public enum AlarmTransition: Sendable, Equatable {
    case raise(at: Date, value: Double)
    case clear(at: Date, value: Double)
}

/// Evaluates alarm rules on readings in observed-time order (ThingsBoard-style conditions; hysteresis as in the
/// CityNet vital-signs issue §3: raise at ≤ 2 °C, clear at ≥ 3 °C).
public enum AlarmEvaluator {
    /// The result of one step.
    public struct Step: Sendable, Equatable {
        public var state: AlarmRuleState
        public var transition: AlarmTransition?
        /// True when the reading is not after the last one evaluated: the step leaves the state alone, and the
        /// caller replays the rule from an earlier reset point (``AlarmReplay``) to evaluate it at its time.
        public var late: Bool
    }

    /// Applies one reading to a rule's state.
    /// - Parameters:
    ///   - rule: a value rule (not a stale-feed rule).
    ///   - state: the persisted state before the reading.
    ///   - observed: the reading's observed (event) time.
    ///   - value: the reading's value, in the attribute's unit.
    /// - Returns: the new state and the transition, if any. Rules: a gap longer than `gapSeconds` with policy
    ///   `reset` restarts the run; an active alarm clears only when the clear comparison holds (a value between the
    ///   two thresholds keeps it active); an inactive rule raises when its condition is met by the current run; a
    ///   reading that does not violate ends the run; a disabled rule (``AlarmRule/enabled``) builds no run and
    ///   raises nothing, but clears its active alarm as an enabled one would.
    public static func step(rule: AlarmRule, state: AlarmRuleState, observed: Date, value: Double) -> Step {
        guard let raise = rule.raise else { return Step(state: state, transition: nil, late: false) }
        if let last = state.lastObserved, observed <= last {
            return Step(state: state, transition: nil, late: true)
        }
        var next = state
        if let last = state.lastObserved, rule.gapPolicy == .reset,
            observed.timeIntervalSince(last) > TimeInterval(rule.gapSeconds)
        {
            next.runStart = nil
            next.runCount = 0
        }
        next.lastObserved = observed
        if next.active {
            let clears = rule.clear?.holds(value) ?? !raise.holds(value)
            guard clears else { return Step(state: next, transition: nil, late: false) }
            next.active = false
            next.runStart = nil
            next.runCount = 0
            return Step(state: next, transition: .clear(at: observed, value: value), late: false)
        }
        guard rule.enabled, raise.holds(value) else {
            next.runStart = nil
            next.runCount = 0
            return Step(state: next, transition: nil, late: false)
        }
        let start = next.runStart ?? observed
        next.runStart = start
        next.runCount += 1
        let met: Bool
        switch rule.condition {
        case .simple: met = true
        case .duration(let seconds): met = observed.timeIntervalSince(start) >= TimeInterval(seconds)
        case .repeating(let count): met = next.runCount >= count
        case .stale: met = false
        }
        guard met else { return Step(state: next, transition: nil, late: false) }
        next.active = true
        return Step(state: next, transition: .raise(at: observed, value: value), late: false)
    }

    /// Applies readings in observed-time order (sorted here); the transitions in order.
    public static func run(
        rule: AlarmRule, state: AlarmRuleState, readings: [(observed: Date, value: Double)]
    ) -> (state: AlarmRuleState, transitions: [AlarmTransition]) {
        var current = state
        var transitions: [AlarmTransition] = []
        for reading in readings.sorted(by: { $0.observed < $1.observed }) {
            let result = step(rule: rule, state: current, observed: reading.observed, value: reading.value)
            current = result.state
            if let transition = result.transition { transitions.append(transition) }
        }
        return (current, transitions)
    }

    /// Whether a feed last heard at `lastObserved` is stale at `now` under a stale-feed rule.
    public static func isStale(rule: AlarmRule, lastObserved: Date?, now: Date) -> Bool {
        guard case .stale(let seconds) = rule.condition, let lastObserved else { return false }
        return now.timeIntervalSince(lastObserved) > TimeInterval(seconds)
    }
}
