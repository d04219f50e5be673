import CityDomain
import Foundation
import Logging
import SQLKit

/// Applies alarm rules to newly stored readings inside the ingestion transaction: loads each (sensor, rule)
/// state, steps it with ``AlarmEvaluator`` in observed-time order, writes it back, and raises or clears alarms. A
/// reading observed at or before the rule's last evaluated one is late: the rule is then replayed from the last
/// reset point before it (``reevaluate(rule:sensor:earliestLateMS:upToMS:alarms:)``) and its alarms corrected.
struct AlarmEvaluation {
    let sql: any SQLDatabase
    let reference: CityReference
    let caseSeverities: Set<AlarmSeverity>
    let nowMS: Int64
    let now: Date
    let logger: Logger

    /// Evaluates `readings` (stored now) with `rules`.
    /// - Parameter cache: on SQLite, the process's rule-state cache (read instead of the table, updated with the
    ///   states written); nil to read and write the table only (PostgreSQL).
    func evaluate(_ readings: [ParsedReading], sensors: [String: Sensor], rules: [AlarmRule], cache: VitalsCache?)
        async throws
    {
        // The cases the batch's alarms open are counted once, at the end, in key order (``CaseCounters/Deferred``).
        let counts = CaseCounters.Deferred()
        let alarms = AlarmStore(
            sql: sql, reference: reference, caseSeverities: caseSeverities, logger: logger, counts: counts)
        let bySensor = Dictionary(grouping: readings, by: \.sensorID)
        var work: [(sensor: Sensor, rule: AlarmRule, series: [ParsedReading])] = []
        var staleClears: [String: [String: Int64]] = [:]  // rule code → sensor → latest observed time
        var chains: [String: [String]] = [:]
        let rulesByKind = Dictionary(grouping: rules, by: \.sensorKind)
        for sensorID in bySensor.keys.sorted() {
            guard let sensor = sensors[sensorID], let sensorReadings = bySensor[sensorID],
                let kindRules = rulesByKind[sensor.kind]
            else { continue }
            let chain =
                chains[sensor.regionCode]
                ?? reference.hierarchy.ancestors(of: sensor.regionCode).map(\.code)
            chains[sensor.regionCode] = chain
            // Any reading ends a stale feed (the clear condition of a stale-feed rule is "a reading arrived").
            for rule in kindRules where rule.raise == nil && rule.covers(sensorID: sensorID, regionChain: chain) {
                staleClears[rule.code, default: [:]][sensorID] = sensorReadings.map(\.observedMS).max() ?? nowMS
            }
            // One reading a sensor is the common batch: no grouping by attribute then.
            let byAttribute =
                sensorReadings.count == 1
                ? [sensorReadings[0].attribute: sensorReadings]
                : Dictionary(grouping: sensorReadings, by: \.attribute)
            for (attribute, series) in byAttribute {
                for rule in kindRules
                where rule.applies(kind: sensor.kind, attribute: attribute, sensorID: sensorID, regionChain: chain) {
                    work.append((sensor, rule, series))
                }
            }
        }
        try await clearStale(staleClears, alarms: alarms)
        let keys = work.map { AlarmStateStore.Key(sensorID: $0.sensor.id, ruleCode: $0.rule.code) }
        var states: [AlarmStateStore.Key: AlarmRuleState]
        if let cache {
            let cached = cache.states(keys)
            states = cached.found
            if !cached.missing.isEmpty {
                let loaded = try await AlarmStateStore.load(
                    sensorIDs: Array(Set(cached.missing.map(\.sensorID))), on: sql)
                states.merge(loaded) { cached, _ in cached }
            }
        } else {
            states = try await AlarmStateStore.load(sensorIDs: Array(bySensor.keys), on: sql)
        }
        var changed: [AlarmStateStore.Key: AlarmRuleState] = [:]
        for (key, (sensor, rule, series)) in zip(keys, work) {
            let state = states[key] ?? AlarmRuleState()
            let lastMS = state.lastObserved.map(VitalsTime.ms)
            if let lastMS, let earliest = series.map(\.observedMS).min(), earliest <= lastMS {
                // A late reading: replayed from the last reset point before it, at its observed time.
                if let replayed = try await reevaluate(
                    rule: rule, sensor: sensor, state: state, earliestLateMS: earliest,
                    upToMS: max(lastMS, series.map(\.observedMS).max() ?? lastMS), alarms: alarms)
                {
                    if replayed != state { changed[key] = replayed }
                    continue
                }
            }
            var current = state
            for reading in series.sorted(by: { $0.observedMS < $1.observedMS }) {
                let step = AlarmEvaluator.step(
                    rule: rule, state: current, observed: VitalsTime.date(reading.observedMS), value: reading.value)
                current = step.state
                switch step.transition {
                case .raise(_, let value)?:
                    try await alarms.raise(
                        rule: rule, sensor: sensor, atMS: reading.observedMS, value: value, nowMS: nowMS, now: now)
                case .clear(_, let value)?:
                    try await alarms.clear(
                        sensorID: sensor.id, ruleCode: rule.code, atMS: reading.observedMS, value: value,
                        by: AlarmStore.systemActor, nowMS: nowMS)
                case nil: break
                }
            }
            if current != state { changed[key] = current }
        }
        try await AlarmStateStore.save(changed, on: sql)
        try await CaseCounters.apply(counts.delta, on: sql)
        cache?.remember(changed)
    }

    /// Clears active stale-feed alarms of sensors that reported: one query finds the active ones per rule, and
    /// only those are cleared (each with its audit event and case note).
    private func clearStale(_ clears: [String: [String: Int64]], alarms: AlarmStore) async throws {
        for (ruleCode, latest) in clears.sorted(by: { $0.key < $1.key }) {
            let ids = latest.keys.sorted()
            for part in stride(from: 0, to: ids.count, by: 500) {
                let active = try await sql.select().column("sensor_id").from("alarms")
                    .where("rule_code", .equal, ruleCode).where("status", .equal, AlarmStatus.active.rawValue)
                    .where("sensor_id", .in, Array(ids[part..<min(part + 500, ids.count)])).all()
                for row in active {
                    let sensorID = try row.decode(column: "sensor_id", as: String.self)
                    try await alarms.clear(
                        sensorID: sensorID, ruleCode: ruleCode, atMS: latest[sensorID] ?? nowMS, value: nil,
                        by: AlarmStore.systemActor, nowMS: nowMS)
                }
            }
        }
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

    /// Writes states, many rows a statement (on SQLite all rows in one statement with one bound JSON array, so a
    /// batch of a thousand sensors binds one value instead of six thousand).
    static func save(_ states: [Key: AlarmRuleState], on sql: any SQLDatabase) async throws {
        guard !states.isEmpty else { return }
        if sql.dialect.name == "sqlite" {
            try await saveSQLite(states, on: sql)
            return
        }
        let rows = Array(states)
        for part in stride(from: 0, to: rows.count, by: 500) {
            var insert = sql.insert(into: "alarm_rule_states")
                .columns(
                    "sensor_id", "rule_code", "active", "run_start_ms", "run_count", "last_observed_ms",
                    "replay_floor_ms")
            for (key, state) in rows[part..<min(part + 500, rows.count)] {
                insert = insert.values(
                    SQLBind(key.sensorID), SQLBind(key.ruleCode), SQLBind(state.active),
                    IntakeRows.b(state.runStart.map(VitalsTime.ms)), SQLBind(Int64(state.runCount)),
                    IntakeRows.b(state.lastObserved.map(VitalsTime.ms)),
                    IntakeRows.b(state.replayFloor.map(VitalsTime.ms)))
            }
            try await insert.onConflict(with: ["sensor_id", "rule_code"]) { update in
                update.set(excludedValueOf: "active").set(excludedValueOf: "run_start_ms")
                    .set(excludedValueOf: "run_count").set(excludedValueOf: "last_observed_ms")
                    .set(excludedValueOf: "replay_floor_ms")
            }.run()
        }
    }

    private static func saveSQLite(_ states: [Key: AlarmRuleState], on sql: any SQLDatabase) async throws {
        func number(_ date: Date?) -> String { date.map { "\(VitalsTime.ms($0))" } ?? "null" }
        var json = "["
        var first = true
        for (key, state) in states {
            if !first { json += "," }
            first = false
            json += "[\(JSONText.quoted(key.sensorID)),\(JSONText.quoted(key.ruleCode)),\(state.active ? 1 : 0),"
            json += "\(number(state.runStart)),\(state.runCount),\(number(state.lastObserved)),"
            json += "\(number(state.replayFloor))]"
        }
        json += "]"
        // `WHERE true` keeps SQLite's parser from reading the upsert's ON as a join constraint.
        try await sql.raw(
            """
            INSERT INTO alarm_rule_states (sensor_id, rule_code, active, run_start_ms, run_count, last_observed_ms, \
            replay_floor_ms) \
            SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6 \
            FROM json_each(\(bind: json)) WHERE true \
            ON CONFLICT (sensor_id, rule_code) DO UPDATE SET active = excluded.active, \
            run_start_ms = excluded.run_start_ms, run_count = excluded.run_count, \
            last_observed_ms = excluded.last_observed_ms, replay_floor_ms = excluded.replay_floor_ms
            """
        ).run()
    }

    private static func decode(_ row: any SQLRow) throws -> AlarmRuleState {
        AlarmRuleState(
            active: try row.decode(column: "active", as: Bool.self),
            runStart: try row.decode(column: "run_start_ms", as: Int64?.self).map(VitalsTime.date),
            runCount: Int(try row.decode(column: "run_count", as: Int64.self)),
            lastObserved: try row.decode(column: "last_observed_ms", as: Int64?.self).map(VitalsTime.date),
            replayFloor: try row.decode(column: "replay_floor_ms", as: Int64?.self).map(VitalsTime.date))
    }

    static func load(sensorID: String, ruleCode: String, on sql: any SQLDatabase) async throws -> AlarmRuleState {
        guard
            let row = try await sql.select().column("*").from("alarm_rule_states")
                .where("sensor_id", .equal, sensorID).where("rule_code", .equal, ruleCode).first()
        else { return AlarmRuleState() }
        return try decode(row)
    }

    static func save(_ state: AlarmRuleState, sensorID: String, ruleCode: String, on sql: any SQLDatabase)
        async throws
    {
        try await save([Key(sensorID: sensorID, ruleCode: ruleCode): state], on: sql)
    }
}

/// JSON text written by hand where an encoder per value would cost more than the work it serves.
enum JSONText {
    /// `text` as a JSON string literal (quotes, backslashes and control characters escaped; RFC 8259 §7).
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
