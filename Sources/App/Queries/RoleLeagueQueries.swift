import CityDomain
import Fluent
import Foundation
import SQLKit

/// The league a district or street operator's city screen shows instead of the city's district league, which for
/// them is a single row (issue #12 §8): a district operator compares the district's streets and towns; a street
/// operator compares the units working in the street and sees the open cases on each grid worker.
enum RoleLeagueQueries {
    /// What the league's rows are.
    enum Level: String, Encodable {
        /// The streets and towns of a district operator's district (and a row for cases located only to it).
        case street
        /// The units holding cases of a street operator's street (and the street's own units with none).
        case unit
    }

    /// One grid worker's open cases in the operator's scope, and how many of them are overdue.
    struct Worker: Encodable, Equatable {
        var username: String
        var open = 0
        var overdue = 0
    }

    /// The league of one operator. Rows are ``CityScreenCounts/DistrictRow``s (the same columns and rates as the
    /// district league), most open cases first, then by code; `name` is left empty for the page to fill.
    struct League {
        var level: Level
        var rows: [CityScreenCounts.DistrictRow]
        /// Street level only: grid workers with open cases, most first (empty for a district).
        var workers: [Worker]
    }

    /// The league for the operator of `scope`, or nil when the operator's region is the whole city (the city
    /// screen's district league applies) or a grid cell.
    ///
    /// Counts come from `case_counters` (all cases ever, by region, unit and state, as the district league's), or
    /// within `window` (Asia/Shanghai days) from ``TrendQueries/byRegionAndUnit(_:from:to:scope:reference:on:)`` for
    /// the received, kept, closed and on-time counts, and from the open cases for the overdue ones (``CaseOverdue/sqlExpression(now:)``, judged at `now`); a caseworker's
    /// scope (``OperatorScope/onlyUnit``) counts only their unit's cases.
    /// - Throws: database errors.
    static func league(
        scope: OperatorScope, reference: CityReference, on db: any Database, now: Date,
        window: ReportingWindow? = nil
    ) async throws -> League? {
        let hierarchy = reference.hierarchy
        guard let region = hierarchy[scope.regionCode], region.level == .district || region.level == .street else {
            return nil
        }
        let level: Level = region.level == .district ? .street : .unit
        let codes = hierarchy.subtree(of: region.code)
        // The row a case counts on: its street (or the district itself) for a district; its unit for a street.
        func key(region caseRegion: String, unit: String) -> String {
            level == .unit ? unit : (hierarchy.ancestor(of: caseRegion, at: .street)?.code ?? region.code)
        }
        var rows: [String: CityScreenCounts.DistrictRow] = [:]
        if level == .street {
            for street in hierarchy.children(of: region.code) {
                rows[street.code] = CityScreenCounts.DistrictRow(code: street.code)
            }
        } else {
            for unit in reference.units.values
            where unit.regionCode == region.code && (scope.onlyUnit == nil || unit.code == scope.onlyUnit) {
                rows[unit.code] = CityScreenCounts.DistrictRow(code: unit.code)
            }
        }
        for tally in try await counters(regions: codes, unit: scope.onlyUnit, on: db) {
            let code = key(region: tally.region, unit: tally.unit)
            rows[code, default: CityScreenCounts.DistrictRow(code: code)].total += tally.count
            rows[code]?.firstDispatchOK += tally.firstOK
            if tally.state == CaseState.closed.rawValue {
                rows[code]?.closed += tally.count
                rows[code]?.onTime += tally.onTime
            } else {
                rows[code]?.open += tally.count
            }
        }
        for late in try await overdue(regions: codes, unit: scope.onlyUnit, on: db, now: now) {
            let code = key(region: late.region, unit: late.unit)
            rows[code, default: CityScreenCounts.DistrictRow(code: code)].overdue += late.count
        }
        for late in try await CityScreenQueries.overdueApplications(
            regions: codes, unit: scope.onlyUnit, on: db, now: now)
        {
            let code = key(region: late.region, unit: late.unit)
            rows[code, default: CityScreenCounts.DistrictRow(code: code)].overdueApplications += late.count
        }
        if let window {
            // Within a window (as the district league, ``TrendQueries``): received and kept, closed and on time are
            // those of the window; open and overdue stay those of now.
            for code in rows.keys {
                rows[code]?.total = 0
                rows[code]?.firstDispatchOK = 0
                rows[code]?.closed = 0
                rows[code]?.onTime = 0
            }
            let sql = try db.sql()
            for event in [TrendQueries.Event.received, .closed] {
                for (caseRegion, unit, tally) in try await TrendQueries.byRegionAndUnit(
                    event, from: window.start, to: window.end, scope: scope, reference: reference, on: sql)
                {
                    let code = key(region: caseRegion, unit: unit)
                    guard rows[code] != nil else { continue }
                    if event == .received {
                        rows[code]?.total += tally.count
                        rows[code]?.firstDispatchOK += tally.kept
                    } else {
                        rows[code]?.closed += tally.count
                        rows[code]?.onTime += tally.kept
                    }
                }
            }
        }
        let mostOpen = rows.values.map(\.open).max() ?? 0
        let mostOverdue = rows.values.map(\.overdue).max() ?? 0
        for code in rows.keys { rows[code]?.finish(measure: .open, mostOpen: mostOpen, mostOverdue: mostOverdue) }
        return League(
            level: level, rows: rows.values.sorted { ($0.open, $1.code) > ($1.open, $0.code) },
            workers: level == .unit ? try await workers(regions: codes, unit: scope.onlyUnit, on: db, now: now) : [])
    }

    /// One `case_counters` sum by region, unit and state.
    struct Counter: Decodable, Equatable {
        var region: String
        var unit: String
        var state: String
        var count: Int
        var onTime: Int
        var firstOK: Int

        enum CodingKeys: String, CodingKey {
            case region = "region_code", unit = "unit_code", state, count = "n", onTime = "on_time"
            case firstOK = "first_ok"
        }
    }

    /// Every case of `regions` (of `unit` only, if given) counted by region, unit and state.
    /// - Throws: database errors.
    static func counters(regions: [String], unit: String?, on db: any Database) async throws -> [Counter] {
        // PostgreSQL sums BIGINT columns to NUMERIC: cast back, so both databases answer integers.
        var query = try db.sql().select().column("region_code").column("unit_code").column("state")
            .column(SQLRaw(#"CAST(SUM("n") AS BIGINT)"#), as: "n")
            .column(SQLRaw(#"CAST(SUM("on_time") AS BIGINT)"#), as: "on_time")
            .column(SQLRaw(#"CAST(SUM("first_ok") AS BIGINT)"#), as: "first_ok")
            .from("case_counters").where("region_code", .in, regions)
        if let unit { query = query.where("unit_code", .equal, unit) }
        return try await query.groupBy("region_code").groupBy("unit_code").groupBy("state")
            .all(decoding: Counter.self).filter { $0.count != 0 }
    }

    /// The cases of `regions` (of `unit` only, if given) overdue at `now`, by region and unit.
    /// - Throws: database errors.
    static func overdue(
        regions: [String], unit: String?, on db: any Database, now: Date
    ) async throws -> [CityScreenCounts.ApplicationTally] {
        struct Row: Decodable {
            var region: String
            var unit: String
            var n: Int
            enum CodingKeys: String, CodingKey { case region = "region_code", unit = "unit_code", n }
        }
        var query = try db.sql().select().column("region_code").column("unit_code")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(Case.schema)
            .where(CaseOverdue.sqlExpression(now: now))
            .where(CaseQueries.unindexed("region_code", regions))
        if let unit { query = query.where(CaseQueries.unindexed("unit_code", [unit])) }
        return try await query.groupBy("region_code").groupBy("unit_code").all(decoding: Row.self).map {
            CityScreenCounts.ApplicationTally(region: $0.region, unit: $0.unit, count: $0.n)
        }
    }

    /// Open cases of `regions` (of `unit` only, if given) by assigned grid worker, with the overdue ones at `now`;
    /// most open first, then by name.
    /// - Throws: database errors.
    static func workers(
        regions: [String], unit: String?, on db: any Database, now: Date
    ) async throws -> [Worker] {
        struct Row: Decodable {
            var assignee: String
            var n: Int
        }
        func read(_ condition: any SQLExpression) async throws -> [Row] {
            var query = try db.sql().select().column("assignee")
                .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(Case.schema)
                .where(condition).where("assignee", .isNot, SQLLiteral.null)
                .where(CaseQueries.unindexed("region_code", regions))
            if let unit { query = query.where(CaseQueries.unindexed("unit_code", [unit])) }
            return try await query.groupBy("assignee").all(decoding: Row.self)
        }
        var workers: [String: Worker] = [:]
        for row in try await read(CaseOverdue.openExpression) {
            workers[row.assignee, default: Worker(username: row.assignee)].open += row.n
        }
        for row in try await read(CaseOverdue.sqlExpression(now: now)) {
            workers[row.assignee, default: Worker(username: row.assignee)].overdue += row.n
        }
        return workers.values.sorted { ($0.open, $1.username) > ($1.open, $0.username) }
    }
}
