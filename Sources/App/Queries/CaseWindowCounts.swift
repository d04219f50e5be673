import CityDomain
import Foundation
import SQLKit

/// Cases received or closed within a span of time, counted by day, region or region and unit (issue #17): the whole
/// Asia/Shanghai days inside the span from the daily rollups (``CaseDayCounts``, `case_day_counts`), the partial days
/// at its edges (a window "now − 30 days" starts and ends mid-day) from `cases` through the window's covering
/// indexes, bounded to those edges. A 30-day window so costs its days × regions × units plus at most two days of
/// cases, not its cases; the answer is the one a single read of `cases` over the span gives
/// (``casesQuery(_:in:by:regions:unit:on:)``, `CaseWindowCountsTests`).
///
/// The measures (``TrendQueries``): *received* counts `created_at` and, of those, the cases still with the unit first
/// dispatched to (``CaseFirstDispatch``); *closed* counts `closed_at` and, of those, the cases closed on time
/// (``CaseOnTime``). A case counts at its present region and unit.
enum CaseWindowCounts {
    /// A span of instants, each end included or not.
    struct Span: Equatable, Sendable {
        var from: Date
        var to: Date
        var fromIncluded: Bool
        var toIncluded: Bool

        /// [`from`, `to`): the console's windows and trend charts.
        static func halfOpen(_ from: Date, _ to: Date) -> Span {
            Span(from: from, to: to, fromIncluded: true, toIncluded: false)
        }

        /// (`after`, `through`]: the indicators' windows ending now.
        static func after(_ after: Date, through: Date) -> Span {
            Span(from: after, to: through, fromIncluded: false, toIncluded: true)
        }
    }

    /// What the counts are grouped by.
    enum Grouping: Sendable {
        /// The Asia/Shanghai day (days since 1970).
        case day
        /// The region code.
        case region
        /// The region code and the unit code.
        case regionAndUnit
    }

    /// One group: the fields its grouping names (the others 0 or empty).
    struct Key: Hashable, Sendable {
        var day = 0
        var region = ""
        var unit = ""
    }

    /// The whole days of `span` (days since 1970; nil: none) and the spans left at its edges (empty ones left out).
    static func split(_ span: Span) -> (days: ClosedRange<Int>?, edges: [Span]) {
        var first = CaseDayCounts.day(of: span.from)
        let firstStart = CaseDayCounts.start(of: first)
        if firstStart < span.from || (firstStart == span.from && !span.fromIncluded) { first += 1 }
        // The last day whose end (the next day's start, excluded from it) is at or before `to`.
        let last = CaseDayCounts.day(of: span.to) - 1
        guard first <= last else { return (nil, [span]) }
        var edges: [Span] = []
        let start = CaseDayCounts.start(of: first)
        let end = CaseDayCounts.start(of: last + 1)
        if span.from < start {
            edges.append(Span(from: span.from, to: start, fromIncluded: span.fromIncluded, toIncluded: false))
        }
        if end < span.to || (end == span.to && span.toIncluded) {
            edges.append(Span(from: end, to: span.to, fromIncluded: true, toIncluded: span.toIncluded))
        }
        return (first...last, edges)
    }

    /// Counts of `event` within `span` by `grouping`, of the cases of `regions` (nil: every region; empty: none) and
    /// of `unit` when given. Groups without cases are absent.
    /// - Throws: database errors.
    static func count(
        _ event: TrendQueries.Event, in span: Span, by grouping: Grouping, regions: [String]?, unit: String?,
        on sql: any SQLDatabase
    ) async throws -> [Key: TrendQueries.Tally] {
        if regions?.isEmpty == true { return [:] }
        let (days, edges) = split(span)
        var result: [Key: TrendQueries.Tally] = [:]
        func add(_ query: SQLQueryString) async throws {
            for (key, tally) in try await read(query, on: sql) { result[key, default: TrendQueries.Tally()] += tally }
        }
        if let days {
            try await add(rollupQuery(event, days: days, by: grouping, regions: regions, unit: unit))
        }
        for edge in edges {
            try await add(casesQuery(event, in: edge, by: grouping, regions: regions, unit: unit, on: sql))
        }
        return result.filter { $0.value.count != 0 }
    }

    /// Runs one of the reads below and answers its groups.
    static func read(_ query: SQLQueryString, on sql: any SQLDatabase) async throws -> [Key: TrendQueries.Tally] {
        struct Row: Decodable {
            var d: Int
            var r: String
            var u: String
            var n: Int
            var kept: Int?
        }
        var result: [Key: TrendQueries.Tally] = [:]
        for row in try await sql.raw(query).all(decoding: Row.self) {
            result[Key(day: row.d, region: row.r, unit: row.u), default: TrendQueries.Tally()] +=
                TrendQueries.Tally(count: row.n, kept: row.kept ?? 0)
        }
        return result
    }

    /// The rollups' sums over `days` (both included), grouped as asked. Internal for the query-plan test.
    static func rollupQuery(
        _ event: TrendQueries.Event, days: ClosedRange<Int>, by grouping: Grouping, regions: [String]?,
        unit: String?
    ) -> SQLQueryString {
        let (count, kept): (SQLQueryString, SQLQueryString) =
            event == .received ? (#""received""#, #""first_ok""#) : (#""closed""#, #""on_time""#)
        var conditions: [SQLQueryString] = [
            #""day" >= \#(bind: days.lowerBound)"#, #""day" <= \#(bind: days.upperBound)"#,
        ]
        if let regions {
            let codes = SQLGroupExpression(regions.map { SQLBind($0) as any SQLExpression })
            conditions.append(#""region_code" IN \#(codes)"#)
        }
        if let unit { conditions.append(#""unit_code" = \#(bind: unit)"#) }
        let keys = columns(grouping, day: #""day""#, region: #""region_code""#, unit: #""unit_code""#)
        // PostgreSQL sums BIGINT columns to NUMERIC: cast back, so both databases answer integers.
        return """
            SELECT \(keys.select), CAST(SUM(\(count)) AS BIGINT) AS "n", CAST(SUM(\(kept)) AS BIGINT) AS "kept"
            FROM "case_day_counts" WHERE \(conditions.joined(separator: " AND ")) GROUP BY \(keys.group)
            """
    }

    /// The same counts read from `cases` over `span` (through `cases_created_window_idx` or
    /// `cases_closed_window_idx`; region and unit spelled so that no index of theirs serves them): the edges of a
    /// window, and the reference the rollups must agree with. Internal for the query-plan and agreement tests.
    static func casesQuery(
        _ event: TrendQueries.Event, in span: Span, by grouping: Grouping, regions: [String]?, unit: String?,
        on sql: any SQLDatabase
    ) -> SQLQueryString {
        let kept: any SQLExpression = event == .closed ? CaseOnTime.sqlExpression() : CaseFirstDispatch.sqlExpression()
        let column: SQLQueryString = #""cases"."\#(unsafeRaw: event.column)""#
        let lower: SQLQueryString = span.fromIncluded ? ">=" : ">"
        let upper: SQLQueryString = span.toIncluded ? "<=" : "<"
        var conditions: [SQLQueryString] = [
            "\(column) \(lower) \(bind: span.from)", "\(column) \(upper) \(bind: span.to)",
        ]
        if let regions {
            // PostgreSQL refuses an empty `IN ()`: no region left is no case.
            conditions.append(regions.isEmpty ? "1 = 0" : "\(CaseQueries.unindexed("region_code", regions))")
        }
        if let unit { conditions.append("\(CaseQueries.unindexed("unit_code", [unit]))") }
        let keys = columns(
            grouping, day: TrendQueries.dayBucket(event.column, on: sql), region: #""cases"."region_code""#,
            unit: #""cases"."unit_code""#)
        return """
            SELECT \(keys.select), COUNT(*) AS "n", SUM(CASE WHEN \(kept) THEN 1 ELSE 0 END) AS "kept"
            FROM "cases" WHERE \(conditions.joined(separator: " AND ")) GROUP BY \(keys.group)
            """
    }

    /// The key columns of `grouping` as `"d"`, `"r"`, `"u"` (constants for those it does not group by).
    private static func columns(
        _ grouping: Grouping, day: SQLQueryString, region: SQLQueryString, unit: SQLQueryString
    ) -> (select: SQLQueryString, group: SQLQueryString) {
        switch grouping {
        case .day: return (#"\#(day) AS "d", '' AS "r", '' AS "u""#, day)
        case .region: return (#"0 AS "d", \#(region) AS "r", '' AS "u""#, region)
        case .regionAndUnit: return (#"0 AS "d", \#(region) AS "r", \#(unit) AS "u""#, "\(region), \(unit)")
        }
    }
}
