import CityDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// The city screen's map (issue #12 §5): a district's zoom, a dot for every open case with a stored point (red when
/// overdue), none for a case located only to a street (it counts in its street's row), clusters under a cap, and
/// scope.
@Suite struct CaseMapTests {
    /// A 12345 call's case: located to `street` by name, with no point (as every hotline case).
    static func streetOnlyCase(_ app: Application, street: String) async throws -> Int {
        let intake = IntakeReport(
            source: .hotline, categoryCode: "road.ponding", description: "路面积水", address: "某路口",
            chosenRegionCode: street, actor: "12345:test")
        let stored = try await CaseIntake.register(
            intake, reference: app.reference, gate: app.writeGate, now: app.clock.now(), logger: app.logger)
        return try stored.case.requireID()
    }

    /// The city screen's HTML for `cookie` at `path`.
    static func page(_ app: Application, _ path: String, cookie: String) async throws -> String {
        var html = ""
        try await app.testing().test(.GET, path, headers: ["Cookie": cookie]) { res in
            #expect(res.status == .ok)
            html = res.body.string
        }
        return html
    }

    static func count(_ needle: String, in html: String) -> Int { html.components(separatedBy: needle).count - 1 }

    @Test func aLocatedOverdueCaseDrawsARedDotOnTheDistrictsZoom() async throws {
        try await TestApp.withApp { app, clock in
            let located = try await CaseWorkflowAPITests.register(
                app, category: "road.ponding", lat: 31.2397, long: 121.4998)
            let city = try await ConsoleTests.signIn(
                app, username: "city.op", unit: "310000.operations_centre", role: .cityOperator)
            let fresh = try await Self.page(app, "/console?district=310115", cookie: city)
            #expect(fresh.contains(#"data-zoom="310115""#))
            #expect(fresh.contains(#"<a class="dot" href="/console/cases/\#(located)""#))
            #expect(Self.count(#"<path class="district"#, in: fresh) == 1)  // the district's outline only
            clock.advance(by: 60 * 86_400)
            let later = try await ConsoleTests.signIn(
                app, username: "city.op2", unit: "310000.operations_centre", role: .cityOperator)
            let late = try await Self.page(app, "/console?district=310115&lang=en", cookie: later)
            #expect(late.contains(#"<a class="dot overdue" href="/console/cases/\#(located)""#))
            #expect(late.contains("#\(located), overdue\""))  // its accessible name, in English
            #expect(late.contains(#"id="map-back""#))  // the way back to the city
            // The city's map draws the same red dot among all sixteen districts.
            let whole = try await Self.page(app, "/console", cookie: later)
            #expect(whole.contains(#"<a class="dot overdue" href="/console/cases/\#(located)""#))
            #expect(Self.count(#"<path class="district"#, in: whole) == 16)
            #expect(whole.contains(#"class="label small""#))  // the central districts' labels are small
            #expect(!whole.contains(#"id="streets""#))
        }
    }

    @Test func aStreetOnlyCaseDrawsNoDotButCountsInItsStreet() async throws {
        try await TestApp.withApp { app, clock in
            let hotline = try await Self.streetOnlyCase(app, street: "310115004")
            let located = try await CaseWorkflowAPITests.register(
                app, category: "road.ponding", lat: 31.2397, long: 121.4998)
            clock.advance(by: 60 * 86_400)
            let city = try await ConsoleTests.signIn(
                app, username: "city.op", unit: "310000.operations_centre", role: .cityOperator)
            let html = try await Self.page(app, "/console?district=310115", cookie: city)
            // A mark is a link with an accessible name; the live feed's plain links to the case do not count.
            #expect(!html.contains("href=\"/console/cases/\(hotline)\" aria-label"))
            #expect(html.contains("href=\"/console/cases/\(located)\" aria-label"))
            // 潍坊新村街道: one open case, overdue, none on the map; the located case counts on the district's row
            // (the bundled outlines are districts only, so a point locates to its district).
            #expect(
                html.contains(
                    #"<tr id="street-310115004"><td><a href="/console/cases?region=310115004">潍坊新村街道</a></td><td class="open">1</td><td class="overdue"><a href="/console/cases?region=310115004&overdue=1">1</a></td><td class="on-map">0</td></tr>"#
                ))
            #expect(
                html.contains(
                    #"<tr id="street-310115"><td><a href="/console/cases?region=310115">仅定位到区</a></td><td class="open">1</td>"#
                ))
            #expect(html.contains(#"<td class="on-map">1</td></tr>"#))
            #expect(html.contains("无坐标的案件"))  // the legend says why a case has no dot
            let counts = try await CityScreenQueries.counts(
                scope: try CaseQueriesTests.city(app), district: "310115", measure: .open, reference: app.reference,
                on: app.db, now: clock.now)
            #expect(counts.streets.first { $0.code == "310115004" }.map { ($0.open, $0.overdue) } ?? (0, 0) == (1, 1))
            #expect(counts.streets.last?.code == "310115")
        }
    }

    @Test func aDistrictOperatorCannotZoomIntoAnotherDistrict() async throws {
        try await TestApp.withApp { app, _ in
            let huangpu = try await CaseWorkflowAPITests.register(
                app, category: "road.ponding", lat: 31.2304, long: 121.4737)
            let pudong = try await CaseWorkflowAPITests.register(
                app, category: "road.ponding", lat: 31.2397, long: 121.4998)
            let cookie = try await ConsoleTests.signIn(
                app, username: "pd.op", unit: "310115.operations_centre", role: .districtOperator)
            for path in ["/console", "/console?district=310101"] {
                let html = try await Self.page(app, path, cookie: cookie)
                #expect(html.contains(#"data-zoom="310115""#), "\(path)")  // clamped to the operator's own district
                #expect(!html.contains("/console/cases/\(huangpu)\""), "\(path)")
                #expect(html.contains("/console/cases/\(pudong)\""), "\(path)")
                #expect(!html.contains("street-310101"), "\(path)")
                #expect(html.contains("street-310115004"), "\(path)")
                #expect(!html.contains(#"id="map-back""#), "\(path)")  // no way to a city it may not see
            }
        }
    }

    @Test func clustersKeepTheMapUnderItsCapWhateverTheNumberOfCases() async throws {
        try await TestApp.withApp { app, clock in
            let map = DistrictMap(boundaries: app.reference.boundaries, hierarchy: app.reference.hierarchy)
            var random = SplitMix64(seed: 7)
            let markers = (0..<5_000).map { index in
                CityScreenMarker(
                    caseID: index + 1, latitude: Double.random(in: 30.9...31.4, using: &random),
                    longitude: Double.random(in: 121.2...121.8, using: &random), overdue: index % 50 == 0,
                    categoryCode: "road.ponding", regionCode: index % 2 == 0 ? "310115004" : "310101002")
            }
            let marks = CaseMapMarks(
                markers, map: map, reference: app.reference, language: .zh, words: ConsoleText.table(.zh),
                colourQuery: "")
            #expect(marks.marks.count <= CaseMapMarks.maxMarks)
            #expect(marks.marks.map(\.count).reduce(0, +) == 5_000)
            #expect(marks.marks.filter(\.overdue).count >= 1)
            #expect(marks.marks.filter(\.cluster).allSatisfy { $0.url.hasPrefix("/console?district=") })

            // On a page: a district full of located cases still draws at most the cap.
            _ = try await HistorySeed.run(
                cases: 3_000, days: 20, reference: app.reference, gate: app.writeGate, now: clock.now)
            let city = try await ConsoleTests.signIn(
                app, username: "city.op", unit: "310000.operations_centre", role: .cityOperator)
            let html = try await Self.page(app, "/console", cookie: city)
            let drawn = Self.count(#"<a class="dot"#, in: html) + Self.count(#"<a class="cluster"#, in: html)
            #expect(drawn > 0 && drawn <= CaseMapMarks.maxMarks)
            #expect(Self.count("<circle", in: html) == drawn)
            let open = try await Case.query(on: app.db).filter(\.$state != .closed).filter(\.$latitude != nil).count()
            let clustered = html.components(separatedBy: #"<text aria-hidden="true" x=""#).dropFirst().compactMap {
                $0.split(separator: ">").dropFirst().first.flatMap { Int($0.prefix { $0.isNumber }) }
            }
            #expect(clustered.reduce(0, +) + Self.count(#"<a class="dot"#, in: html) == open)
        }
    }
}

extension CaseMapTests {
    /// The map's marks from the per-cell counts the database makes are those of clustering every open located case
    /// one by one (the city's map and a district's zoom, both databases: `floor` on PostgreSQL, the shifted
    /// truncation on SQLite), with overdue judged alike.
    @Test func cellCountsInTheDatabaseDrawTheMarksOfTheCasesOneByOne() async throws {
        try await TestApp.withApp { app, clock in
            _ = try await HistorySeed.run(
                cases: 3_000, days: 4, reference: app.reference, gate: app.writeGate, now: clock.now)
            let city = try CaseQueriesTests.city(app)
            let now = clock.now.addingTimeInterval(3 * 86_400)  // some cases overdue
            let words = ConsoleText.table(.zh)
            for focus in [nil, "310115"] as [String?] {
                let map = DistrictMap(
                    boundaries: app.reference.boundaries, hierarchy: app.reference.hierarchy, focus: focus)
                let regions = focus.map { Set(app.reference.hierarchy.subtree(of: $0)) }
                let counted = try await CityScreenQueries.markers(
                    scope: city, regions: regions, grid: map.grid(side: CaseMapMarks.cell), reference: app.reference,
                    on: app.db, now: now)
                var query = Case.query(on: app.db).filter(\.$state != .closed).filter(\.$latitude != nil)
                if let regions { query = query.filter(\.$regionCode ~~ Array(regions)) }
                let one = try await query.all().map { record in
                    CityScreenMarker(
                        caseID: try record.requireID(), latitude: record.latitude ?? 0,
                        longitude: record.longitude ?? 0, overdue: CaseOverdue.isOverdue(record, now: now),
                        categoryCode: record.categoryCode, regionCode: record.regionCode)
                }
                #expect(counted.count < one.count, "\(focus ?? "city")")  // cells, not cases
                #expect(counted.map(\.count).reduce(0, +) == one.count)
                #expect(counted.map(\.overdueCount).reduce(0, +) == one.filter(\.overdue).count)
                #expect(one.contains { $0.overdue })
                let fromCells = CaseMapMarks(
                    counted, map: map, reference: app.reference, language: .zh, words: words, colourQuery: "")
                let fromCases = CaseMapMarks(
                    one, map: map, reference: app.reference, language: .zh, words: words, colourQuery: "")
                #expect(fromCells.drawnByArea == fromCases.drawnByArea)
                #expect(fromCells.marks.count == fromCases.marks.count)
                for (a, b) in zip(fromCells.marks, fromCases.marks) {
                    #expect(
                        (a.count, a.overdue, a.cluster, a.url, a.name, a.r) == (
                            b.count, b.overdue, b.cluster, b.url, b.name, b.r
                        ))
                    #expect(abs(a.x - b.x) <= 1 && abs(a.y - b.y) <= 1)  // means in SQL and in Swift, rounded
                }
            }
        }
    }
}

extension CaseMapTests {
    @Test func theDeskNarrowsToTheRegionAMapLinkNamesWithinTheScope() async throws {
        try await TestApp.withApp { app, _ in
            let hotline = try await Self.streetOnlyCase(app, street: "310115004")
            let other = try await Self.streetOnlyCase(app, street: "310115005")
            let cookie = try await ConsoleTests.signIn(
                app, username: "pd.op", unit: "310115.operations_centre", role: .districtOperator)
            let html = try await Self.page(app, "/console/cases?region=310115004", cookie: cookie)
            #expect(html.contains("潍坊新村街道"))
            #expect(html.contains("/console/cases/\(hotline)\""))
            #expect(!html.contains("/console/cases/\(other)\""))
            #expect(html.contains(#"<input type="hidden" name="region" value="310115004">"#))
            try await app.testing().test(.GET, "/console/cases?region=310101002", headers: ["Cookie": cookie]) {
                res in
                #expect(res.status == .forbidden)
            }
        }
    }
}

extension CaseMapTests {
    @Test func aSeededHistoryGivesNoPointToA12345Call() async throws {
        try await TestApp.withApp { app, clock in
            _ = try await HistorySeed.run(cases: 300, reference: app.reference, gate: app.writeGate, now: clock.now)
            let reports = try await Report.query(on: app.db).all()
            #expect(reports.contains { $0.source == .hotline })
            #expect(reports.filter { $0.source == .hotline }.allSatisfy { $0.latitude == nil && $0.longitude == nil })
            #expect(reports.contains { $0.source != .hotline && $0.latitude != nil })
            let cases = try await Case.query(on: app.db).all()
            let hotline = Set(reports.filter { $0.source == .hotline }.compactMap(\.caseID))
            #expect(cases.filter { hotline.contains($0.id ?? 0) }.allSatisfy { $0.latitude == nil })
        }
    }
}
