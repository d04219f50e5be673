import CityDomain
import Foundation
import SQLKit

/// The `case_day_counts` table: daily rollups of the window measures (issue #17) per (Asia/Shanghai day, region,
/// unit) — cases received that day and, of them, those still with the unit first dispatched to; cases closed that
/// day and, of them, those closed on time. What ``CaseWindowCounts`` reads for the whole days of a window, so a
/// 30-day window costs its days × regions × units, not its cases.
///
/// A case counts where it is now: its present region and unit, the day of its `created_at` (received) and of its
/// `closed_at` (closed; nothing while open or reopened), with the same rules as the reads over `cases`
/// (``CaseFirstDispatch``, ``CaseWorkflow/isClosedOnTime(closedAt:dueAt:)``), so a change of unit, region,
/// closing or reopening moves the case's rows. Kept with ``CaseCounters`` in the same transaction as every case
/// write (``CaseCounters/Delta`` carries both, ``CaseCounters/apply(_:on:)`` writes both); `citynet check-counters`
/// recounts them from the cases (``recount(on:)``) and reports drift.
enum CaseDayCounts {
    /// One rollup row's key: the day (days since 1970-01-01 in Asia/Shanghai, ``CalendarDay/daysSince1970``), the
    /// region code and the unit code.
    struct Key: Hashable, Comparable, Sendable {
        var day: Int
        var region: String
        var unit: String

        static func < (a: Key, b: Key) -> Bool { (a.day, a.region, a.unit) < (b.day, b.region, b.unit) }
    }

    /// One rollup row's numbers.
    struct Tally: Equatable, Sendable {
        var received = 0
        var firstOK = 0
        var closed = 0
        var onTime = 0

        static func += (a: inout Tally, b: Tally) {
            a.received += b.received
            a.firstOK += b.firstOK
            a.closed += b.closed
            a.onTime += b.onTime
        }

        static prefix func - (a: Tally) -> Tally {
            Tally(received: -a.received, firstOK: -a.firstOK, closed: -a.closed, onTime: -a.onTime)
        }

        var isZero: Bool { received == 0 && firstOK == 0 && closed == 0 && onTime == 0 }
    }

    /// Seconds in a day, and seconds Asia/Shanghai is ahead of UTC (``TrendQueries/shanghaiOffset``).
    static let daySeconds = 86_400

    /// The Asia/Shanghai day of `instant`, days since 1970: ⌊(seconds since 1970 + 8 h) / 1 day⌋, the arithmetic
    /// of ``TrendQueries/dayBucket(_:on:)``.
    static func day(of instant: Date) -> Int {
        Int(((instant.timeIntervalSince1970 + Double(TrendQueries.shanghaiOffset)) / Double(daySeconds)).rounded(.down))
    }

    /// 00:00 Asia/Shanghai of `day` (days since 1970), as an instant.
    static func start(of day: Int) -> Date {
        Date(timeIntervalSince1970: TimeInterval(day * daySeconds - TrendQueries.shanghaiOffset))
    }

    /// The rows `record` adds to, as stored: one of received on its creation day, and one of closed on its
    /// closing day when closed (the same row when both fall on one day).
    static func entries(_ record: Case) -> [Key: Tally] {
        var rows: [Key: Tally] = [:]
        rows[Key(day: day(of: record.createdAt), region: record.regionCode, unit: record.unitCode), default: Tally()] +=
            Tally(received: 1, firstOK: CaseFirstDispatch.isKept(record) ? 1 : 0)
        if let closedAt = record.closedAt {
            let onTime = CaseWorkflow.isClosedOnTime(closedAt: closedAt, dueAt: record.dueAt)
            rows[Key(day: day(of: closedAt), region: record.regionCode, unit: record.unitCode), default: Tally()] +=
                Tally(closed: 1, onTime: onTime ? 1 : 0)
        }
        return rows
    }

    /// Writes `changes` inside the caller's transaction: one upsert, rows in key order (no deadlock between two
    /// PostgreSQL transactions sharing rows, as ``CaseCounters/apply(_:on:)``).
    static func apply(_ changes: [Key: Tally], on sql: any SQLDatabase) async throws {
        let rows = changes.filter { !$0.value.isZero }.sorted { $0.key < $1.key }
        guard !rows.isEmpty else { return }
        var values: [any SQLExpression] = []
        for (key, tally) in rows {
            values.append(
                SQLGroupExpression([
                    SQLBind(key.day), SQLBind(key.region), SQLBind(key.unit), SQLBind(tally.received),
                    SQLBind(tally.firstOK), SQLBind(tally.closed), SQLBind(tally.onTime),
                ]))
        }
        // A bulk load can touch thousands of rows: a statement per 1,000 keeps within SQLite's bind limit.
        for start in stride(from: 0, to: values.count, by: 1_000) {
            let chunk = Array(values[start..<min(start + 1_000, values.count)])
            try await sql.raw(
                """
                INSERT INTO "case_day_counts" ("day", "region_code", "unit_code", "received", "first_ok", "closed",
                  "on_time")
                VALUES \(SQLList(chunk))
                ON CONFLICT ("day", "region_code", "unit_code") DO UPDATE SET
                  "received" = "case_day_counts"."received" + excluded."received",
                  "first_ok" = "case_day_counts"."first_ok" + excluded."first_ok",
                  "closed" = "case_day_counts"."closed" + excluded."closed",
                  "on_time" = "case_day_counts"."on_time" + excluded."on_time"
                """
            ).run()
        }
    }

    /// The stored rollups, zero rows left out.
    static func stored(on sql: any SQLDatabase) async throws -> [Key: Tally] {
        try await read(
            """
            SELECT "day", "region_code", "unit_code", "received", "first_ok", "closed", "on_time"
            FROM "case_day_counts"
            """, on: sql)
    }

    /// The select that recounts the rollups from every case (a full scan), as columns `day`, `region_code`,
    /// `unit_code`, `received`, `first_ok`, `closed`, `on_time`.
    static func recountQuery(on sql: any SQLDatabase) -> SQLQueryString {
        """
        SELECT "day", "region_code", "unit_code", CAST(SUM("received") AS BIGINT) AS "received",
          CAST(SUM("first_ok") AS BIGINT) AS "first_ok", CAST(SUM("closed") AS BIGINT) AS "closed",
          CAST(SUM("on_time") AS BIGINT) AS "on_time"
        FROM (
          SELECT \(TrendQueries.dayBucket("created_at", on: sql)) AS "day", "region_code", "unit_code",
            1 AS "received", CASE WHEN \(CaseFirstDispatch.sqlExpression()) THEN 1 ELSE 0 END AS "first_ok",
            0 AS "closed", 0 AS "on_time"
          FROM "cases"
          UNION ALL
          SELECT \(TrendQueries.dayBucket("closed_at", on: sql)) AS "day", "region_code", "unit_code",
            0 AS "received", 0 AS "first_ok", 1 AS "closed",
            CASE WHEN \(CaseOnTime.sqlExpression()) THEN 1 ELSE 0 END AS "on_time"
          FROM "cases" WHERE "closed_at" IS NOT NULL
        ) AS "events"
        GROUP BY "day", "region_code", "unit_code"
        """
    }

    /// The rollups recomputed from every case (a full scan: for `citynet check-counters` and tests).
    static func recount(on sql: any SQLDatabase) async throws -> [Key: Tally] {
        try await read(recountQuery(on: sql), on: sql)
    }

    /// Rows where `stored` and `recounted` differ, as text (`day region unit: stored received/first_ok/closed/
    /// on_time, recounted …`), sorted; empty when they agree.
    static func drift(stored: [Key: Tally], recounted: [Key: Tally]) -> [String] {
        func text(_ t: Tally) -> String { "\(t.received)/\(t.firstOK)/\(t.closed)/\(t.onTime)" }
        return Set(stored.keys).union(recounted.keys).sorted().compactMap { key in
            let a = stored[key] ?? Tally()
            let b = recounted[key] ?? Tally()
            guard a != b else { return nil }
            return "day \(CalendarDay(daysSince1970: key.day)) \(key.region) \(key.unit): stored \(text(a)), "
                + "recounted \(text(b))"
        }
    }

    /// Replaces the stored rollups with a recount, inside the caller's transaction.
    static func rebuild(on sql: any SQLDatabase) async throws {
        try await sql.raw(#"DELETE FROM "case_day_counts""#).run()
        try await sql.raw(
            """
            INSERT INTO "case_day_counts" ("day", "region_code", "unit_code", "received", "first_ok", "closed",
              "on_time")
            \(recountQuery(on: sql))
            """
        ).run()
    }

    private static func read(_ query: SQLQueryString, on sql: any SQLDatabase) async throws -> [Key: Tally] {
        struct Row: Decodable {
            var day: Int
            var regionCode: String
            var unitCode: String
            var received: Int
            var firstOK: Int
            var closed: Int
            var onTime: Int
            enum CodingKeys: String, CodingKey {
                case day, regionCode = "region_code", unitCode = "unit_code", received, firstOK = "first_ok", closed
                case onTime = "on_time"
            }
        }
        var result: [Key: Tally] = [:]
        for row in try await sql.raw(query).all(decoding: Row.self) {
            let tally = Tally(received: row.received, firstOK: row.firstOK, closed: row.closed, onTime: row.onTime)
            if !tally.isZero { result[Key(day: row.day, region: row.regionCode, unit: row.unitCode)] = tally }
        }
        return result
    }
}
