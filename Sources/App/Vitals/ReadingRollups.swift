import Foundation
import SQLKit

/// Rollups of readings (count, sum, min, max per sensor, attribute and bucket of observed time).
///
/// - Per hour (`reading_rollups_hour`): updated with the readings' processing (``ReadingProcessor`` on SQLite, the
///   ingestion transaction on PostgreSQL), so a late reading lands in its own bucket.
/// - Per minute (`reading_rollups_minute`): for readings past their retention only. While a raw reading is kept it
///   is its own minute rollup (a sensor reporting once a minute has one reading a bucket, and the `readings_key`
///   index reads a sensor's range in order), so ingestion writes no minute row per reading (CityNet issue 11 §6:
///   that row cost as much as the reading); ``ReadingRetention`` rolls readings up into minutes in the transaction
///   that removes them, and ``ReadingSeries`` adds the two. A reading is in exactly one of them at any time.
enum ReadingRollups {
    static let minuteMS: Int64 = 60_000
    static let hourMS: Int64 = 3_600_000
    /// The tables written as readings are processed.
    static let tables: [(name: String, width: Int64)] = [("reading_rollups_hour", hourMS)]

    private struct Bucket: Hashable {
        var sensorID: String
        var attribute: String
        var start: Int64
    }

    private struct Aggregate {
        var n: Int64 = 0
        var total = 0.0
        var min = Double.infinity
        var max = -Double.infinity
    }

    /// Adds newly stored readings to the hour rollups (one upsert row per bucket).
    static func add(_ readings: [ParsedReading], on sql: any SQLDatabase) async throws {
        for table in tables {
            var buckets: [Bucket: Aggregate] = [:]
            for reading in readings {
                let start = reading.observedMS - ((reading.observedMS % table.width) + table.width) % table.width
                let key = Bucket(sensorID: reading.sensorID, attribute: reading.attribute, start: start)
                var aggregate = buckets[key] ?? Aggregate()
                aggregate.n += 1
                aggregate.total += reading.value
                aggregate.min = Swift.min(aggregate.min, reading.value)
                aggregate.max = Swift.max(aggregate.max, reading.value)
                buckets[key] = aggregate
            }
            let rows = Array(buckets)
            for part in stride(from: 0, to: rows.count, by: 500) {
                var insert = sql.insert(into: table.name).columns(
                    "sensor_id", "attribute", "bucket_ms", "n", "total", "min_value", "max_value")
                for (key, aggregate) in rows[part..<Swift.min(part + 500, rows.count)] {
                    insert = insert.values(
                        SQLBind(key.sensorID), SQLBind(key.attribute), SQLBind(key.start), SQLBind(aggregate.n),
                        SQLBind(aggregate.total), SQLBind(aggregate.min), SQLBind(aggregate.max))
                }
                let t = table.name
                try await insert.onConflict(with: ["sensor_id", "attribute", "bucket_ms"]) { update in
                    update
                        .set(SQLIdentifier("n"), to: SQLRaw("\(t).n + excluded.n"))
                        .set(SQLIdentifier("total"), to: SQLRaw("\(t).total + excluded.total"))
                        .set(
                            SQLIdentifier("min_value"),
                            to: SQLRaw(
                                "CASE WHEN excluded.min_value < \(t).min_value THEN excluded.min_value ELSE \(t).min_value END"
                            )
                        )
                        .set(
                            SQLIdentifier("max_value"),
                            to: SQLRaw(
                                "CASE WHEN excluded.max_value > \(t).max_value THEN excluded.max_value ELSE \(t).max_value END"
                            ))
                }.run()
            }
        }
    }

    /// Adds the readings with ids `after+1…upTo` (on SQLite, the rows a pass of ``ReadingProcessor`` takes) to
    /// the hour rollups, aggregated in SQL: one upsert, no value sent from Swift.
    static func add(idsAfter after: Int64, upTo: Int64, on sql: any SQLDatabase) async throws {
        try await add(where: SQLRaw("id > \(after) AND id <= \(upTo)"), into: tables, on: sql)
    }

    /// Adds the readings `condition` selects (from `source`) to the minute rollups: readings about to be removed
    /// by retention, in the transaction that removes them.
    static func addToMinutes(
        where condition: any SQLExpression, from source: String = "readings", on sql: any SQLDatabase
    )
        async throws
    {
        try await add(where: condition, from: source, into: [("reading_rollups_minute", minuteMS)], on: sql)
    }

    private static func add(
        where condition: any SQLExpression, from source: String = "readings",
        into tables: [(name: String, width: Int64)],
        on sql: any SQLDatabase
    ) async throws {
        for table in tables {
            let t = table.name
            let w = table.width
            // `WHERE` before `GROUP BY` keeps SQLite's parser from reading the upsert's ON as a join constraint.
            try await sql.raw(
                """
                INSERT INTO \(unsafeRaw: t) (sensor_id, attribute, bucket_ms, n, total, min_value, max_value) \
                SELECT sensor_id, attribute, observed_ms - (((observed_ms % \(unsafeRaw: "\(w)")) + \(unsafeRaw: "\(w)")) \
                % \(unsafeRaw: "\(w)")), COUNT(*), SUM(value), MIN(value), MAX(value) \
                FROM \(ident: source) WHERE \(condition) GROUP BY 1, 2, 3 \
                ON CONFLICT (sensor_id, attribute, bucket_ms) DO UPDATE SET n = \(unsafeRaw: t).n + excluded.n, \
                total = \(unsafeRaw: t).total + excluded.total, \
                min_value = CASE WHEN excluded.min_value < \(unsafeRaw: t).min_value THEN excluded.min_value \
                ELSE \(unsafeRaw: t).min_value END, \
                max_value = CASE WHEN excluded.max_value > \(unsafeRaw: t).max_value THEN excluded.max_value \
                ELSE \(unsafeRaw: t).max_value END
                """
            ).run()
        }
    }
}
