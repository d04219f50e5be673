import CityDomain
import Fluent
import Foundation
import SQLKit

/// The city screen's reads (`GET /console`, `GET /console/summary`): counts by region and state, the district
/// league, map markers and the newest audit-trail steps, all within an operator's scope.
enum CityScreenQueries {
    /// The counts of the screen for the operator of `scope`.
    ///
    /// The state counts, the overdue total and the overdue applications by department follow the chosen district;
    /// the league keeps every district's real numbers (those the scope reaches) to compare.
    /// - Parameters:
    ///   - district: a district code to narrow the counts to; ignored when it is not a district inside `scope`.
    ///   - measure: what the map's shade shows.
    ///   - now: the instant overdue is judged at.
    /// - Throws: database errors.
    static func counts(
        scope: OperatorScope, district code: String?, measure: CityScreenCounts.MapMeasure,
        reference: CityReference, on db: any Database, now: Date
    ) async throws -> CityScreenCounts {
        let hierarchy = reference.hierarchy
        var district = code.flatMap { hierarchy[$0] }
        if let chosen = district,
            chosen.level != .district || !hierarchy.isWithin(chosen.code, ancestor: scope.regionCode)
        {
            district = nil
        }
        let root = district?.code ?? scope.regionCode
        let inScope = root == hierarchy.root.code ? nil : Set(hierarchy.subtree(of: root))

        var rows: [String: CityScreenCounts.DistrictRow] = [:]
        for region in hierarchy.children(of: hierarchy.root.code)
        where hierarchy.isWithin(region.code, ancestor: scope.regionCode)
            || hierarchy.isWithin(scope.regionCode, ancestor: region.code)
        {
            rows[region.code] = CityScreenCounts.DistrictRow(code: region.code, selected: region.code == district?.code)
        }
        // The map's district: the chosen one, or the one a district or street operator works in.
        let focus = district ?? hierarchy.ancestor(of: scope.regionCode, at: .district)
        var streets: [String: CityScreenCounts.StreetRow] = [:]
        for street in focus.map({ hierarchy.children(of: $0.code) }) ?? []
        where hierarchy.isWithin(street.code, ancestor: scope.regionCode) {
            streets[street.code] = CityScreenCounts.StreetRow(code: street.code)
        }
        var states: [String: Int] = [:]
        var overdue = 0
        for row in try await tally(unit: scope.onlyUnit, on: db, now: now) {
            if !hierarchy.isWithin(row.region, ancestor: scope.regionCode) { continue }
            if let focus, row.state != CaseState.closed.rawValue, hierarchy.isWithin(row.region, ancestor: focus.code) {
                // A case located only to the district counts on the district's own row.
                let code = hierarchy.ancestor(of: row.region, at: .street)?.code ?? focus.code
                streets[code, default: CityScreenCounts.StreetRow(code: code)].open += row.count
                streets[code, default: CityScreenCounts.StreetRow(code: code)].overdue += row.overdue
            }
            // The counts follow the chosen district; the league keeps every district's real numbers to compare.
            if inScope?.contains(row.region) ?? true {
                states[row.state, default: 0] += row.count
                overdue += row.overdue
            }
            guard let code = hierarchy.ancestor(of: row.region, at: .district)?.code, rows[code] != nil else {
                continue
            }
            rows[code]?.total += row.count
            rows[code]?.overdue += row.overdue
            rows[code]?.firstDispatchOK += row.firstOK
            if row.state == CaseState.closed.rawValue {
                rows[code]?.closed += row.count
                rows[code]?.onTime += row.onTime
            } else {
                rows[code]?.open += row.count
            }
        }
        var overdueApplications: [String: Int] = [:]
        for row in try await Self.overdueApplications(
            regions: scope.regionCodes(in: hierarchy), unit: scope.onlyUnit, on: db, now: now)
        {
            if !hierarchy.isWithin(row.region, ancestor: scope.regionCode) { continue }
            if inScope?.contains(row.region) ?? true { overdueApplications[row.unit, default: 0] += row.count }
            guard let code = hierarchy.ancestor(of: row.region, at: .district)?.code, rows[code] != nil else {
                continue
            }
            rows[code]?.overdueApplications += row.count
        }
        let mostOpen = rows.values.map(\.open).max() ?? 0
        let mostOverdue = rows.values.map(\.overdue).max() ?? 0
        for code in rows.keys { rows[code]?.finish(measure: measure, mostOpen: mostOpen, mostOverdue: mostOverdue) }
        return CityScreenCounts(
            district: district, focus: focus,
            streets: streets.values.sorted {
                ($0.code == focus?.code ? 1 : 0, $0.code) < ($1.code == focus?.code ? 1 : 0, $1.code)
            },
            measure: measure, inScope: inScope,
            districts: rows.values.sorted { ($0.open, $1.code) > ($1.open, $0.code) }, states: states,
            overdueTotal: overdue, overdueApplications: overdueApplications)
    }

    /// Cases by region and state with their overdue (``CaseOverdue/sqlExpression(now:)``), on-time-closed (closed
    /// with no overall limit or by it) and first-dispatch-kept counts, over the whole city: the counts from
    /// ``CaseCounters`` (a few thousand rows, however long the history), the overdue ones judged at `now` over the
    /// open cases only (the partial index `cases_open_idx`).
    /// - Parameters: `unit`, a unit to count only the cases of (a caseworker's or grid worker's); `now`, the
    ///   instant overdue is judged at.
    /// - Throws: database errors.
    static func tally(unit: String?, on db: any Database, now: Date) async throws -> [CityScreenCounts.Tally] {
        struct Row: Decodable {
            var regionCode: String
            var state: String
            var n: Int
            var onTime: Int?
            var firstOK: Int?
            enum CodingKeys: String, CodingKey {
                case regionCode = "region_code", state, n, onTime = "on_time", firstOK = "first_ok"
            }
        }
        let sql = try db.sql()
        // PostgreSQL sums BIGINT columns to NUMERIC: cast back, so both databases answer integers.
        let unitFilter: SQLQueryString = unit.map { "WHERE \"unit_code\" = \(bind: $0)" } ?? ""
        let counted = try await sql.raw(
            """
            SELECT "region_code", "state", CAST(SUM("n") AS BIGINT) AS n, CAST(SUM("on_time") AS BIGINT) AS on_time,
              CAST(SUM("first_ok") AS BIGINT) AS first_ok
            FROM "case_counters" \(unitFilter) GROUP BY "region_code", "state"
            """
        ).all(decoding: Row.self)
        let unitAnd: SQLQueryString = unit.map { "\(CaseQueries.unindexed("unit_code", [$0])) AND " } ?? ""
        let overdue = try await sql.raw(
            """
            SELECT "region_code", "state", COUNT(*) AS n FROM "cases"
            WHERE \(unitAnd)\(CaseOverdue.sqlExpression(now: now)) GROUP BY "region_code", "state"
            """
        ).all(decoding: Row.self)
        var overdueByKey: [String: Int] = [:]
        for row in overdue { overdueByKey[row.regionCode + " " + row.state, default: 0] += row.n }
        return counted.filter { $0.n != 0 }.map {
            CityScreenCounts.Tally(
                region: $0.regionCode, state: $0.state, count: $0.n,
                overdue: overdueByKey[$0.regionCode + " " + $0.state] ?? 0, onTime: $0.onTime ?? 0,
                firstOK: $0.firstOK ?? 0)
        }
    }

    /// The open cases with a stored point (latitude and longitude) that `scope` may see, counted per map cell and
    /// region in the database, for the map's dots and clusters. Cases located only to a region (12345 calls,
    /// located by the places their text names, carry no point) are not counted: they count in their street's and
    /// district's numbers only, never as an invented dot.
    ///
    /// One aggregate over the partial index of open cases (`cases_open_idx`): it visits each open located case in
    /// scope once (no closed history) and answers one row per occupied cell of `grid` (the first grid of the map's
    /// clustering, ``CityDomain/MapProjection/grid(side:)``) and region — thousands of rows, not the cases — so the
    /// app decodes no case and every open located case is counted (none left out).
    /// - Parameters: `regions`, the region codes to show (``CityScreenCounts/inScope``; nil: all of `scope`);
    ///   `grid`, the cells in WGS84 degrees; `now`, the instant overdue is judged at (``CaseOverdue``).
    /// - Returns: one marker per occupied cell and region, in no particular order.
    /// - Throws: database errors.
    static func markers(
        scope: OperatorScope, regions: Set<String>?, grid: MapGrid, reference: CityReference, on db: any Database,
        now: Date
    ) async throws -> [CityScreenMarker] {
        let sql = try db.sql()
        let select = markerCells(
            scope: scope, regions: regions, grid: grid, reference: reference, now: now,
            dialect: LiteralRows.Dialect(sql))
        return try await sql.raw("\(select)").all(decoding: CityScreenMarker.Row.self).map(CityScreenMarker.init)
    }

    /// The aggregate of ``markers(scope:regions:grid:reference:on:now:)``: `SELECT region_code, cell_row,
    /// cell_column, count(*), the overdue among them, avg(latitude), avg(longitude), min(id), min(category_code)
    /// FROM cases WHERE open AND latitude and longitude are stored (AND the scope's regions and unit) GROUP BY
    /// region_code, cell_row, cell_column`. The cell is ⌊(longitude − west) / step⌋ and ⌊(north − latitude) /
    /// step⌋ (``LiteralRows/Dialect/floor(_:)``).
    static func markerCells(
        scope: OperatorScope, regions: Set<String>?, grid: MapGrid, reference: CityReference, now: Date,
        dialect: LiteralRows.Dialect
    ) -> SQLSelect {
        func cell(_ offset: SQLQueryString) -> any SQLExpression { dialect.floor(offset) }
        var select = SQLSelect()
        let table = SQLIdentifier(Case.schema)
        select.tables = [table]
        let column = { (name: String) in SQLColumn(name, table: Case.schema) }
        select.columns = [
            column("region_code"),
            SQLAlias(
                cell("(\(bind: grid.northLatitude) - \(column("latitude"))) / \(bind: grid.latitudeStep)"),
                as: "cell_row"),
            SQLAlias(
                cell("(\(column("longitude")) - \(bind: grid.westLongitude)) / \(bind: grid.longitudeStep)"),
                as: "cell_column"),
            SQLAlias(SQLQueryString("count(*)"), as: "n"),
            SQLAlias(
                SQLQueryString("sum(CASE WHEN \(CaseOverdue.sqlExpression(now: now)) THEN 1 ELSE 0 END)"),
                as: "overdue"),
            SQLAlias(SQLFunction("avg", args: column("latitude")), as: "latitude"),
            SQLAlias(SQLFunction("avg", args: column("longitude")), as: "longitude"),
            SQLAlias(SQLFunction("min", args: column("id")), as: "first_id"),
            SQLAlias(SQLFunction("min", args: column("category_code")), as: "category_code"),
        ]
        // The open condition spelled as a literal, so that the partial index over open cases serves it.
        var conditions: [any SQLExpression] = [
            CaseOverdue.openExpression, SQLBinaryExpression(column("latitude"), .isNot, SQLLiteral.null),
            SQLBinaryExpression(column("longitude"), .isNot, SQLLiteral.null),
        ]
        if let codes = regions.map(Array.init) ?? scope.regionCodes(in: reference.hierarchy) {
            conditions.append(CaseQueries.unindexed("region_code", codes))
        }
        if let unit = scope.onlyUnit { conditions.append(CaseQueries.unindexed("unit_code", [unit])) }
        select.predicate = conditions.dropFirst().reduce(conditions[0]) { SQLBinaryExpression($0, .and, $1) }
        select.groupBy = [SQLIdentifier("region_code"), SQLIdentifier("cell_row"), SQLIdentifier("cell_column")]
        return select
    }

    /// Steps the feed leaves out: intake's accept and register come with its dispatch in the same instant.
    static let quietActions: Set<CaseEventAction> = [.accept, .workflow(.register), .forward]

    /// The newest 20 audit-trail steps `scope` may see (less ``quietActions``), newest first. Scope is applied in
    /// the query, so a district's feed is full even when the rest of the city is busier.
    /// - Parameter regions: the region codes to show (``CityScreenCounts/inScope``; nil: all of `scope`).
    /// - Throws: database errors.
    static func recentEvents(
        scope: OperatorScope, regions: Set<String>?, reference: CityReference, on db: any Database
    ) async throws -> [CaseEvent] {
        let query = CaseEvent.query(on: db).join(Case.self, on: \CaseEvent.$caseID == \Case.$id)
            .filter(\CaseEvent.$action !~ Array(quietActions))
        if let codes = regions.map(Array.init) ?? scope.regionCodes(in: reference.hierarchy) {
            // Spelled so that no index on the region serves it: a district holds a sixteenth of a long history,
            // and starting there reads every event of its cases; from the newest events down, a few hundred do.
            query.filter(.sql(CaseQueries.unindexed("region_code", codes)))
        }
        if let unit = scope.onlyUnit { query.filter(Case.self, \.$unitCode == unit) }
        return try await query.sort(\CaseEvent.$id, .descending).limit(20).all()
    }
}
