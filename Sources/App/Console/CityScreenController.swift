import CityDomain
import Fluent
import SQLKit
import Vapor

/// `GET /console` — the city screen (一屏观全城): the district map coloured by a chosen measure (`?colour=`), counts
/// by state, the district league (on-time closure, first-dispatch accuracy), vital-sign tiles and the live feed, all
/// within the operator's scope and narrowed to one district with `?district=CODE`.
struct CityScreenController {
    /// What the map's colour shows: open cases (the default), overdue cases, on-time closure rate (按期结案率) or
    /// first-dispatch accuracy (一次派遣准确率), the evaluation measures of CJ/T 315-2009 (DESIGN.md §4).
    enum MapMeasure: String, CaseIterable, Encodable {
        case open, overdue
        case onTime = "on_time"
        case firstDispatch = "first_dispatch"

        /// The measure asked for with `?colour=`, or `open` when none or an unknown one is asked for.
        static func of(_ req: Request) -> MapMeasure {
            req.query[String.self, at: "colour"].flatMap(MapMeasure.init(rawValue:)) ?? .open
        }
    }

    struct DistrictRow: Encodable {
        var code: String
        var name: String
        var open = 0
        var overdue = 0
        var closed = 0
        var onTime = 0
        var firstDispatchOK = 0
        var total = 0
        /// Closed on time / closed, and kept by the first unit / all, as percentages ("—" with nothing to count).
        var onTimeRate = "—"
        var firstDispatchRate = "—"
        /// 0…4: how dark the district is drawn (0: nothing to show; 4: the most trouble).
        var shade = 0
        var selected = false

        /// Sets the rates and the shade once the counts are in.
        /// - Parameters:
        ///   - measure: what the shade shows.
        ///   - mostOpen, mostOverdue: the largest open and overdue counts on the screen (counts shade relative to
        ///     the worst district: 1 + 3 × count / most).
        mutating func finish(measure: MapMeasure, mostOpen: Int, mostOverdue: Int) {
            func percent(_ part: Int, _ whole: Int) -> String {
                whole == 0 ? "—" : String(format: "%.0f%%", Double(part) * 100 / Double(whole))
            }
            onTimeRate = percent(onTime, closed)
            firstDispatchRate = percent(firstDispatchOK, total)
            switch measure {
            case .open: shade = Self.countShade(open, most: mostOpen)
            case .overdue: shade = Self.countShade(overdue, most: mostOverdue)
            case .onTime: shade = Self.rateShade(onTime, of: closed)
            case .firstDispatch: shade = Self.rateShade(firstDispatchOK, of: total)
            }
        }

        static func countShade(_ count: Int, most: Int) -> Int { count == 0 ? 0 : 1 + min(3, count * 3 / max(most, 1)) }

        /// A rate drawn darker the lower it is, in bands chosen for the screen (not from a standard): ≥ 95 % → 1,
        /// ≥ 85 % → 2, ≥ 70 % → 3, below → 4; nothing to count → 0.
        static func rateShade(_ part: Int, of whole: Int) -> Int {
            guard whole > 0 else { return 0 }
            let rate = Double(part) / Double(whole)
            return rate >= 0.95 ? 1 : rate >= 0.85 ? 2 : rate >= 0.7 ? 3 : 4
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
        var colour: MapMeasure
        /// `&colour=…` for links that keep the chosen colour ("" for the default).
        var colourQuery: String
        var legend: String
        var measures: [[String: String]]
    }

    @Sendable func show(req: Request) async throws -> View {
        let scope = try req.auth.require(ConsoleUser.self).scope
        let counts = try await Self.counts(req, scope: scope)
        let language = ConsoleText.language(req)
        let words = ConsoleText.table(language)
        let map = DistrictMap(
            boundaries: req.reference.boundaries, hierarchy: req.reference.hierarchy, language: language)
        let colour = counts.measure
        let district = counts.district.map { "district=\($0.code)&" } ?? ""
        let measures = MapMeasure.allCases.map { measure in
            [
                "code": measure.rawValue, "name": words["colour_\(measure.rawValue)"] ?? measure.rawValue,
                "url": "/console?\(district)colour=\(measure.rawValue)", "active": measure == colour ? "1" : "",
            ]
        }
        let page = Page(
            page: ConsolePage(req, title: "city_screen", active: "city"), map: map, districts: counts.districts,
            states: CaseState.allCases.map {
                StateCount(state: $0.rawValue, name: $0.name(in: language), count: counts.states[$0.rawValue] ?? 0)
            },
            openTotal: counts.openTotal, overdueTotal: counts.overdueTotal,
            markers: try await Self.markers(req, map: map, inScope: counts.inScope, scope: scope, unit: scope.onlyUnit),
            feed: try await Self.recentFeed(req, scope: scope, inScope: counts.inScope, unit: scope.onlyUnit),
            district: counts.district?.code,
            districtName: counts.district.map { req.reference.regionName($0.code, in: language) },
            colour: colour, colourQuery: colour == .open ? "" : "&colour=\(colour.rawValue)",
            legend: words["legend_\(colour.rawValue)"] ?? "", measures: measures)
        return try await req.view.render("console/city", page)
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
        let counts = try await Self.counts(req, scope: try req.auth.require(ConsoleUser.self).scope)
        return Summary(
            openTotal: counts.openTotal, overdueTotal: counts.overdueTotal, states: counts.states,
            districts: Dictionary(
                uniqueKeysWithValues: counts.districts.map {
                    ($0.code, ["open": $0.open, "overdue": $0.overdue, "shade": $0.shade])
                }))
    }

    /// What the screen counts, within the operator's scope and the chosen district (`?district=`, ignored when it
    /// is not a district inside the scope).
    struct Counts {
        var district: Region?
        var measure: MapMeasure
        /// Region codes counted; nil for the whole city.
        var inScope: Set<String>?
        /// The league, most open cases first.
        var districts: [DistrictRow]
        /// Cases by state code.
        var states: [String: Int]
        var overdueTotal: Int
        var openTotal: Int { states.filter { $0.key != CaseState.closed.rawValue }.values.reduce(0, +) }
    }

    static func counts(_ req: Request, scope: OperatorScope) async throws -> Counts {
        let hierarchy = req.reference.hierarchy
        var district = req.query[String.self, at: "district"].flatMap { hierarchy[$0] }
        if let chosen = district,
            chosen.level != .district || !hierarchy.isWithin(chosen.code, ancestor: scope.regionCode)
        {
            district = nil
        }
        let root = district?.code ?? scope.regionCode
        let inScope = root == hierarchy.root.code ? nil : Set(hierarchy.subtree(of: root))

        var rows: [String: DistrictRow] = [:]
        let language = ConsoleText.language(req)
        for region in hierarchy.children(of: hierarchy.root.code)
        where hierarchy.isWithin(region.code, ancestor: scope.regionCode)
            || hierarchy.isWithin(scope.regionCode, ancestor: region.code)
        {
            // English names are long ("Pudong New Area"): the league uses the map's short ones there.
            rows[region.code] = DistrictRow(
                code: region.code,
                name: language == .zh ? region.nameZh : DistrictMap.label(region, language),
                selected: region.code == district?.code)
        }
        var states: [String: Int] = [:]
        var overdue = 0
        for row in try await tally(req.db, now: req.now, unit: scope.onlyUnit) {
            if !hierarchy.isWithin(row.region, ancestor: scope.regionCode) { continue }
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
        let measure = MapMeasure.of(req)
        let mostOpen = rows.values.map(\.open).max() ?? 0
        let mostOverdue = rows.values.map(\.overdue).max() ?? 0
        for code in rows.keys { rows[code]?.finish(measure: measure, mostOpen: mostOpen, mostOverdue: mostOverdue) }
        return Counts(
            district: district, measure: measure, inScope: inScope,
            districts: rows.values.sorted { ($0.open, $1.code) > ($1.open, $0.code) }, states: states,
            overdueTotal: overdue)
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
            var regionCode: String
            var state: String
            var n: Int
            var overdue: Int?
            var onTime: Int?
            var firstOK: Int?
            enum CodingKeys: String, CodingKey {
                case regionCode = "region_code", state, n, overdue, onTime = "on_time", firstOK = "first_ok"
            }
        }
        let sql = try db.sql()
        let unitFilter: SQLQueryString = unit.map { "WHERE \"unit_code\" = \(bind: $0)" } ?? ""
        let rows = try await sql.raw(
            """
            SELECT "region_code", "state", COUNT(*) AS n,
              SUM(CASE WHEN "state" <> 'closed' AND "suspended_since" IS NULL AND (("step_due_at" IS NOT NULL AND "step_due_at" < \(bind: now)) OR ("due_at" IS NOT NULL AND "due_at" < \(bind: now))) THEN 1 ELSE 0 END) AS overdue,
              SUM(CASE WHEN "state" = 'closed' AND ("due_at" IS NULL OR "closed_at" <= "due_at") THEN 1 ELSE 0 END) AS on_time,
              SUM(CASE WHEN "unit_code" = "first_unit_code" THEN 1 ELSE 0 END) AS first_ok
            FROM "cases" \(unitFilter) GROUP BY "region_code", "state"
            """
        ).all(decoding: Row.self)
        return rows.map {
            Tally(
                region: $0.regionCode, state: $0.state, count: $0.n, overdue: $0.overdue ?? 0, onTime: $0.onTime ?? 0,
                firstOK: $0.firstOK ?? 0)
        }
    }

    static func markers(
        _ req: Request, map: DistrictMap, inScope: Set<String>?, scope: OperatorScope, unit: String?
    ) async throws -> [Marker] {
        let query = Case.query(on: req.db).filter(\.$state != .closed).filter(\.$latitude != nil)
        if let codes = inScope.map(Array.init) ?? scope.regionCodes(in: req.reference.hierarchy) {
            query.filter(\.$regionCode ~~ codes)
        }
        if let unit { query.filter(\.$unitCode == unit) }
        let now = req.now
        let language = ConsoleText.language(req)
        return try await query.sort(\.$id, .descending).limit(300).all().compactMap { record in
            guard let id = record.id, let lat = record.latitude, let lon = record.longitude else { return nil }
            let (x, y) = map.project(latitude: lat, longitude: lon)
            return Marker(
                caseID: id, x: Int(x), y: Int(y), overdue: CaseDTOs.isOverdue(record, now: now),
                title: req.reference.categoryName(record.categoryCode, in: language))
        }
    }

    /// Steps the feed leaves out: intake's accept and register come with its dispatch in the same instant.
    static let quietActions: Set<CaseEventAction> = [.accept, .workflow(.register)]

    /// The newest audit-trail steps the operator may see, newest first (scope applied in the query, so a district's
    /// feed is full even when the rest of the city is busier).
    static func recentFeed(_ req: Request, scope: OperatorScope, inScope: Set<String>?, unit: String?) async throws
        -> [LiveEvent]
    {
        let query = CaseEvent.query(on: req.db).join(Case.self, on: \CaseEvent.$caseID == \Case.$id)
            .filter(\CaseEvent.$action !~ Array(quietActions))
        if let codes = inScope.map(Array.init) ?? scope.regionCodes(in: req.reference.hierarchy) {
            query.filter(Case.self, \.$regionCode ~~ codes)
        }
        if let unit { query.filter(Case.self, \.$unitCode == unit) }
        let rows = try await query.sort(\CaseEvent.$id, .descending).limit(20).all()
        return try await LiveFeed.describe(rows, app: req.application, language: ConsoleText.language(req))
    }
}
