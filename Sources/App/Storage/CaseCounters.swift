import CityDomain
import Foundation
import SQLKit

/// The `case_counters` table: how many cases each (region, unit, state) holds, with how many of them were closed on
/// time and how many are still with the unit first dispatched to — what the city screen, the district league and
/// `/console/summary` count, read from a few thousand rows instead of every case ever received (issue #17).
///
/// Kept exact by writing each change in the same transaction as the case row it counts: ``IntakeRows`` for every
/// new case (intake, hotline, sensor alarms, splits, rectifications), ``CaseActions`` for every state, unit or
/// region change, ``HistorySeed`` for bulk history. Nothing else writes those columns of `cases`. `citynet
/// check-counters` (``recount(on:)`` beside ``stored(on:)``) recomputes them from the cases and reports drift.
enum CaseCounters {
    /// The counters a case adds to: its row's key and its two flags.
    struct Key: Hashable, Comparable, Sendable {
        var region: String
        var unit: String
        var state: String

        static func < (a: Key, b: Key) -> Bool { (a.region, a.unit, a.state) < (b.region, b.unit, b.state) }
    }

    /// One counter row's numbers.
    struct Tally: Equatable, Sendable {
        var count = 0
        var onTime = 0
        var firstOK = 0

        static func += (a: inout Tally, b: Tally) {
            a.count += b.count
            a.onTime += b.onTime
            a.firstOK += b.firstOK
        }

        var isZero: Bool { count == 0 && onTime == 0 && firstOK == 0 }
    }

    /// What `record` counts for, as stored: its counter key and a tally of one (on time:
    /// ``CaseWorkflow/isClosedOnTime(closedAt:dueAt:)``; first OK: ``CaseFirstDispatch/isKept(_:)``), and its daily
    /// rollup rows (``CaseDayCounts/entries(_:)``).
    struct Entry: Sendable {
        var key: Key
        var tally: Tally
        var days: [CaseDayCounts.Key: CaseDayCounts.Tally]
    }

    static func entry(_ record: Case) -> Entry {
        let onTime = CaseWorkflow.isClosedOnTime(closedAt: record.closedAt, dueAt: record.dueAt)
        return Entry(
            key: Key(region: record.regionCode, unit: record.unitCode, state: record.state.rawValue),
            tally: Tally(count: 1, onTime: onTime ? 1 : 0, firstOK: CaseFirstDispatch.isKept(record) ? 1 : 0),
            days: CaseDayCounts.entries(record))
    }

    /// Changes to apply: per key, the sum of what was added and taken away, for the counters and the daily rollups.
    struct Delta: Sendable {
        private(set) var byKey: [Key: Tally] = [:]
        private(set) var byDay: [CaseDayCounts.Key: CaseDayCounts.Tally] = [:]

        init() {}

        /// Counts a new case.
        mutating func add(_ record: Case) { add(entry(record)) }

        private mutating func add(_ entry: Entry) {
            byKey[entry.key, default: Tally()] += entry.tally
            for (key, tally) in entry.days { byDay[key, default: CaseDayCounts.Tally()] += tally }
        }

        /// Moves a case from what `before` counted for to what `after` counts for.
        mutating func change(from before: Entry, to after: Case) {
            byKey[before.key, default: Tally()] += Tally(
                count: -before.tally.count, onTime: -before.tally.onTime, firstOK: -before.tally.firstOK)
            for (key, tally) in before.days { byDay[key, default: CaseDayCounts.Tally()] += -tally }
            add(after)
        }

        var isEmpty: Bool { byKey.values.allSatisfy(\.isZero) && byDay.values.allSatisfy(\.isZero) }
    }

    /// The counts of the cases one transaction opens, kept until its end and written there in one upsert: a
    /// transaction that opens several cases (a batch of readings raising alarms in several districts) would
    /// otherwise lock counter rows in the order it meets them, and two such transactions on PostgreSQL could each
    /// hold a row the other waits for (a deadlock, one batch answered 500). One ``apply(_:on:)`` takes them in key
    /// order, as every other writer does.
    final class Deferred: @unchecked Sendable {
        // Used by one transaction's task only, in order; not shared.
        private(set) var delta = Delta()

        init() {}

        func add(_ record: Case) { delta.add(record) }
    }

    /// Writes `delta` inside the caller's transaction: one upsert statement, rows in key order, so that two
    /// transactions on PostgreSQL lock the counter rows they share in the same order (no deadlock); then the daily
    /// rollups (``CaseDayCounts/apply(_:on:)``), always second, for the same reason.
    static func apply(_ delta: Delta, on sql: any SQLDatabase) async throws {
        try await applyCounters(delta, on: sql)
        try await CaseDayCounts.apply(delta.byDay, on: sql)
    }

    private static func applyCounters(_ delta: Delta, on sql: any SQLDatabase) async throws {
        let rows = delta.byKey.filter { !$0.value.isZero }.sorted { $0.key < $1.key }
        guard !rows.isEmpty else { return }
        var values: [any SQLExpression] = []
        for (key, tally) in rows {
            values.append(
                SQLGroupExpression([
                    SQLBind(key.region), SQLBind(key.unit), SQLBind(key.state), SQLBind(tally.count),
                    SQLBind(tally.onTime), SQLBind(tally.firstOK),
                ]))
        }
        try await sql.raw(
            """
            INSERT INTO "case_counters" ("region_code", "unit_code", "state", "n", "on_time", "first_ok")
            VALUES \(SQLList(values))
            ON CONFLICT ("region_code", "unit_code", "state") DO UPDATE SET
              "n" = "case_counters"."n" + excluded."n",
              "on_time" = "case_counters"."on_time" + excluded."on_time",
              "first_ok" = "case_counters"."first_ok" + excluded."first_ok"
            """
        ).run()
    }

    /// The stored counters, zero rows left out.
    static func stored(on sql: any SQLDatabase) async throws -> [Key: Tally] {
        try await read(
            """
            SELECT "region_code", "unit_code", "state", "n", "on_time", "first_ok" FROM "case_counters"
            """, on: sql)
    }

    /// The counters recomputed from every case (a full scan: for `citynet check-counters` and tests).
    static func recount(on sql: any SQLDatabase) async throws -> [Key: Tally] {
        try await read(
            """
            SELECT "region_code", "unit_code", "state", COUNT(*) AS "n",
              SUM(CASE WHEN \(CaseOnTime.sqlExpression()) THEN 1 ELSE 0 END)
                AS "on_time",
              SUM(CASE WHEN \(CaseFirstDispatch.sqlExpression()) THEN 1 ELSE 0 END) AS "first_ok"
            FROM "cases" GROUP BY "region_code", "unit_code", "state"
            """, on: sql)
    }

    /// Rows where `stored` and `recounted` differ, as text (`region unit state: stored n/on_time/first_ok,
    /// recounted …`), sorted; empty when they agree.
    static func drift(stored: [Key: Tally], recounted: [Key: Tally]) -> [String] {
        Set(stored.keys).union(recounted.keys).sorted().compactMap { key in
            let a = stored[key] ?? Tally()
            let b = recounted[key] ?? Tally()
            guard a != b else { return nil }
            return "\(key.region) \(key.unit) \(key.state): stored \(a.count)/\(a.onTime)/\(a.firstOK), "
                + "recounted \(b.count)/\(b.onTime)/\(b.firstOK)"
        }
    }

    /// Replaces the stored counters and the daily rollups (``CaseDayCounts/rebuild(on:)``) with a recount, inside the
    /// caller's transaction (`WriteGate.exclusive`; after a bulk load, or to repair drift that `check-counters`
    /// reported). On PostgreSQL it first takes the tables in the order every case write takes them (`cases`, then
    /// the counters, then the rollups), so no write slips in between the recount and the replacement and none
    /// deadlocks against it; SQLite's one writer already holds the database.
    static func rebuild(on sql: any SQLDatabase) async throws {
        if sql.dialect.name == "postgresql" {
            try await sql.raw(#"LOCK TABLE "cases" IN SHARE MODE"#).run()
            try await sql.raw(#"LOCK TABLE "case_counters", "case_day_counts" IN EXCLUSIVE MODE"#).run()
        }
        try await sql.raw(#"DELETE FROM "case_counters""#).run()
        try await sql.raw(
            """
            INSERT INTO "case_counters" ("region_code", "unit_code", "state", "n", "on_time", "first_ok")
            SELECT "region_code", "unit_code", "state", COUNT(*),
              SUM(CASE WHEN \(CaseOnTime.sqlExpression()) THEN 1 ELSE 0 END),
              SUM(CASE WHEN \(CaseFirstDispatch.sqlExpression()) THEN 1 ELSE 0 END)
            FROM "cases" GROUP BY "region_code", "unit_code", "state"
            """
        ).run()
        try await CaseDayCounts.rebuild(on: sql)
    }

    private static func read(_ query: SQLQueryString, on sql: any SQLDatabase) async throws -> [Key: Tally] {
        struct Row: Decodable {
            var regionCode: String
            var unitCode: String
            var state: String
            var n: Int
            var onTime: Int?
            var firstOK: Int?
            enum CodingKeys: String, CodingKey {
                case regionCode = "region_code", unitCode = "unit_code", state, n, onTime = "on_time",
                    firstOK = "first_ok"
            }
        }
        var result: [Key: Tally] = [:]
        for row in try await sql.raw(query).all(decoding: Row.self) {
            let tally = Tally(count: row.n, onTime: row.onTime ?? 0, firstOK: row.firstOK ?? 0)
            if !tally.isZero {
                result[Key(region: row.regionCode, unit: row.unitCode, state: row.state)] = tally
            }
        }
        return result
    }
}
