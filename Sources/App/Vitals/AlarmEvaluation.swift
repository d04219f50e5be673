import CityDomain
import Foundation
import Logging
import SQLKit

/// Applies alarm rules to newly stored readings inside the ingestion transaction: loads each (sensor, rule)
/// state, steps it with ``AlarmEvaluator`` in observed-time order, writes it back, and raises or clears alarms.
struct AlarmEvaluation {
    let sql: any SQLDatabase
    let reference: CityReference
    let caseSeverities: Set<AlarmSeverity>
    let nowMS: Int64
    let now: Date
    let logger: Logger

    func evaluate(_ readings: [ParsedReading], sensors: [String: Sensor]) async throws {
        let rules = try await AlarmRuleStore.load(on: sql)
        let alarms = AlarmStore(sql: sql, reference: reference, caseSeverities: caseSeverities, logger: logger)
        let bySensor = Dictionary(grouping: readings, by: \.sensorID)
        let states = try await AlarmStateStore.load(sensorIDs: Array(bySensor.keys), on: sql)
        var changed: [AlarmStateStore.Key: AlarmRuleState] = [:]
        for sensorID in bySensor.keys.sorted() {
            guard let sensor = sensors[sensorID], let sensorReadings = bySensor[sensorID] else { continue }
            let chain = reference.hierarchy.ancestors(of: sensor.regionCode).map(\.code)
            // Any reading ends a stale feed (the clear condition of a stale-feed rule is "a reading arrived").
            for rule in rules
            where rule.sensorKind == sensor.kind && rule.raise == nil
                && rule.covers(sensorID: sensorID, regionChain: chain)
            {
                let latest = sensorReadings.map(\.observedMS).max() ?? nowMS
                try await alarms.clear(
                    sensorID: sensorID, ruleCode: rule.code, atMS: latest, value: nil, by: "system", nowMS: nowMS)
            }
            for (attribute, series) in Dictionary(grouping: sensorReadings, by: \.attribute) {
                for rule in rules
                where rule.applies(kind: sensor.kind, attribute: attribute, sensorID: sensorID, regionChain: chain) {
                    let key = AlarmStateStore.Key(sensorID: sensorID, ruleCode: rule.code)
                    let state = states[key] ?? AlarmRuleState()
                    var current = state
                    for reading in series.sorted(by: { $0.observedMS < $1.observedMS }) {
                        let step = AlarmEvaluator.step(
                            rule: rule, state: current, observed: VitalsTime.date(reading.observedMS),
                            value: reading.value)
                        current = step.state
                        switch step.transition {
                        case .raise(_, let value)?:
                            try await alarms.raise(
                                rule: rule, sensor: sensor, atMS: reading.observedMS, value: value, nowMS: nowMS,
                                now: now)
                        case .clear(_, let value)?:
                            try await alarms.clear(
                                sensorID: sensorID, ruleCode: rule.code, atMS: reading.observedMS, value: value,
                                by: "system", nowMS: nowMS)
                        case nil: break
                        }
                    }
                    if current != state { changed[key] = current }
                }
            }
        }
        try await AlarmStateStore.save(changed, on: sql)
    }
}

/// Rule states as stored in `alarm_rule_states`.
enum AlarmStateStore {
    struct Key: Hashable, Sendable {
        var sensorID: String
        var ruleCode: String
    }

    /// The stored states of these sensors' rules (absent: the initial state).
    static func load(sensorIDs: [String], on sql: any SQLDatabase) async throws -> [Key: AlarmRuleState] {
        var states: [Key: AlarmRuleState] = [:]
        for part in stride(from: 0, to: sensorIDs.count, by: 500) {
            let rows = try await sql.select().column("*").from("alarm_rule_states")
                .where("sensor_id", .in, Array(sensorIDs[part..<min(part + 500, sensorIDs.count)])).all()
            for row in rows {
                let key = Key(
                    sensorID: try row.decode(column: "sensor_id", as: String.self),
                    ruleCode: try row.decode(column: "rule_code", as: String.self))
                states[key] = try decode(row)
            }
        }
        return states
    }

    /// Writes states, many rows a statement.
    static func save(_ states: [Key: AlarmRuleState], on sql: any SQLDatabase) async throws {
        let rows = Array(states)
        for part in stride(from: 0, to: rows.count, by: 500) {
            var insert = sql.insert(into: "alarm_rule_states")
                .columns("sensor_id", "rule_code", "active", "run_start_ms", "run_count", "last_observed_ms")
            for (key, state) in rows[part..<min(part + 500, rows.count)] {
                insert = insert.values(
                    SQLBind(key.sensorID), SQLBind(key.ruleCode), SQLBind(state.active),
                    IntakeRows.b(state.runStart.map(VitalsTime.ms)), SQLBind(Int64(state.runCount)),
                    IntakeRows.b(state.lastObserved.map(VitalsTime.ms)))
            }
            try await insert.onConflict(with: ["sensor_id", "rule_code"]) { update in
                update.set(excludedValueOf: "active").set(excludedValueOf: "run_start_ms")
                    .set(excludedValueOf: "run_count").set(excludedValueOf: "last_observed_ms")
            }.run()
        }
    }

    private static func decode(_ row: any SQLRow) throws -> AlarmRuleState {
        AlarmRuleState(
            active: try row.decode(column: "active", as: Bool.self),
            runStart: try row.decode(column: "run_start_ms", as: Int64?.self).map(VitalsTime.date),
            runCount: Int(try row.decode(column: "run_count", as: Int64.self)),
            lastObserved: try row.decode(column: "last_observed_ms", as: Int64?.self).map(VitalsTime.date))
    }

    static func load(sensorID: String, ruleCode: String, on sql: any SQLDatabase) async throws -> AlarmRuleState {
        guard
            let row = try await sql.select().column("*").from("alarm_rule_states")
                .where("sensor_id", .equal, sensorID).where("rule_code", .equal, ruleCode).first()
        else { return AlarmRuleState() }
        return AlarmRuleState(
            active: try row.decode(column: "active", as: Bool.self),
            runStart: try row.decode(column: "run_start_ms", as: Int64?.self).map(VitalsTime.date),
            runCount: Int(try row.decode(column: "run_count", as: Int64.self)),
            lastObserved: try row.decode(column: "last_observed_ms", as: Int64?.self).map(VitalsTime.date))
    }

    static func save(_ state: AlarmRuleState, sensorID: String, ruleCode: String, on sql: any SQLDatabase)
        async throws
    {
        let runStart = state.runStart.map(VitalsTime.ms)
        let last = state.lastObserved.map(VitalsTime.ms)
        try await sql.insert(into: "alarm_rule_states")
            .columns("sensor_id", "rule_code", "active", "run_start_ms", "run_count", "last_observed_ms")
            .values(
                SQLBind(sensorID), SQLBind(ruleCode), SQLBind(state.active), IntakeRows.b(runStart),
                SQLBind(Int64(state.runCount)), IntakeRows.b(last)
            )
            .onConflict(with: ["sensor_id", "rule_code"]) { update in
                update.set("active", to: state.active).set(SQLIdentifier("run_start_ms"), to: IntakeRows.b(runStart))
                    .set("run_count", to: Int64(state.runCount))
                    .set(SQLIdentifier("last_observed_ms"), to: IntakeRows.b(last))
            }.run()
    }
}
