import CityDomain
import Fluent
import Testing
import Vapor
import VaporTesting

@testable import App

/// Each role's landing page (issue #12 §8): a grid worker's tasks, a district operator's streets, a street
/// operator's units and grid workers, and the city operator's screen unchanged; the phone and print styles served.
@Suite struct RoleLandingTests {
    /// A rubbish case in 外滩街道 (Huangpu, another street than 南京东路街道).
    static func bundCase(_ app: Application) async throws -> Int {
        try await CaseWorkflowAPITests.register(
            app, category: "sanitation.garbage", lat: 31.2304, long: 121.4737, address: "外滩街道")
    }

    static func position(of needle: String, in html: String) -> Int? {
        html.range(of: needle).map { html.distance(from: html.startIndex, to: $0.lowerBound) }
    }

    @Test func aGridWorkerLandsOnTheirTasksMostUrgentFirst() async throws {
        try await TestApp.withApp { app, clock in
            let first = try await FieldWorkTests.register(app)
            clock.advance(by: 3 * 86400)  // a later step limit (day limits end at midnight)
            let (second, caseworker) = try await FieldWorkTests.garbageCase(app)
            let unassigned = try await FieldWorkTests.register(app)
            let idle = try await ConsoleTests.signIn(
                app, username: "hp.grid2", unit: FieldWorkTests.unit, role: .gridWorker)
            let cookie = try await ConsoleTests.signIn(
                app, username: "hp.grid1", unit: FieldWorkTests.unit, role: .gridWorker)
            // Assigned in the opposite order: the list follows the limits, not the assignment.
            for id in [second, first] {
                try await CaseWorkflowAPITests.act(
                    app, token: caseworker, caseID: id, ["action": "assign", "assignee": "hp.grid1"]
                ) { res in #expect(res.status == .ok) }
            }
            try await app.testing().test(.GET, "/console", headers: ["Cookie": cookie]) { res in
                #expect(res.status == .seeOther)
                #expect(res.headers.first(name: .location) == "/console/tasks")
            }
            try await app.testing().test(.GET, "/console/tasks", headers: ["Cookie": idle]) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains(#"id="tasks-none""#))  // nothing assigned to hp.grid2
            }
            try await app.testing().test(.GET, "/console/tasks", headers: ["Cookie": cookie]) { res in
                let html = res.body.string
                #expect(html.contains(#"<a href="/console/tasks" class="active">我的任务</a>"#))
                #expect(!html.contains(#"<a href="/console" class=""#))  // no city screen in the menu
                let a = try #require(Self.position(of: #"data-case="\#(first)""#, in: html))
                let b = try #require(Self.position(of: #"data-case="\#(second)""#, in: html))
                #expect(a < b)  // the earlier limit first
                #expect(!html.contains(#"data-case="\#(unassigned)""#))  // the unit's, not theirs
                #expect(html.contains(#"id="tasks-total" data-live>(2)"#))
                #expect(html.contains(#"<div id="task-parts" data-live>"#))  // re-read after live events (§7)
                #expect(html.contains(#"<time class="countdown" data-due=""#))
                // Dispatched: started in one tap; resolving (note and photos) is on the case page.
                #expect(
                    html.contains(#"<button type="submit" name="do" value="start" aria-label="签收处置 #\#(first)">"#))
                #expect(!html.contains(#"href="/console/cases/\#(first)#case-actions""#))
                #expect(html.contains(#"href="/console/assets/console-roles.css""#))
            }
            let token = try await Self.token(app, username: "hp.grid1")
            try await CaseWorkflowAPITests.act(app, token: token, caseID: first, ["action": "start"]) { res in
                #expect(res.status == .ok)
            }
            try await app.testing().test(.GET, "/console/tasks?lang=en", headers: ["Cookie": cookie]) { res in
                let html = res.body.string
                #expect(html.contains("My tasks"))
                #expect(html.contains(#"href="/console/cases/\#(first)#case-actions" aria-label="#))
            }
        }
    }

    /// An API token for an operator who exists already.
    static func token(_ app: Application, username: String) async throws -> String {
        var token = ""
        try await app.testing().test(
            .POST, "/api/v1/sessions",
            beforeRequest: { req in try req.content.encode(["username": username, "password": "correct horse 1"]) },
            afterResponse: { res in token = try res.content.decode(SessionController.SessionDTO.self).token })
        return token
    }

    @Test func aDistrictOperatorComparesTheDistrictsStreets() async throws {
        try await TestApp.withApp { app, _ in
            _ = try await FieldWorkTests.register(app)
            _ = try await FieldWorkTests.register(app)
            _ = try await Self.bundCase(app)
            let cookie = try await ConsoleTests.signIn(
                app, username: "hp.op", unit: "310101.operations_centre", role: .districtOperator)
            try await app.testing().test(.GET, "/console", headers: ["Cookie": cookie]) { res in
                #expect(res.status == .ok)
                let html = res.body.string
                #expect(html.contains(#"id="role-league" data-level="street""#))
                #expect(html.contains("<h2>各街镇排行</h2>"))
                #expect(!html.contains(#"id="row-310101""#))  // no one-row district league
                #expect(
                    html.contains(
                        #"<tr id="league-310101002"><td><a href="/console/cases?region=310101002">南京东路街道</a></td><td class="open">2</td>"#
                    ))
                #expect(
                    html.contains(
                        #"<tr id="league-310101013"><td><a href="/console/cases?region=310101013">外滩街道</a></td><td class="open">1</td>"#
                    ))
                let busiest = try #require(Self.position(of: #"id="league-310101002""#, in: html))
                let next = try #require(Self.position(of: #"id="league-310101013""#, in: html))
                #expect(busiest < next)
                #expect(!html.contains(#"id="workers""#))
            }
        }
    }

    /// The district's league within a window (issue #12 §4 for a district operator): received counts only the
    /// window's cases, open stays that of now; the page keeps the window chooser above it.
    @Test func aDistrictsLeagueCountsWithinTheWindow() async throws {
        try await TestApp.withApp { app, clock in
            _ = try await FieldWorkTests.register(app)  // 南京东路街道, three days before "today"
            clock.advance(by: 3 * 86_400)
            _ = try await FieldWorkTests.register(app)
            let scope = try CaseQueriesTests.scope(app, .districtOperator, unit: "310101.operations_centre")
            let today = CalendarDay(containing: clock.now)
            func street(_ window: ReportingWindow?) async throws -> CityScreenCounts.DistrictRow? {
                try await RoleLeagueQueries.league(
                    scope: scope, reference: app.reference, on: app.db, now: clock.now, window: window
                )?.rows.first { $0.code == "310101002" }
            }
            let allTime = try #require(try await street(nil))
            #expect((allTime.total, allTime.open) == (2, 2))
            let todayOnly = try #require(try await street(ReportingWindow(choice: .today, first: today, last: today)))
            #expect((todayOnly.total, todayOnly.open) == (1, 2))
            let week = try #require(
                try await street(ReportingWindow(choice: .week, first: today.adding(days: -6), last: today)))
            #expect(week.total == 2)
            let cookie = try await ConsoleTests.signIn(
                app, username: "hp.op", unit: "310101.operations_centre", role: .districtOperator)
            try await app.testing().test(.GET, "/console?window=today", headers: ["Cookie": cookie]) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains(#"id="window-choice""#))
                #expect(res.body.string.contains(#"id="window-note""#))
            }
        }
    }

    @Test func aStreetOperatorSeesTheirStreetsUnitsAndWorkersOnly() async throws {
        try await TestApp.withApp { app, _ in
            let (ours, caseworker) = try await FieldWorkTests.garbageCase(app)
            let theirs = try await Self.bundCase(app)
            _ = try await TestApp.login(app, username: "hp.grid1", unit: FieldWorkTests.unit, role: .gridWorker)
            try await CaseWorkflowAPITests.act(
                app, token: caseworker, caseID: ours, ["action": "assign", "assignee": "hp.grid1"]
            ) { res in #expect(res.status == .ok) }
            let cookie = try await ConsoleTests.signIn(
                app, username: "nj.op", unit: "310101002.operations_centre", role: .streetOperator)
            try await app.testing().test(.GET, "/console", headers: ["Cookie": cookie]) { res in
                #expect(res.status == .ok)
                let html = res.body.string
                #expect(html.contains(#"id="role-league" data-level="unit""#))
                #expect(
                    html.contains(
                        #"<tr id="league-310101002.greening_sanitation"><td>南京东路街道市容所</td><td class="open">1</td>"#))
                #expect(html.contains(#"<tr id="worker-hp.grid1"><td>hp.grid1</td><td class="open">1</td>"#))
                #expect(html.contains(#"id="street-310101002""#))  // the street's own counts under the map
                #expect(!html.contains(#"id="street-310101013""#))
                #expect(!html.contains("/console/cases/\(theirs)\""))
                #expect(!html.contains("外滩街道"))
            }
            // The live part read again after events carries the grid workers' table too.
            try await app.testing().test(.GET, "/console/role-league", headers: ["Cookie": cookie]) { res in
                #expect(res.body.string.contains(#"<tr id="worker-hp.grid1"><td>hp.grid1</td><td class="open">1</td>"#))
            }
            try await app.testing().test(.GET, "/console/cases", headers: ["Cookie": cookie]) { res in
                #expect(res.body.string.contains("/console/cases/\(ours)\""))
                #expect(!res.body.string.contains("/console/cases/\(theirs)\""))
            }
            try await app.testing().test(.GET, "/console/cases/\(theirs)", headers: ["Cookie": cookie]) { res in
                #expect(res.status == .notFound)
            }
        }
    }

    /// Issue #12 §7 on the district landing: the league's rows are the part console.js re-reads after live events,
    /// from `/console/role-league` (within the screen's window, without the map and tiles), which follows the cases.
    @Test func theDistrictLeaguesLivePartFollowsTheCases() async throws {
        try await TestApp.withApp { app, _ in
            _ = try await FieldWorkTests.register(app)
            let cookie = try await ConsoleTests.signIn(
                app, username: "hp.op", unit: "310101.operations_centre", role: .districtOperator)
            try await app.testing().test(.GET, "/console", headers: ["Cookie": cookie]) { res in
                let html = res.body.string
                #expect(html.contains(#"data-live-src="/console/role-league?">"#))
                #expect(html.contains(#"<div id="role-league-rows" data-live>"#))
            }
            try await app.testing().test(.GET, "/console?window=today", headers: ["Cookie": cookie]) { res in
                #expect(res.body.string.contains(#"data-live-src="/console/role-league?&amp;window=today">"#))
            }
            let street = #"<tr id="league-310101002"><td><a href="/console/cases?region=310101002">南京东路街道</a></td>"#
            try await app.testing().test(.GET, "/console/role-league", headers: ["Cookie": cookie]) { res in
                #expect(res.status == .ok)
                let html = res.body.string
                #expect(html.hasPrefix(#"    <div id="role-league-rows" data-live>"#))
                #expect(html.contains(street + #"<td class="open">1</td>"#))
                #expect(!html.contains("<html") && !html.contains(#"id="map""#))
            }
            _ = try await FieldWorkTests.register(app)
            try await app.testing().test(.GET, "/console/role-league?lang=en", headers: ["Cookie": cookie]) { res in
                #expect(res.body.string.contains(#"<td class="open">2</td>"#))
                #expect(res.body.string.contains("<th>Street or town</th><th>Open cases</th>"))
            }
            try await app.testing().test(.GET, "/console/role-league?window=today", headers: ["Cookie": cookie]) {
                res in #expect(res.body.string.contains(#"<td class="open">2</td>"#))  // open: those of now
            }
            let city = try await ConsoleTests.signIn(
                app, username: "city.op", unit: "310000.operations_centre", role: .cityOperator)
            try await app.testing().test(.GET, "/console/role-league", headers: ["Cookie": city]) { res in
                #expect(res.status == .notFound)  // the city's screen has the district league
            }
        }
    }

    @Test func theCityOperatorKeepsTheDistrictLeague() async throws {
        try await TestApp.withApp { app, _ in
            _ = try await FieldWorkTests.register(app)
            let cookie = try await ConsoleTests.signIn(
                app, username: "city.op", unit: "310000.operations_centre", role: .cityOperator)
            try await app.testing().test(.GET, "/console", headers: ["Cookie": cookie]) { res in
                #expect(res.status == .ok)
                let html = res.body.string
                #expect(html.contains(#"id="row-310101""#))
                #expect(html.contains("<h2>各区排行</h2>"))
                #expect(!html.contains(#"id="role-league""#))
                #expect(html.contains(#"<a href="/console" class="active">一屏观全城</a>"#))
            }
            try await app.testing().test(.GET, "/console?district=310101", headers: ["Cookie": cookie]) { res in
                #expect(!res.body.string.contains(#"id="role-league""#))  // a city operator's zoom keeps it too
            }
        }
    }

    @Test func thePhoneAndPrintStylesAreServedAndPhotosLoadForPrinting() async throws {
        try await TestApp.withApp { app, _ in
            try await app.testing().test(.GET, "/console/assets/console-roles.css") { res in
                #expect(res.status == .ok)
                let css = res.body.string
                #expect(css.contains("@media (max-width: 480px)"))
                #expect(css.contains("@media print"))
            }
            // Tests/AppTests/RoleLandingTests.swift → the tree → the case page's template.
            let views = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("Sources/App/Resources/Views/console/case.leaf")
            let template = try String(contentsOf: views, encoding: .utf8)
            // A lazily loaded photo below the fold is never fetched for printing: the case page loads them at once.
            #expect(template.contains(##"alt="#(page.t.photo)""##))
            #expect(!template.contains(#"loading="lazy""#))
        }
    }
}
