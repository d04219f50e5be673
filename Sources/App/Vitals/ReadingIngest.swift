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

/// Stores readings and evaluates alarm rules on them (CityNet issue 11 §1, §3, §6). A 2xx means every accepted
/// reading is committed. On SQLite the readings' rollups, rule states and any alarm and case they raise follow in
/// the ``ReadingProcessor``, behind a durable watermark, several batches a transaction; ``ingest(_:app:now:scope:waitForAlarms:)``
/// waits for them unless told not to (then they trail by at most ``ReadingProcessor/maxLag`` readings). On
/// PostgreSQL everything is committed in the batch's own transaction.
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
    ///   - area: for a gateway's readings API key, the sensors it may send for (others are `unknown_sensor`).
    ///   - waitForAlarms: true (the default) to return only once the readings' rollups, rule states, alarms and
    ///     cases are committed too; false to return once the readings are (SQLite; PostgreSQL always commits
    ///     everything at once).
    /// - Returns: one outcome per input, in order.
    /// - Throws: database errors of storing the readings (then nothing of the request was stored); an error of the
    ///   processing that follows on SQLite is logged, not thrown, since the readings are stored by then.
    static func ingest(
        _ inputs: [ReadingInput], app: Application, now: Date, scope: OperatorScope? = nil, area: ReadingArea? = nil,
        waitForAlarms: Bool = true
    ) async throws -> [ReadingOutcome] {
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
        let cache = app.vitalsCache
        let sensors = try await cache.sensors(Set(parsed.map(\.1.sensorID)), on: try app.db.sql())
        var valid: [(Int, ParsedReading)] = []
        for (index, reading) in parsed {
            guard let sensor = sensors[reading.sensorID], scope?.canSee(sensor, in: app.reference.hierarchy) ?? true,
                area?.covers(sensor, in: app.reference.hierarchy) ?? true
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
        let nowMS = VitalsTime.ms(now)
        if try app.db.sql().dialect.name == "sqlite" {
            let (stored, handoff) = try await app.readingInsertQueue.insert(
                accepted, nowMS: nowMS, gate: app.writeGate)
            for (index, outcome) in stored { outcomes[index] = outcome }
            guard let handoff else { return outcomes }
            let processor = app.readingProcessor
            processor.handOff(handoff)
            if waitForAlarms || processor.lag(upTo: handoff.to) > ReadingProcessor.maxLag {
                // The readings are committed: a failed processing pass is retried from the durable watermark by
                // the next pass, and must not turn the answer for stored readings into an error.
                do { try await processor.waitUntilProcessed(handoff.to, app: app) } catch {
                    logger.error(
                        "readings stored, processing them failed; the next pass retries",
                        metadata: ["error": "\(error)"])
                }
            } else {
                processor.start(app: app)
            }
            return outcomes
        }
        try await ReadingPartitions.ensure(accepted.map(\.1.observedMS), on: app.db)
        let stored = try await app.writeGate.exclusive(assignsIDs: true) { db in
            try await store(
                accepted, sensors: sensors, rules: try await cache.rules(on: try db.sql()), nowMS: nowMS, now: now,
                reference: reference, caseSeverities: config.vitalsCaseSeverities, logger: logger, on: try db.sql())
        }
        for (index, outcome) in stored { outcomes[index] = outcome }
        return outcomes
    }

    /// SQLite: stores the readings alone (their processing follows in ``ReadingProcessor``), inside the caller's
    /// transaction (``ReadingInsertQueue``).
    /// - Returns: the outcome per input index, and the hand-over of the readings stored now (nil for none).
    static func insertForProcessing(_ readings: [(Int, ParsedReading)], nowMS: Int64, on sql: any SQLDatabase)
        async throws -> ([(Int, ReadingOutcome)], ReadingProcessor.Handoff?)
    {
        let (outcomes, fresh, range) = try await insert(readings, nowMS: nowMS, on: sql)
        guard let range, !fresh.isEmpty else { return (outcomes, nil) }
        return (outcomes, ReadingProcessor.Handoff(from: range.from, to: range.to, readings: fresh, nowMS: nowMS))
    }

    /// PostgreSQL: the transaction's work: insert, tell duplicates from conflicts, roll up, evaluate.
    private static func store(
        _ readings: [(Int, ParsedReading)], sensors: [String: Sensor], rules: [AlarmRule], nowMS: Int64, now: Date,
        reference: CityReference, caseSeverities: Set<AlarmSeverity>, logger: Logger, on sql: any SQLDatabase
    ) async throws -> [(Int, ReadingOutcome)] {
        // One evaluator per sensor at a time (rule state is read, stepped and written back); sorted so that two
        // batches never wait for each other's locks in a cycle.
        for id in Set(readings.map(\.1.sensorID)).sorted() {
            try await sql.lockSensorEvaluator(id)
        }
        let (outcomes, fresh, _) = try await insert(readings, nowMS: nowMS, on: sql)
        guard !fresh.isEmpty else { return outcomes }
        try await ReadingRollups.add(fresh, on: sql)
        try await markLastObserved(fresh, on: sql)
        let evaluation = AlarmEvaluation(
            sql: sql, reference: reference, caseSeverities: caseSeverities, nowMS: nowMS, now: now, logger: logger)
        try await evaluation.evaluate(fresh, sensors: sensors, rules: rules, cache: nil)
        return outcomes
    }

    /// Inserts the readings (multi-row `INSERT … ON CONFLICT DO NOTHING`, ``chunk`` rows a statement) and tells
    /// stored from duplicate and conflicting ones with one lookup of the keys that were not inserted.
    ///
    /// On SQLite, whose writes are serialised by the ``WriteGate`` and whose ids only grow (`AUTOINCREMENT`), the
    /// new rows are exactly those with an id above the largest before the insert: a count of them confirms that
    /// every reading was new without decoding a row per reading, and their id range is handed to the
    /// ``ReadingProcessor``. On PostgreSQL, where other transactions insert at the same time, the inserted keys come
    /// back through `RETURNING` and the range is nil.
    /// - Returns: the outcome per input index, the readings stored now, and the ids of the rows inserted (SQLite
    ///   only).
    private static func insert(_ readings: [(Int, ParsedReading)], nowMS: Int64, on sql: any SQLDatabase)
        async throws -> (outcomes: [(Int, ReadingOutcome)], fresh: [ParsedReading], ids: (from: Int64, to: Int64)?)
    {
        let sqlite = sql.dialect.name == "sqlite"
        var firstNewID: Int64?
        if sqlite {
            let row = try await sql.raw("SELECT COALESCE(MAX(id), 0) AS id FROM readings").first()
            firstNewID = try (row?.decode(column: "id", as: Int64.self) ?? 0) + 1
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
            if sqlite {
                try await insert.ignoringConflicts().run()
                continue
            }
            for row in try await insert.ignoringConflicts().returning("sensor_id", "attribute", "observed_ms").all() {
                inserted.insert(try key(row))
            }
        }
        var ids: (from: Int64, to: Int64)?
        if let firstNewID {
            let row = try await sql.raw(
                "SELECT COUNT(*) AS n, COALESCE(MAX(id), 0) AS last FROM readings WHERE id >= \(bind: firstNewID)"
            ).first()
            let last = try row?.decode(column: "last", as: Int64.self) ?? 0
            ids = (firstNewID, last)
            if try row?.decode(column: "n", as: Int64.self) == Int64(readings.count) {
                return (readings.map { ($0.0, .accepted) }, readings.map(\.1), ids)
            }
            for row in try await sql.select().column("sensor_id").column("attribute").column("observed_ms")
                .from("readings").where("id", .greaterThanOrEqual, firstNewID).all()
            {
                inserted.insert(try key(row))
            }
        }
        let stored = try await storedValues(readings.map(\.1.key).filter { !inserted.contains($0) }, on: sql)
        var outcomes: [(Int, ReadingOutcome)] = []
        var fresh: [ParsedReading] = []
        for (index, reading) in readings {
            if inserted.contains(reading.key) {
                fresh.append(reading)
                outcomes.append((index, .accepted))
            } else if let value = stored[reading.key], value == reading.value {
                outcomes.append((index, .duplicate))
            } else {
                outcomes.append((index, .error(.problem(.conflictsWithStored(stored: stored[reading.key] ?? .nan)))))
            }
        }
        return (outcomes, fresh, ids)
    }

    private static func key(_ row: any SQLRow) throws -> ReadingKey {
        ReadingKey(
            sensorID: try row.decode(column: "sensor_id", as: String.self),
            attribute: try row.decode(column: "attribute", as: String.self),
            observedMS: try row.decode(column: "observed_ms", as: Int64.self))
    }

    /// The stored values under these keys: one `SELECT … WHERE (sensor_id, attribute, observed_ms) IN (VALUES …)`
    /// per ``chunk`` keys (row values work on SQLite ≥ 3.15 and PostgreSQL).
    private static func storedValues(_ keys: [ReadingKey], on sql: any SQLDatabase) async throws
        -> [ReadingKey: Double]
    {
        var values: [ReadingKey: Double] = [:]
        for part in stride(from: 0, to: keys.count, by: chunk) {
            let tuples = keys[part..<min(part + chunk, keys.count)].map { key in
                SQLGroupExpression([SQLBind(key.sensorID), SQLBind(key.attribute), SQLBind(key.observedMS)])
                    as any SQLExpression
            }
            let rows = try await sql.raw(
                """
                SELECT sensor_id, attribute, observed_ms, value FROM readings \
                WHERE (sensor_id, attribute, observed_ms) IN (VALUES \(SQLList(tuples)))
                """
            ).all()
            for row in rows { values[try key(row)] = try row.decode(column: "value", as: Double.self) }
        }
        return values
    }

    /// Moves each sensor's `last_observed_ms` forward to its latest new reading, one statement per distinct latest
    /// time (a batch is usually one time for many sensors).
    private static func markLastObserved(_ fresh: [ParsedReading], on sql: any SQLDatabase) async throws {
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
    }

    /// The same for the readings with ids `after+1…upTo` (SQLite, a ``ReadingProcessor`` pass), in one statement.
    static func markLastObserved(idsAfter after: Int64, upTo: Int64, on sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            UPDATE sensors SET last_observed_ms = CASE WHEN sensors.last_observed_ms IS NULL \
            OR sensors.last_observed_ms < latest.observed_ms THEN latest.observed_ms ELSE sensors.last_observed_ms END \
            FROM (SELECT sensor_id, MAX(observed_ms) AS observed_ms FROM readings WHERE id > \(bind: after) \
            AND id <= \(bind: upTo) \
            GROUP BY sensor_id) AS latest WHERE sensors.id = latest.sensor_id
            """
        ).run()
    }
}
