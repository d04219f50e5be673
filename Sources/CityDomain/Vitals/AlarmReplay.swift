import Foundation

/// An alarm of one (sensor, rule) as stored, for a re-evaluation to compare with its replay.
public struct StoredAlarm: Sendable, Equatable {
    public let id: Int64
    /// Observed time of the reading that raised it.
    public var raisedAt: Date
    public var raisedValue: Double?
    /// Observed time of the reading that cleared it (the rule), or the instant an operator cleared it (by hand);
    /// nil while active.
    public var clearedAt: Date?
    public var clearedValue: Double?
    /// Cleared by an operator rather than by the rule.
    public let clearedByHand: Bool

    public init(
        id: Int64, raisedAt: Date, raisedValue: Double?, clearedAt: Date?, clearedValue: Double?,
        clearedByHand: Bool
    ) {
        self.id = id
        self.raisedAt = raisedAt
        self.raisedValue = raisedValue
        self.clearedAt = clearedAt
        self.clearedValue = clearedValue
        self.clearedByHand = clearedByHand
    }

    /// Whether the alarm was active at observed time `t` (raised at or before it, not yet cleared).
    func covers(_ t: Date) -> Bool { raisedAt <= t && (clearedAt.map { t < $0 } ?? true) }
}

/// Re-evaluates one (sensor, rule) after a late reading — one observed at or before the rule's last evaluated
/// reading — so that it counts at its observed time (CityNet issue 11 §1 and §3: late and out-of-order readings are
/// evaluated at their observed time; streaming, late-batch and across-restart evaluation give the same alarms).
///
/// The rule's state is not kept for every past instant, so the replay starts from the last *reset point* before the
/// late reading, where the state is known without history: a reading that cleared the rule's alarm, a reading that
/// did not violate the rule while no alarm was active (it ends any run), the reading before a gap longer than the
/// rule's gap with policy `reset`, or the beginning of the sensor's readings. From there ``AlarmEvaluator/step``
/// runs over the stored readings in observed order, and ``corrections(stored:replayed:)`` turns the difference
/// between the stored alarms and the replayed episodes into corrections.
///
/// Policy: a replay never starts at or before the state's ``AlarmRuleState/replayFloor`` (set where the progress was
/// reset outside the readings: a rule change or enable, an operator's clearing by hand), so an operator's clearing
/// and an earlier version of the rule are never rewritten by late data; such a late reading is stored and rolled up
/// but not re-evaluated (``ReplayStart/pastFloor``). Alarms cleared by hand are likewise never corrected.
public enum AlarmReplay {
    /// Where a replay starts.
    public enum ReplayStart: Sendable, Equatable {
        /// After the reading observed at this time, in the reset state (no alarm, no run).
        case after(Date)
        /// Before the sensor's first reading, in the initial state.
        case beginning
        /// No reset point among the readings given (ask for more, or give up).
        case notFound
        /// The reset point would lie at or before the replay floor: no replay (see the type's policy).
        case pastFloor
    }

    /// The reset point before a late reading.
    /// - Parameters:
    ///   - rule: a value rule.
    ///   - earlier: the readings observed before the late one, newest first.
    ///   - complete: `earlier` reaches back to the sensor's first reading (none older exists).
    ///   - alarms: the (sensor, rule)'s stored alarms (withdrawn ones left out).
    ///   - floor: the state's ``AlarmRuleState/replayFloor``.
    public static func start(
        rule: AlarmRule, earlier: [(observed: Date, value: Double)], complete: Bool, alarms: [StoredAlarm],
        floor: Date? = nil
    ) -> ReplayStart {
        guard let raise = rule.raise else { return .notFound }
        let aboveFloor = floor.map { floor in earlier.prefix { $0.observed > floor }.count } ?? earlier.count
        let found = earlier.indices.prefix(aboveFloor).first { index in
            let (t, value) = earlier[index]
            if alarms.contains(where: { !$0.clearedByHand && $0.clearedAt == t }) { return true }
            let inactive = !alarms.contains { $0.covers(t) }
            if inactive, !raise.holds(value) { return true }
            // The next reading (newer) follows a gap that restarts any run.
            if inactive, rule.gapPolicy == .reset, index > 0,
                earlier[index - 1].observed.timeIntervalSince(t) > TimeInterval(rule.gapSeconds)
            {
                return true
            }
            return false
        }
        if let found { return .after(earlier[found].observed) }
        if aboveFloor < earlier.count || (complete && floor != nil) { return .pastFloor }
        return complete ? .beginning : .notFound
    }

    /// The state a replay from `start` begins in.
    public static func initialState(_ start: ReplayStart) -> AlarmRuleState {
        if case .after(let t) = start { return AlarmRuleState(lastObserved: t) }
        return AlarmRuleState()
    }

    /// One alarm as the replay says it should be.
    public struct Episode: Sendable, Equatable {
        public var raisedAt: Date
        public var raisedValue: Double
        public var clearedAt: Date?
        public var clearedValue: Double?
    }

    /// Replays `readings` (observed after the start, any order) from `state`.
    /// - Returns: the final state and the alarms raised in order (only the last may still be active).
    public static func replay(rule: AlarmRule, from state: AlarmRuleState, readings: [(observed: Date, value: Double)])
        -> (state: AlarmRuleState, episodes: [Episode])
    {
        let (final, transitions) = AlarmEvaluator.run(rule: rule, state: state, readings: readings)
        var episodes: [Episode] = []
        for transition in transitions {
            switch transition {
            case .raise(let at, let value):
                episodes.append(Episode(raisedAt: at, raisedValue: value))
            case .clear(let at, let value):
                guard !episodes.isEmpty, episodes[episodes.count - 1].clearedAt == nil else { continue }
                episodes[episodes.count - 1].clearedAt = at
                episodes[episodes.count - 1].clearedValue = value
            }
        }
        return (final, episodes)
    }

    /// A change a replay makes to the stored alarms.
    public enum Correction: Sendable, Equatable {
        /// The alarm's raising moves to another reading.
        case moveRaise(id: Int64, at: Date, value: Double)
        /// The active alarm clears at this reading.
        case clear(id: Int64, at: Date, value: Double)
        /// The cleared alarm's clearing moves to another reading.
        case moveClear(id: Int64, at: Date, value: Double)
        /// The cleared alarm is active again (a late reading extended it past its clearing).
        case reopen(id: Int64)
        /// The condition never held for this alarm once the late readings count: it is withdrawn (cleared at its
        /// own raising; its row and history stay).
        case withdraw(id: Int64)
        /// An alarm the stored ones lack.
        case add(Episode)
    }

    /// The corrections that make `stored` (the rule's alarms raised after the replay's start, oldest first, none
    /// cleared by hand) match `replayed`: the n-th stored alarm becomes the n-th replayed one; stored alarms beyond
    /// the replayed ones are withdrawn (first, so an alarm reopened or added never meets a second active one);
    /// replayed ones beyond the stored are added.
    public static func corrections(stored: [StoredAlarm], replayed: [Episode]) -> [Correction] {
        var result: [Correction] = stored.dropFirst(replayed.count).map { .withdraw(id: $0.id) }
        for (old, new) in zip(stored, replayed) {
            if old.raisedAt != new.raisedAt || old.raisedValue != new.raisedValue {
                result.append(.moveRaise(id: old.id, at: new.raisedAt, value: new.raisedValue))
            }
            switch (old.clearedAt, new.clearedAt, new.clearedValue) {
            case (nil, let at?, let value?):
                result.append(.clear(id: old.id, at: at, value: value))
            case (_?, nil, _):
                result.append(.reopen(id: old.id))
            case (let was?, let at?, let value?) where was != at || old.clearedValue != value:
                result.append(.moveClear(id: old.id, at: at, value: value))
            default: break
            }
        }
        result += replayed.dropFirst(stored.count).map { .add($0) }
        return result
    }
}
