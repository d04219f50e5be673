import CityDomain
import Foundation
import SQLKit
import Vapor

/// What became of one reading of a request.
enum ReadingOutcome: Sendable, Equatable {
    /// Stored now.
    case accepted
    /// The same value was already stored under this key: nothing changed.
    case duplicate
    case error(ReadingItemError)
}

/// Stores readings and evaluates alarm rules on them, all in one transaction: a 2xx means every accepted reading,
/// its rollups, the rule states and any alarm and case it raised are committed (CityNet issue 11 §1, §3).
///
/// Idempotency is the database's: `readings_key` is unique on (sensor, attribute, observed time); an insert that
/// meets it inserts nothing, and the stored value then tells a resend (duplicate) from a conflicting value
/// (per-item error). Readings go in observed-time order per sensor and attribute, so a batch evaluates as the same
/// readings streamed one by one would.
enum ReadingIngest {
    /// The most readings one batch may carry.
    static let maxBatch = 10_000
    /// Rows per multi-row insert (well under SQLite's bind limit).
    static let chunk = 500

    /// Ingests readings.
    /// - Parameters:
    ///   - inputs: the readings as sent, in order.
    ///   - now: the processing time (also the limit for observed times: now + 5 minutes).
    ///   - scope: the sending operator, whose readings count only for sensors within their scope (others are
    ///     `unknown_sensor`, as if not registered); nil for the system.
    /// - Returns: one outcome per input, in order.
    /// - Throws: database errors only (then nothing of the request was stored).
    static func ingest(_ inputs: [ReadingInput], app: Application, now: Date, scope: OperatorScope? = nil)
        async throws -> [ReadingOutcome]
    {
        var outcomes = [ReadingOutcome](repeating: .accepted, count: inputs.count)
        var parsed: [(Int, ParsedReading)] = []
        var firstIndex: [ReadingKey: Int] = [:]
        for (index, input) in inputs.enumerated() {
            do {
                let reading = try input.parsed(now: now)
                if let first = firstIndex[reading.key] {
                    outcomes[index] = .error(.problem(.duplicateInBatch(firstIndex: first)))
                    continue
                }
                firstIndex[reading.key] = index
                parsed.append((index, reading))
            } catch {
                outcomes[index] = .error(error)
            }
        }
        let sensors = try await SensorRegistry.load(parsed.map(\.1.sensorID), on: try app.db.sql())
        var valid: [(Int, ParsedReading)] = []
        for (index, reading) in parsed {
            guard let sensor = sensors[reading.sensorID], scope?.canSee(sensor, in: app.reference.hierarchy) ?? true
            else {
                outcomes[index] = .error(.problem(.unknownSensor(reading.sensorID)))
                continue
            }
            guard let attribute = sensor.attribute(reading.attribute) else {
                outcomes[index] = .error(.problem(.unknownAttribute(reading.attribute, sensor: sensor.id)))
                continue
            }
            do { try ReadingRules.checkUnit(reading.unit, attribute: attribute) } catch {
                outcomes[index] = .error(.problem(error))
                continue
            }
            valid.append((index, reading))
        }
        guard !valid.isEmpty else { return outcomes }
        let reference = app.reference
        let config = app.config
        let logger = app.logger
        let accepted = valid
        let stored = try await app.writeGate.exclusive(assignsIDs: true) { db in
            try await store(
                accepted, sensors: sensors, nowMS: VitalsTime.ms(now), now: now, reference: reference,
                caseSeverities: config.vitalsCaseSeverities, logger: logger, on: try db.sql())
        }
        for (index, outcome) in stored { outcomes[index] = outcome }
        return outcomes
    }

    /// The transaction's work: insert, tell duplicates from conflicts, roll up, evaluate.
    private static func store(
        _ readings: [(Int, ParsedReading)], sensors: [String: Sensor], nowMS: Int64, now: Date,
        reference: CityReference, caseSeverities: Set<AlarmSeverity>, logger: Logger, on sql: any SQLDatabase
    ) async throws -> [(Int, ReadingOutcome)] {
        if sql.dialect.name == "postgresql" {
            // One evaluator per sensor at a time (rule state is read, stepped and written back); sorted so that two
            // batches never wait for each other's locks in a cycle.
            for id in Set(readings.map(\.1.sensorID)).sorted() {
                try await sql.raw("SELECT pg_advisory_xact_lock(hashtext(\(bind: "vitals:" + id)))").run()
            }
        }
        var inserted = Set<ReadingKey>()
        for part in stride(from: 0, to: readings.count, by: chunk) {
            let slice = readings[part..<min(part + chunk, readings.count)]
            var insert = sql.insert(into: "readings").columns(
                "sensor_id", "attribute", "observed_ms", "received_ms", "value")
            for (_, reading) in slice {
                insert = insert.values(
                    SQLBind(reading.sensorID), SQLBind(reading.attribute), SQLBind(reading.observedMS),
                    SQLBind(nowMS), SQLBind(reading.value))
            }
            let rows = try await insert.ignoringConflicts().returning("sensor_id", "attribute", "observed_ms").all()
            for row in rows {
                inserted.insert(
                    ReadingKey(
                        sensorID: try row.decode(column: "sensor_id", as: String.self),
                        attribute: try row.decode(column: "attribute", as: String.self),
                        observedMS: try row.decode(column: "observed_ms", as: Int64.self)))
            }
        }
        var outcomes: [(Int, ReadingOutcome)] = []
        var fresh: [ParsedReading] = []
        for (index, reading) in readings {
            if inserted.contains(reading.key) {
                fresh.append(reading)
                outcomes.append((index, .accepted))
                continue
            }
            let existing = try await sql.select().column("value").from("readings")
                .where("sensor_id", .equal, reading.sensorID).where("attribute", .equal, reading.attribute)
                .where("observed_ms", .equal, reading.observedMS).first()
            let value = try existing?.decode(column: "value", as: Double.self)
            if value == reading.value {
                outcomes.append((index, .duplicate))
            } else {
                outcomes.append((index, .error(.problem(.conflictsWithStored(stored: value ?? .nan)))))
            }
        }
        guard !fresh.isEmpty else { return outcomes }
        try await ReadingRollups.add(fresh, on: sql)
        // One statement per distinct latest time (a batch is usually one time for many sensors).
        let latest = Dictionary(grouping: fresh, by: \.sensorID).mapValues { $0.map(\.observedMS).max() ?? 0 }
        for (time, ids) in Dictionary(grouping: latest.keys, by: { latest[$0] ?? 0 }) {
            for part in stride(from: 0, to: ids.count, by: chunk) {
                try await sql.update("sensors")
                    .set(
                        "last_observed_ms",
                        to: SQLRaw(
                            "CASE WHEN last_observed_ms IS NULL OR last_observed_ms < \(time) THEN \(time) ELSE last_observed_ms END"
                        )
                    )
                    .where("id", .in, Array(ids[part..<min(part + chunk, ids.count)])).run()
            }
        }
        let evaluation = AlarmEvaluation(
            sql: sql, reference: reference, caseSeverities: caseSeverities, nowMS: nowMS, now: now, logger: logger)
        try await evaluation.evaluate(fresh, sensors: sensors)
        return outcomes
    }
}
