import CityDomain
import Fluent
import SQLKit
import Vapor

/// `GET /console` — the city screen (一屏观全城): the district map coloured by open cases, counts by state, the
/// district league (on-time closure, first-dispatch accuracy), vital-sign tiles and the live feed, all within the
/// operator's scope and narrowed to one district with `?district=CODE`.
struct CityScreenController {
    struct DistrictRow: Encodable {
        var code: String
        var name: String
        var open = 0
        var overdue = 0
        var closed = 0
        var onTime = 0
        var firstDispatchOK = 0
        var total = 0
        var onTimeRate: String { closed == 0 ? "—" : String(format: "%.0f%%", Double(onTime) * 100 / Double(closed)) }
        var firstDispatchRate: String {
            total == 0 ? "—" : String(format: "%.0f%%", Double(firstDispatchOK) * 100 / Double(total))
        }
        /// 0…4: how dark the district is drawn.
        var shade = 0
        var selected = false

        enum CodingKeys: String, CodingKey {
            case code, name, open, overdue, closed, onTimeRate, firstDispatchRate, shade, selected, total
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(code, forKey: .code)
            try c.encode(name, forKey: .name)
            try c.encode(open, forKey: .open)
            try c.encode(overdue, forKey: .overdue)
            try c.encode(closed, forKey: .closed)
            try c.encode(total, forKey: .total)
            try c.encode(onTimeRate, forKey: .onTimeRate)
            try c.encode(firstDispatchRate, forKey: .firstDispatchRate)
            try c.encode(shade, forKey: .shade)
            try c.encode(selected, forKey: .selected)
        }
    }

    struct Marker: Encodable {
        var caseID: Int
        var x: Int
        var y: Int
        var overdue: Bool
        var title: String
    }

    struct StateCount: Encodable {
        var state: String
        var name: String
        var count: Int
    }

    struct Page: Encodable {
        var page: ConsolePage
        var map: DistrictMap
        var districts: [DistrictRow]
        var states: [StateCount]
        var openTotal: Int
        var overdueTotal: Int
        var markers: [Marker]
        var feed: [LiveEvent]
        var district: String?
        var districtName: String?
    }

    @Sendable func show(req: Request) async throws -> View {
        try await req.view.render("console/city", try await model(req))
    }

    /// The counts of the screen as JSON (`GET /console/summary`), which the page fetches after live events so its
    /// numbers and shading stay those of the database.
    struct Summary: Content {
        var openTotal: Int
        var overdueTotal: Int
        var states: [String: Int]
        var districts: [String: [String: Int]]
    }

    @Sendable func summary(req: Request) async throws -> Summary {
        let page = try await model(req, withFeed: false)
        return Summary(
            openTotal: page.openTotal, overdueTotal: page.overdueTotal,
            states: Dictionary(uniqueKeysWithValues: page.states.map { ($0.state, $0.count) }),
            districts: Dictionary(uniqueKeysWithValues: page.districts.map {
                ($0.code, ["open": $0.open, "overdue": $0.overdue, "shade": $0.shade])
            }))
    }

    private func model(_ req: Request, withFeed: Bool = true) async throws -> Page {
        let user = try req.auth.require(ConsoleUser.self)
        let scope = user.scope
        let reference = req.reference
        let hierarchy = reference.hierarchy
        var district = req.query[String.self, at: "district"].flatMap { hierarchy[$0] }
        if let chosen = district, chosen.level != .district || !hierarchy.isWithin(chosen.code, ancestor: scope.regionCode) {
            district = nil
        }
        let root = district?.code ?? scope.regionCode
        let inScope = root == hierarchy.root.code ? nil : Set(hierarchy.subtree(of: root))
        let unitOnly = scope.onlyUnit

        var rows: [String: DistrictRow] = [:]
        for region in hierarchy.children(of: hierarchy.root.code) where hierarchy.isWithin(region.code, ancestor: scope.regionCode) || hierarchy.isWithin(scope.regionCode, ancestor: region.code) {
            rows[region.code] = DistrictRow(code: region.code, name: region.nameZh, selected: region.code == district?.code)
        }
        var states: [String: Int] = [:]
        var overdue = 0
        for row in try await Self.tally(req.db, now: req.now, unit: unitOnly) {
            if let inScope, !inScope.contains(row.region) { continue }
            if !hierarchy.isWithin(row.region, ancestor: scope.regionCode) { continue }
            states[row.state, default: 0] += row.count
            overdue += row.overdue
            guard let code = hierarchy.ancestor(of: row.region, at: .district)?.code, rows[code] != nil else { continue }
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
        let most = max(rows.values.map(\.open).max() ?? 0, 1)
        for code in rows.keys {
            let open = rows[code]?.open ?? 0
            rows[code]?.shade = open == 0 ? 0 : 1 + min(3, open * 3 / most)
        }
        let map = DistrictMap(boundaries: reference.boundaries, hierarchy: hierarchy)
        let markers = withFeed ? try await Self.markers(req, map: map, inScope: inScope, scope: scope, unit: unitOnly) : []
        let feed = withFeed ? try await Self.recentFeed(req, scope: scope, inScope: inScope, unit: unitOnly) : []
        return Page(
            page: ConsolePage(req, title: "city_screen", active: "city"), map: map,
            districts: rows.values.sorted { ($0.open, $1.code) > ($1.open, $0.code) },
            states: CaseState.allCases.map { StateCount(state: $0.rawValue, name: $0.nameZh, count: states[$0.rawValue] ?? 0) },
            openTotal: states.filter { $0.key != CaseState.closed.rawValue }.values.reduce(0, +),
            overdueTotal: overdue, markers: markers, feed: feed,
            district: district?.code, districtName: district?.nameZh)
    }

    struct Tally {
        var region: String
        var state: String
        var count: Int
        var overdue: Int
        var onTime: Int
        var firstOK: Int
    }

    /// Cases by region and state with their overdue, on-time-closed and first-dispatch-kept counts (one query).
    static func tally(_ db: any Database, now: Date, unit: String?) async throws -> [Tally] {
        struct Row: Decodable {
            var region_code: String
            var state: String
            var n: Int
            var overdue: Int?
            var on_time: Int?
            var first_ok: Int?
        }
        let sql = try db.sql()
        let unitFilter: SQLQueryString = unit.map { "WHERE \"unit_code\" = \(bind: $0)" } ?? ""
        let rows = try await sql.raw("""
            SELECT "region_code", "state", COUNT(*) AS n,
              SUM(CASE WHEN "state" <> 'closed' AND "suspended_since" IS NULL AND (("step_due_at" IS NOT NULL AND "step_due_at" < \(bind: now)) OR ("due_at" IS NOT NULL AND "due_at" < \(bind: now))) THEN 1 ELSE 0 END) AS overdue,
              SUM(CASE WHEN "state" = 'closed' AND ("due_at" IS NULL OR "closed_at" <= "due_at") THEN 1 ELSE 0 END) AS on_time,
              SUM(CASE WHEN "unit_code" = "first_unit_code" THEN 1 ELSE 0 END) AS first_ok
            FROM "cases" \(unitFilter) GROUP BY "region_code", "state"
            """).all(decoding: Row.self)
        return rows.map {
            Tally(region: $0.region_code, state: $0.state, count: $0.n, overdue: $0.overdue ?? 0, onTime: $0.on_time ?? 0,
                  firstOK: $0.first_ok ?? 0)
        }
    }

    static func markers(
        _ req: Request, map: DistrictMap, inScope: Set<String>?, scope: OperatorScope, unit: String?
    ) async throws -> [Marker] {
        let query = Case.query(on: req.db).filter(\.$state != CaseState.closed.rawValue).filter(\.$latitude != nil)
        if let codes = inScope.map(Array.init) ?? scope.regionCodes(in: req.reference.hierarchy) { query.filter(\.$regionCode ~~ codes) }
        if let unit { query.filter(\.$unitCode == unit) }
        let now = req.now
        return try await query.sort(\.$id, .descending).limit(300).all().compactMap { record in
            guard let id = record.id, let lat = record.latitude, let lon = record.longitude else { return nil }
            let (x, y) = map.project(latitude: lat, longitude: lon)
            return Marker(caseID: id, x: Int(x), y: Int(y), overdue: CaseDTOs.isOverdue(record, now: now),
                          title: req.reference.taxonomy[record.categoryCode]?.nameZh ?? record.categoryCode)
        }
    }

    /// Steps the feed leaves out: intake's accept and register come with its dispatch in the same instant.
    static let quietActions: Set<String> = ["accept", "register"]

    /// The newest audit-trail steps the operator may see, newest first (scope applied in the query, so a district's
    /// feed is full even when the rest of the city is busier).
    static func recentFeed(_ req: Request, scope: OperatorScope, inScope: Set<String>?, unit: String?) async throws -> [LiveEvent] {
        let query = CaseEvent.query(on: req.db).join(Case.self, on: \CaseEvent.$caseID == \Case.$id)
            .filter(\CaseEvent.$action !~ Array(quietActions))
        if let codes = inScope.map(Array.init) ?? scope.regionCodes(in: req.reference.hierarchy) {
            query.filter(Case.self, \.$regionCode ~~ codes)
        }
        if let unit { query.filter(Case.self, \.$unitCode == unit) }
        let rows = try await query.sort(\CaseEvent.$id, .descending).limit(20).all()
        return try await LiveFeed.describe(rows, app: req.application)
    }
}
