import Fluent
import Foundation
import SQLKit
import Vapor

private struct PartitionExists: Decodable { var found: Bool }

/// Monthly partitions of `readings` on PostgreSQL (``PartitionReadingsByTime``): `readings_pYYYYMM` holds the
/// readings observed in that calendar month (UTC), from its first millisecond to the next month's first, excluded.
enum ReadingPartitions {
    /// The UTC month holding `ms`: its bounds in milliseconds and its partition's name.
    static func month(of ms: Int64) -> (start: Int64, end: Int64, name: String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let date = VitalsTime.date(ms)
        let parts = calendar.dateComponents([.year, .month], from: date)
        let start = calendar.date(from: parts)!
        let end = calendar.date(byAdding: .month, value: 1, to: start)!
        let name = String(format: "readings_p%04d%02d", parts.year ?? 0, parts.month ?? 0)
        return (VitalsTime.ms(start), VitalsTime.ms(end), name)
    }

    /// Creates the partitions these observed times need and that do not exist yet (PostgreSQL; nothing on SQLite).
    /// Each is created in a short transaction of its own, under an advisory lock so that two nodes never create one
    /// twice, before the batch's transaction (whose per-sensor locks a partition's creation must not wait behind).
    static func ensure(_ observedMS: [Int64], on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        var months: [String: (start: Int64, end: Int64, name: String)] = [:]
        for ms in observedMS {
            let month = month(of: ms)
            months[month.name] = month
        }
        for month in months.values.sorted(by: { $0.start < $1.start }) {
            let exists =
                try await sql.raw("SELECT to_regclass(\(bind: month.name)) IS NOT NULL AS found")
                .first(decoding: PartitionExists.self)?.found ?? false
            if exists { continue }
            try await db.transaction { tx in
                let sql = try tx.sql()
                try await sql.raw("SELECT pg_advisory_xact_lock(hashtext('readings:partitions'))").run()
                try await sql.raw(
                    """
                    CREATE TABLE IF NOT EXISTS \(ident: month.name) PARTITION OF readings \
                    FOR VALUES FROM (\(unsafeRaw: "\(month.start)")) TO (\(unsafeRaw: "\(month.end)"))
                    """
                ).run()
            }
        }
    }
}

/// Raw-reading retention (CityNet issue 11 §1): readings observed more than ``AppConfig/readingRetentionDays`` ago
/// are removed, rolled up into `reading_rollups_minute` in the same transaction (see ``ReadingRollups``); the
/// rollups stay. On PostgreSQL whole monthly partitions are dropped once
/// their month has ended before the cut-off (a month is kept until all of it is past the retention period). On
/// SQLite rows are deleted in batches of ``batch`` (oldest first, through `readings_observed_idx`), each batch in a
/// write of its own so readings keep flowing in between.
enum ReadingRetention {
    static let batch = 5000

    /// Runs one pass.
    /// - Parameters:
    ///   - days: the retention period in days (readings observed before `now - days` go).
    ///   - batch: rows deleted per write on SQLite.
    /// - Returns: partitions dropped (PostgreSQL) or rows deleted (SQLite).
    @discardableResult
    static func run(app: Application, now: Date, days: Int, batch: Int = ReadingRetention.batch) async throws -> Int {
        let cutoff = VitalsTime.ms(now.addingTimeInterval(-Double(days) * 86_400))
        let sql = try app.db.sql()
        if sql.dialect.name == "postgresql" {
            struct Partition: Decodable { var name: String }
            let partitions = try await sql.raw(
                """
                SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid \
                WHERE i.inhparent = 'readings'::regclass ORDER BY c.relname
                """
            ).all(decoding: Partition.self)
            var dropped = 0
            for partition in partitions {
                guard let end = monthEnd(partition.name), end <= cutoff else { continue }
                try await app.writeGate.exclusive { db in
                    let sql = try db.sql()
                    try await ReadingRollups.addToMinutes(where: SQLRaw("true"), from: partition.name, on: sql)
                    try await sql.raw("DROP TABLE \(ident: partition.name)").run()
                }
                dropped += 1
            }
            return dropped
        }
        var deleted = 0
        while true {
            let count = try await app.writeGate.exclusive { db -> Int in
                let sql = try db.sql()
                // Only processed readings (at or below the watermark) go, each into its minute rollup first.
                let chosen = SQLRaw(
                    """
                    id IN (SELECT id FROM readings WHERE observed_ms < \(cutoff) AND id <= (SELECT reading_id \
                    FROM vitals_watermarks WHERE name = 'readings') ORDER BY observed_ms, id LIMIT \(batch))
                    """)
                try await ReadingRollups.addToMinutes(where: chosen, on: sql)
                try await sql.raw("DELETE FROM readings WHERE \(chosen)").run()
                struct Changes: Decodable { var n: Int }
                return try await sql.raw("SELECT changes() AS n").first(decoding: Changes.self)?.n ?? 0
            }
            deleted += count
            if count < batch { return deleted }
        }
    }

    /// The end (exclusive, ms) of the month a `readings_pYYYYMM` partition holds; nil for another name.
    static func monthEnd(_ name: String) -> Int64? {
        guard name.hasPrefix("readings_p"), name.count == 16, let digits = Int(name.suffix(6)) else { return nil }
        let year = digits / 100
        let month = digits % 100
        guard (1...12).contains(month) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let start = calendar.date(from: DateComponents(year: year, month: month, day: 1)),
            let end = calendar.date(byAdding: .month, value: 1, to: start)
        else { return nil }
        return VitalsTime.ms(end)
    }

    /// The retention pass as a service loop (every `interval` seconds; off when the period is nil).
    static func periodicTask(interval: TimeInterval) -> PeriodicTask {
        PeriodicTask(name: "reading retention", interval: interval, startsAtOnce: false) { application, _ in
            guard let days = application.config.readingRetentionDays else { return }
            try await run(app: application, now: application.clock.now(), days: days)
        }
    }
}
