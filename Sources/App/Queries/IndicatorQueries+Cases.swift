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
    ///   counts as open one window ago.
    /// - `overdue`: open cases overdue at `now` (``CaseOverdue/sqlExpression(now:)``, over `cases_open_idx`).
    /// - `on_time_rate`: cases closed in the current window and the one before, and of them those closed on time
    ///   (``CaseOnTime/sqlExpression()``), over `cases_closed_idx`.
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
            let closedSince = try await Self.countByRegion(
                """
                SELECT "region_code", COUNT(*) AS n FROM "cases"
                WHERE \(unitAnd)"closed_at" > \(bind: before) AND "closed_at" <= \(bind: now)
                AND "created_at" <= \(bind: before)
                GROUP BY "region_code"
                """, on: sql)
            add(open, \.open)
            add(open, \.openBefore)
            add(openedSince, \.openBefore, sign: -1)
            add(closedSince, \.openBefore)
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
                let closedIn: SQLQueryString =
                    "\(unitAnd)\"closed_at\" > \(bind: from) AND \"closed_at\" <= \(bind: to)"
                add(
                    try await Self.countByRegion(
                        "SELECT \"region_code\", COUNT(*) AS n FROM \"cases\" WHERE \(closedIn) GROUP BY \"region_code\"",
                        on: sql), all)
                add(
                    try await Self.countByRegion(
                        """
                        SELECT "region_code", COUNT(*) AS n FROM "cases" WHERE \(closedIn) AND \(CaseOnTime.sqlExpression())
                        GROUP BY "region_code"
                        """, on: sql), onTime)
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
