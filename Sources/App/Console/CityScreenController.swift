import CityDomain
import Fluent
import Vapor

/// `GET /console` — the city screen (一屏观全城): the district map coloured by a chosen measure (`?colour=`), counts
/// by state, the district league (on-time closure, first-dispatch accuracy), vital-sign tiles and the live feed, all
/// within the operator's scope and narrowed to one district with `?district=CODE`. The map zooms into that district
/// (or into the district a district or street operator works in): its outline fills the map, its streets' counts
/// are listed beside it, and every open case with a stored point is a dot or part of a numbered cluster
/// (``CaseMapMarks``); a district outside the operator's scope is not shown (the operator's own scope is).
struct CityScreenController {
    struct StateCount: Encodable {
        var state: String
        var name: String
        var count: Int
    }

    struct UnitCount: Encodable {
        var unit: String
        var name: String
        var count: Int
    }

    struct Page: Encodable {
        var page: ConsolePage
        var map: DistrictMap
        var districts: [CityScreenCounts.DistrictRow]
        var states: [StateCount]
        var openTotal: Int
        var overdueTotal: Int
        /// Overdue government-service applications, and the departments holding them (most first).
        var overdueApplications: Int
        var overdueByUnit: [UnitCount]
        /// The map's dots and clusters (``CaseMapMarks``).
        var marks: [CaseMapMarks.Mark]
        /// On a district's zoom: its streets' open and overdue cases, and a way back for those who see the city.
        var streets: [CityScreenCounts.StreetRow]
        var zoomed: Bool
        var seesCity: Bool
        var feed: [LiveEvent]
        var district: String?
        var districtName: String?
        var colour: CityScreenCounts.MapMeasure
        /// `&colour=…` for links that keep the chosen colour ("" for the default).
        var colourQuery: String
        var legend: String
        var measures: [[String: String]]
        /// Vital-sign tiles and the indicator colouring the map (`?indicator=`), if any.
        var vitals: VitalTiles
        /// The league's time window (``WindowChoice``; all time by default).
        var window: WindowChoice
        /// A district or street operator's league (their streets, or their street's units), shown instead of the
        /// district league; nil for the whole city (issue #12 §8).
        var roleLeague: RoleLeague?
    }

    /// - Returns: the page; with refused window parameters, the page (all time) saying what is wrong, status 400.
    @Sendable func show(req: Request) async throws -> Response {
        let scope = try req.auth.require(ConsoleUser.self).scope
        let (windowChoice, window) = Self.window(req)
        let asked = Self.asked(req)
        let counts = try await Self.counts(
            scope: scope, district: asked.district, measure: asked.measure, window: window, reference: req.reference,
            on: req.db, now: req.now)
        let language = ConsoleText.language(req)
        let words = ConsoleText.table(language)
        let reference = req.reference
        var map = DistrictMap(
            boundaries: reference.boundaries, hierarchy: reference.hierarchy, language: language,
            focus: counts.focus?.code)
        let colour = counts.measure
        let district = counts.district.map { "district=\($0.code)&" } ?? ""
        let vitals = try await VitalTiles.load(req, scope: scope, district: counts.district?.code, language: language)
        if let classes = vitals.classes {
            for index in map.shapes.indices {
                map.shapes[index].tone = " " + (classes[map.shapes[index].code] ?? "ind-none")
            }
        }
        let measures = CityScreenCounts.MapMeasure.allCases.map { measure in
            [
                "code": measure.rawValue, "name": words["colour_\(measure.rawValue)"] ?? measure.rawValue,
                "url": "/console?\(district)colour=\(measure.rawValue)\(windowChoice.query)",
                "active": measure == colour && !vitals.tiles.hasMap ? "1" : "",
            ]
        }
        let districts = counts.districts.map { row in
            var named = row
            // English names are long ("Pudong New Area"): the league uses the map's short ones there.
            named.name =
                reference.hierarchy[row.code].map {
                    language == .zh ? $0.nameZh : DistrictMap.label($0, language)
                } ?? row.code
            return named
        }
        let colourQuery =
            vitals.tiles.map.map { "&indicator=\($0.id)" } ?? (colour == .open ? "" : "&colour=\(colour.rawValue)")
        // The map shows the focus district's cases (a district or street operator's scope is narrower still).
        let located = try await CityScreenQueries.markers(
            scope: scope, regions: counts.inScope ?? counts.focus.map { Set(reference.hierarchy.subtree(of: $0.code)) },
            grid: map.grid(side: CaseMapMarks.cell), reference: reference, on: req.db, now: req.now)
        let marks = CaseMapMarks(
            located, map: map, reference: reference, language: language, words: words, colourQuery: colourQuery)
        let streets = counts.streets.map { row in
            var named = row
            named.name =
                row.code == counts.focus?.code
                ? words["map_district_only", default: ""] : reference.regionName(row.code, in: language)
            named.onMap = marks.drawnByArea[row.code] ?? 0
            return named
        }
        let events = try await CityScreenQueries.recentEvents(
            scope: scope, regions: counts.inScope, reference: reference, on: req.db)
        let page = Page(
            page: ConsolePage(req, title: "city_screen", active: "city"), map: map, districts: districts,
            states: CaseState.allCases.map {
                StateCount(state: $0.rawValue, name: $0.name(in: language), count: counts.states[$0.rawValue] ?? 0)
            },
            openTotal: counts.openTotal, overdueTotal: counts.overdueTotal,
            overdueApplications: counts.overdueApplicationsTotal,
            overdueByUnit: counts.overdueApplications.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map {
                let unit = reference.units[$0.key]
                return UnitCount(
                    unit: $0.key, name: (language == .zh ? unit?.nameZh : unit?.nameEn) ?? $0.key, count: $0.value)
            },
            marks: marks.marks, streets: streets, zoomed: map.focus != nil,
            seesCity: scope.regionCode == reference.hierarchy.root.code,
            feed: try await LiveFeed.describe(events, app: req.application, language: language),
            district: counts.district?.code,
            districtName: counts.focus.map { reference.regionName($0.code, in: language) },
            colour: colour,
            colourQuery: colourQuery,
            legend: words["legend_\(colour.rawValue)"] ?? "", measures: measures, vitals: vitals.tiles,
            window: windowChoice,
            roleLeague: try await RoleLeague.load(
                scope: scope, window: window, reference: reference, on: req.db, now: req.now, language: language))
        let response = try await req.view.render("console/city", page).encodeResponse(for: req)
        if windowChoice.problem != nil { response.status = .badRequest }
        return response
    }

    /// The counts of the screen as JSON (`GET /console/summary`), which the page fetches after live events so its
    /// numbers and shading stay those of the database.
    struct Summary: Content {
        var openTotal: Int
        var overdueTotal: Int
        /// Overdue government-service applications in the counted regions.
        var overdueApplications: Int
        var states: [String: Int]
        var districts: [String: [String: Int]]
    }

    @Sendable func summary(req: Request) async throws -> Summary {
        let asked = Self.asked(req)
        let counts = try await Self.counts(
            scope: try req.auth.require(ConsoleUser.self).scope, district: asked.district, measure: asked.measure,
            window: Self.window(req).1, reference: req.reference, on: req.db, now: req.now)
        return Summary(
            openTotal: counts.openTotal, overdueTotal: counts.overdueTotal,
            overdueApplications: counts.overdueApplicationsTotal, states: counts.states,
            districts: Dictionary(
                uniqueKeysWithValues: counts.districts.map {
                    (
                        $0.code,
                        [
                            "open": $0.open, "overdue": $0.overdue, "overdue_applications": $0.overdueApplications,
                            "shade": $0.shade,
                        ]
                    )
                }))
    }

    /// The screen's counts for the operator of `scope` (``CityScreenQueries/counts(scope:district:measure:reference:on:now:)``):
    /// narrowed to `district` (a district code; ignored outside the scope) and shaded by `measure`; with a `window`
    /// (Asia/Shanghai days), the league counts within it (``CityScreenCounts/count(within:)``). Overdue is judged at
    /// `now`.
    /// - Throws: database errors.
    static func counts(
        scope: OperatorScope, district: String?, measure: CityScreenCounts.MapMeasure, window: ReportingWindow?,
        reference: CityReference, on db: any Database, now: Date
    ) async throws -> CityScreenCounts {
        var counts = try await CityScreenQueries.counts(
            scope: scope, district: district, measure: measure, reference: reference, on: db, now: now)
        if let window {
            counts.count(
                within: try await TrendQueries.league(window, scope: scope, reference: reference, on: db.sql()))
        }
        return counts
    }

    /// The district (`?district=`, a code) and the map's measure (`?colour=`) a request asks for.
    static func asked(_ req: Request) -> (district: String?, measure: CityScreenCounts.MapMeasure) {
        (req.query[String.self, at: "district"], .named(req.query[String.self, at: "colour"]))
    }

    /// The league's window (`?window=`, `?from=`, `?to=`; all time without them), links keeping the district and
    /// the map's colour or indicator.
    static func window(_ req: Request) -> (WindowChoice, ReportingWindow?) {
        let keep = ["district", "colour", "indicator"].compactMap { name in
            req.query[String.self, at: name].flatMap { $0.isEmpty ? nil : (name, $0) }
        }
        return WindowChoice.read(req, path: "/console", keep: keep, fallback: nil)
    }
}
