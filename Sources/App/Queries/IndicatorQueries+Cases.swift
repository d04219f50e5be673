import CityDomain
import Foundation
import SQLKit

extension IndicatorQueries {
    /// Case counts by region within `scope` for one indicator over cases, read so that the cost is that of the open
    /// work and of the indicator's window, never of the whole history (issue #17):
    /// - `open`: open cases now from ``CaseCounters`` (`case_counters`); one window ago as open now, less those
    ///   opened since, plus those created by then and closed since. Both corrections read only open cases (the
    ///   partial index `cases_open_idx`) or cases closed within the window (`cases_closed_idx`; the window is bounded
    ///   on both sides, because with only `closed_at > before` SQLite's planner walked every case in region order to
    ///   save the GROUP BY's sort: 2.6 s at a million cases). A case closed before the window and reopened within it
    ///   counts as open one window ago. Cases closed within the window come from ``CaseWindowCounts`` (the daily
    ///   rollups for its whole days, `cases_closed_idx` for its partial first and last day).
    /// - `overdue`: open cases overdue at `now` (``CaseOverdue/sqlExpression(now:)``, over `cases_open_idx`).
    /// - `on_time_rate`: cases closed in the current window and the one before, and of them those closed on time
    ///   (``CaseOnTime/sqlExpression()``), from ``CaseWindowCounts``.
    /// - Parameters: `windowSeconds`, the indicator's window; `now`, the instant judged at (UTC instants).
    /// - Returns: one input per region code with cases, within `scope`.
    /// - Throws: database errors.
    static func caseInputs(
        measure: CaseMeasure, windowSeconds: Int, scope: OperatorScope, reference: CityReference,
        on sql: any SQLDatabase, now: Date
    ) async throws -> [CaseIndicatorInput] {
        let hierarchy = reference.hierarchy
        let before = now.addingTimeInterval(-TimeInterval(windowSeconds))
        // Spelled so that no index of the unit column serves it: the open-cases and closed-at indexes must.
        let unitAnd: SQLQueryString = scope.onlyUnit.map { "\(CaseQueries.unindexed("unit_code", [$0])) AND " } ?? ""
        let unitCounters: SQLQueryString = scope.onlyUnit.map { "\"unit_code\" = \(bind: $0) AND " } ?? ""
        var inputs: [String: CaseIndicatorInput] = [:]
        func add(_ counts: [String: Int], _ field: WritableKeyPath<CaseIndicatorInput, Int>, sign: Int = 1) {
            for (region, n) in counts {
                inputs[region, default: CaseIndicatorInput(districtCode: nil)][keyPath: field] += sign * n
            }
        }
        // Counts of cases received or closed within (from, to], by region: whole days from the daily rollups.
        func within(_ event: TrendQueries.Event, after from: Date, through to: Date) async throws -> (
            all: [String: Int], kept: [String: Int]
        ) {
            let counts = try await CaseWindowCounts.count(
                event, in: .after(from, through: to), by: .region, regions: nil, unit: scope.onlyUnit, on: sql)
            return (
                Dictionary(counts.map { ($0.key.region, $0.value.count) }, uniquingKeysWith: +),
                Dictionary(counts.map { ($0.key.region, $0.value.kept) }, uniquingKeysWith: +)
            )
        }
        switch measure {
        case .open:
            let open = try await Self.countByRegion(
                """
                SELECT "region_code", CAST(SUM("n") AS BIGINT) AS n FROM "case_counters"
                WHERE \(unitCounters)"state" <> \(bind: CaseState.closed.rawValue) GROUP BY "region_code"
                """, on: sql)
            let openedSince = try await Self.countByRegion(
                """
                SELECT "region_code", COUNT(*) AS n FROM "cases"
                WHERE \(unitAnd)\(CaseOverdue.openExpression) AND "created_at" > \(bind: before)
                GROUP BY "region_code"
                """, on: sql)
            // Closed within the window though created before it = closed within it − created within it and closed
            // by now (a case closes after it is created, and a case is closed exactly when `closed_at` is set):
            // − (received within it − of those, open now − of those, closed after now). Each term reads the
            // rollups, the open cases or cases closed after `now` (none, unless `now` is in the past).
            let openedWithin = try await Self.countByRegion(
                """
                SELECT "region_code", COUNT(*) AS n FROM "cases"
                WHERE \(unitAnd)\(CaseOverdue.openExpression) AND "created_at" > \(bind: before)
                AND "created_at" <= \(bind: now)
                GROUP BY "region_code"
                """, on: sql)
            let closedLater = try await Self.countByRegion(
                """
                SELECT "region_code",
                  CASE WHEN "created_at" > \(bind: before) AND "created_at" <= \(bind: now) THEN 1 ELSE 0 END AS n
                FROM "cases" WHERE \(unitAnd)"closed_at" > \(bind: now)
                """, on: sql)
            let closedWithin = try await within(.closed, after: before, through: now).all
            let receivedWithin = try await within(.received, after: before, through: now).all
            add(open, \.open)
            add(open, \.openBefore)
            add(openedSince, \.openBefore, sign: -1)
            add(closedWithin, \.openBefore)
            add(receivedWithin, \.openBefore, sign: -1)
            add(openedWithin, \.openBefore)
            add(closedLater, \.openBefore)
        case .overdue:
            add(
                try await Self.countByRegion(
                    """
                    SELECT "region_code", COUNT(*) AS n FROM "cases"
                    WHERE \(unitAnd)\(CaseOverdue.sqlExpression(now: now)) GROUP BY "region_code"
                    """, on: sql), \.overdue)
        case .onTimeRate:
            let earlier = before.addingTimeInterval(-TimeInterval(windowSeconds))
            for (from, to, all, onTime) in [
                (before, now, \CaseIndicatorInput.closed, \CaseIndicatorInput.closedOnTime),
                (earlier, before, \.closedBefore, \.closedOnTimeBefore),
            ] {
                let closed = try await within(.closed, after: from, through: to)
                add(closed.all, all)
                add(closed.kept, onTime)
            }
        }
        return inputs.filter { hierarchy.isWithin($0.key, ancestor: scope.regionCode) }.map { region, input in
            var input = input
            input.districtCode = hierarchy.ancestor(of: region, at: .district)?.code
            return input
        }
    }

    /// Runs `query`, which selects `region_code` and a count `n`, and answers the counts by region.
    private static func countByRegion(_ query: SQLQueryString, on sql: any SQLDatabase) async throws -> [String: Int] {
        struct Row: Decodable {
            var regionCode: String
            var n: Int?
            enum CodingKeys: String, CodingKey { case regionCode = "region_code", n }
        }
        var counts: [String: Int] = [:]
        for row in try await sql.raw(query).all(decoding: Row.self) { counts[row.regionCode, default: 0] += row.n ?? 0 }
        return counts
    }
}
