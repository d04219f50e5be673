import CityDomain
import Foundation
import SQLKit

extension AlarmEvaluation {
    /// Readings read back at most to find a reset point before a late reading (``AlarmReplay``).
    static let replayLookback = 2_000
    /// Readings replayed at most; a late reading further behind is stored and rolled up only (logged).
    static let replayLimit = 100_000

    /// Re-evaluates `rule` on `sensor` after late readings (observed at or before the rule's last evaluated one):
    /// replays the stored readings of the rule's attribute from the last reset point before `earliestLateMS` up to
    /// `upToMS` (observed times, ms since 1970 UTC) and corrects the stored alarms to match (``AlarmReplay``).
    /// - Returns: the rule's state after the replay (its replay floor kept), or nil when no replay is possible: a
    ///   disabled rule (it raises nothing, so there is nothing to move), no reset point within ``replayLookback``
    ///   readings, one only at or before the state's replay floor, or more than ``replayLimit`` readings to replay;
    ///   the late readings then stay stored and rolled up but do not move the rule, and a warning is logged.
    /// - Throws: database errors (the caller's transaction is undone).
    func reevaluate(
        rule: AlarmRule, sensor: Sensor, state: AlarmRuleState, earliestLateMS: Int64, upToMS: Int64,
        alarms store: AlarmStore
    ) async throws -> AlarmRuleState? {
        guard rule.enabled, let attribute = rule.attribute else { return nil }
        let alarms = try await storedAlarms(sensorID: sensor.id, ruleCode: rule.code)
        // Back from the late reading a page at a time (a reset point is usually a few readings back), each page
        // four times the last, up to the lookback.
        var earlier: [(observed: Date, value: Double)] = []
        var start = AlarmReplay.ReplayStart.notFound
        var page = 16
        while start == .notFound, earlier.count < Self.replayLookback {
            let before = earlier.last.map { VitalsTime.ms($0.observed) } ?? earliestLateMS
            let limit = min(page, Self.replayLookback - earlier.count)
            let more = try await readings(
                sensorID: sensor.id, attribute: attribute, after: Int64.min, upTo: before - 1, newestFirst: true,
                limit: limit)
            earlier += more
            let complete = more.count < limit
            start = AlarmReplay.start(
                rule: rule, earlier: earlier, complete: complete, alarms: alarms, floor: state.replayFloor)
            if complete { break }
            page *= 4
        }
        let fromMS: Int64
        switch start {
        case .after(let t): fromMS = VitalsTime.ms(t)
        case .beginning: fromMS = Int64.min
        case .notFound, .pastFloor:
            logger.warning(
                "late reading not re-evaluated",
                metadata: [
                    "sensor": "\(sensor.id)", "rule": "\(rule.code)", "observed_ms": "\(earliestLateMS)",
                    "reason": "\(start == .pastFloor ? "reset point before the replay floor" : "no reset point")",
                ])
            return nil
        }
        let series = try await readings(
            sensorID: sensor.id, attribute: attribute, after: fromMS, upTo: upToMS, newestFirst: false,
            limit: Self.replayLimit + 1)
        guard series.count <= Self.replayLimit else {
            logger.warning(
                "late reading not re-evaluated: too far behind",
                metadata: ["sensor": "\(sensor.id)", "rule": "\(rule.code)", "observed_ms": "\(earliestLateMS)"])
            return nil
        }
        var (replayed, episodes) = AlarmReplay.replay(
            rule: rule, from: AlarmReplay.initialState(start), readings: series)
        replayed.replayFloor = state.replayFloor
        let replaced = alarms.filter { !$0.clearedByHand && VitalsTime.ms($0.raisedAt) > fromMS }
        let late = VitalsTime.date(earliestLateMS).ISO8601Format()
        for correction in AlarmReplay.corrections(stored: replaced, replayed: episodes) {
            try await store.apply(correction, rule: rule, sensor: sensor, late: late, nowMS: nowMS, now: now)
        }
        return replayed
    }

    /// The (sensor, rule)'s alarms, oldest first, withdrawn ones left out (a replay found they never held).
    private func storedAlarms(sensorID: String, ruleCode: String) async throws -> [StoredAlarm] {
        try await sql.select()
            .columns("id", "raised_at_ms", "raised_value", "cleared_at_ms", "cleared_value", "cleared_by")
            .from("alarms").where("sensor_id", .equal, sensorID).where("rule_code", .equal, ruleCode)
            .where(SQLIdentifier("withdrawn_at_ms"), .is, SQLLiteral.null).orderBy("raised_at_ms").orderBy("id").all()
            .map { row in
                let clearedBy = try row.decode(column: "cleared_by", as: String?.self)
                return StoredAlarm(
                    id: try row.decode(column: "id", as: Int64.self),
                    raisedAt: VitalsTime.date(try row.decode(column: "raised_at_ms", as: Int64.self)),
                    raisedValue: try row.decode(column: "raised_value", as: Double?.self),
                    clearedAt: try row.decode(column: "cleared_at_ms", as: Int64?.self).map(VitalsTime.date),
                    clearedValue: try row.decode(column: "cleared_value", as: Double?.self),
                    clearedByHand: clearedBy != nil && clearedBy != AlarmStore.systemActor)
            }
    }

    /// Readings of (sensor, attribute) observed in (`afterMS`, `upToMS`] (ms since 1970 UTC), oldest or newest
    /// first, at most `limit`; read down the readings' key (sensor, attribute, observed time).
    private func readings(
        sensorID: String, attribute: String, after afterMS: Int64, upTo upToMS: Int64, newestFirst: Bool, limit: Int
    ) async throws -> [(observed: Date, value: Double)] {
        try await sql.select().column("observed_ms").column("value").from("readings")
            .where("sensor_id", .equal, sensorID).where("attribute", .equal, attribute)
            .where("observed_ms", .greaterThan, afterMS).where("observed_ms", .lessThanOrEqual, upToMS)
            .orderBy("observed_ms", newestFirst ? .descending : .ascending).limit(limit).all()
            .map {
                (
                    observed: VitalsTime.date(try $0.decode(column: "observed_ms", as: Int64.self)),
                    value: try $0.decode(column: "value", as: Double.self)
                )
            }
    }
}
