import CityDomain
import Fluent
import Testing
import Vapor
import VaporTesting

@testable import App

/// The console in English (names of regions, categories, units and states too) and the map's colour measures.
@Suite struct ConsoleViewsTests {
    @Test func englishModeNamesRegionsCategoriesUnitsAndStates() async throws {
        try await TestApp.withApp { app, _ in
            let id = try await CaseWorkflowAPITests.register(
                app, category: "road.ponding", lat: 31.2397, long: 121.4998)
            let cookie = try await ConsoleTests.signIn(
                app, username: "pd.op", unit: "310115.operations_centre", role: .districtOperator)
            try await app.testing().test(.GET, "/console?lang=en", headers: ["Cookie": cookie]) { res in
                let html = res.body.string
                #expect(html.contains(">Pudong</text>"))  // the map's short label
                #expect(html.contains("<title>Pudong New Area</title>"))  // and its full name
                // A district operator's map is their district, zoomed (the city map's small labels: CaseMapTests).
                #expect(html.contains(#"class="label zoom""#))
                #expect(html.contains("Pudong New Area water authority"))  // the feed's unit
                #expect(html.contains("<b>Road ponding</b>"))
                #expect(!html.contains("浦东新区水务局"))
                #expect(html.contains("<span>Dispatched</span>"))
            }
            try await app.testing().test(.GET, "/console/cases/\(id)?lang=en", headers: ["Cookie": cookie]) { res in
                let html = res.body.string
                #expect(html.contains("Shanghai › Pudong New Area"))
                #expect(html.contains(#"data-state="dispatched">Dispatched</span>"#))
                #expect(html.contains(#"id="case-unit">Pudong New Area water authority</dd>"#))
            }
            try await app.testing().test(.GET, "/console/cases?lang=en", headers: ["Cookie": cookie]) { res in
                #expect(res.body.string.contains(#"<td class="what">Road ponding<div"#))
            }
            // Chinese stays the default, and the API keeps Chinese names.
            try await app.testing().test(.GET, "/console/cases/\(id)?lang=zh", headers: ["Cookie": cookie]) { res in
                #expect(res.body.string.contains(#"id="case-unit">浦东新区水务局</dd>"#))
            }
        }
    }

    @Test func theMapIsColouredByTheChosenMeasure() async throws {
        try await TestApp.withApp { app, clock in
            // Two open Huangpu cases, one open Pudong case; a day later all three are overdue.
            for (lat, long) in [(31.2304, 121.4737), (31.2304, 121.4737), (31.2397, 121.4998)] {
                _ = try await CaseWorkflowAPITests.register(app, category: "road.ponding", lat: lat, long: long)
            }
            let cookie = try await ConsoleTests.signIn(
                app, username: "city.op", unit: "310000.operations_centre", role: .cityOperator)
            try await app.testing().test(.GET, "/console/summary?colour=open", headers: ["Cookie": cookie]) { res in
                let summary = try res.content.decode(CityScreenController.Summary.self)
                #expect(summary.districts["310101"]?["shade"] == 4)
                #expect(summary.districts["310115"]?["shade"] == 2)  // 1 + 3 × 1 / 2
                #expect(summary.districts["310104"]?["shade"] == 0)
            }
            // Nothing closed yet: the on-time rate has nothing to show anywhere.
            try await app.testing().test(.GET, "/console/summary?colour=on_time", headers: ["Cookie": cookie]) { res in
                let summary = try res.content.decode(CityScreenController.Summary.self)
                #expect(summary.districts.values.allSatisfy { $0["shade"] == 0 })
            }
            clock.advance(by: 30 * 24 * 3600)
            let later = try await ConsoleTests.signIn(
                app, username: "city.op2", unit: "310000.operations_centre", role: .cityOperator)
            try await app.testing().test(.GET, "/console?colour=overdue", headers: ["Cookie": later]) { res in
                let html = res.body.string
                #expect(html.contains(#"data-colour="overdue""#))
                #expect(html.contains(#"id="row-310101" data-shade="4""#))
                #expect(html.contains(#"id="row-310115" data-shade="2""#))
                #expect(html.contains("颜色越深超期案件越多"))
                #expect(html.contains(#"href="/console?district=310101&amp;colour=overdue""#))  // links keep the colour
            }
            // An unknown measure falls back to open cases rather than failing the wall screen.
            try await app.testing().test(.GET, "/console?colour=rainfall", headers: ["Cookie": later]) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains(#"data-colour="open""#))
            }
        }
    }

    @Test func eachSessionNamesItsOwnSharedLiveStream() async throws {
        try await TestApp.withApp { app, _ in
            let first = try await ConsoleTests.signIn(
                app, username: "city.a", unit: "310000.operations_centre", role: .cityOperator)
            let second = try await ConsoleTests.signIn(
                app, username: "city.b", unit: "310000.operations_centre", role: .cityOperator)
            var keys: [String] = []
            for cookie in [first, second, first] {
                try await app.testing().test(.GET, "/console", headers: ["Cookie": cookie]) { res in
                    let html = res.body.string
                    let key = html.components(separatedBy: #"data-live-key=""#).dropFirst().first?.prefix(16) ?? ""
                    keys.append(String(key))
                }
            }
            #expect(keys[0].count == 16)
            #expect(keys[0] == keys[2])  // stable for a session
            #expect(keys[0] != keys[1])  // another sign-in never shares it
        }
    }

    @Test func triageOffersNoCategoryUntilChosenAndTakesRegionsByName() async throws {
        try await TestApp.withApp(routerThreshold: 1) { app, _ in
            let key = try await TestApp.apiKey(app)
            var ids: [Int] = []
            for text in ["浦东新区这边最近一直有问题，希望有关部门管一管", "浦东新区那边也一直有问题，希望有关部门也管一管"] {
                let (_, queued, _) = try await HotlineAPITests.post(app, key: key, ["text": text, "channel": "phone"])
                ids.append(try #require(queued?.id))
            }
            let cookie = try await ConsoleTests.signIn(
                app, username: "pd.op", unit: "310115.operations_centre", role: .districtOperator)
            try await app.testing().test(.GET, "/console/triage", headers: ["Cookie": cookie]) { res in
                let html = res.body.string
                #expect(
                    html.contains(
                        #"<select name="category_code" required aria-label="选择类别…"><option value="">选择类别…</option>"#))
                #expect(html.contains(#"<option value="浦东新区 花木街道"></option>"#))
                #expect(!html.contains(#"<option value="黄浦区"#))  // only the operator's own district
            }
            // A name from the list is taken for the region.
            try await app.testing().test(
                .POST, "/console/triage/\(ids[0])", headers: ["Cookie": cookie],
                beforeRequest: { req in
                    try req.content.encode(
                        [
                            "category_code": "sanitation.garbage", "region_code": "浦东新区 花木街道",
                            "_csrf": ConsoleTests.csrf(forCookie: cookie),
                        ], as: .urlEncodedForm)
                }, afterResponse: { res in #expect(ConsoleTests.flash(res).hasPrefix("ok:")) })
            let report = try #require(try await Report.find(ids[0], on: app.db))
            let created = try #require(try await Case.find(try #require(report.caseID), on: app.db))
            #expect(created.regionCode == "310115016")
            // A name nobody has comes back to that report with the reason.
            try await app.testing().test(
                .POST, "/console/triage/\(ids[1])", headers: ["Cookie": cookie],
                beforeRequest: { req in
                    try req.content.encode(
                        [
                            "category_code": "sanitation.garbage", "region_code": "火星",
                            "_csrf": ConsoleTests.csrf(forCookie: cookie),
                        ],
                        as: .urlEncodedForm)
                },
                afterResponse: { res in
                    #expect(res.headers.first(name: .location) == "/console/triage#report-\(ids[1])")
                    #expect(
                        ConsoleTests.flash(res)
                            == "error:#\(ids[1]): 您的辖区内没有名为“火星”的区、街道或镇，请从列表中选择"
                    )
                })
        }
    }

    @Test func unknownConsolePagesAndEmptyActionListsSaySo() async throws {
        try await TestApp.withApp { app, _ in
            let id = try await FieldWorkTests.register(app)
            let caseworker = try await TestApp.login(
                app, username: "hp.sanit", unit: FieldWorkTests.unit, role: .caseworker)
            try await CaseWorkflowAPITests.act(app, token: caseworker, caseID: id, ["action": "start"]) { _ in }
            try await CaseWorkflowAPITests.act(
                app, token: caseworker, caseID: id, ["action": "resolve", "note": "已清运"]
            ) { _ in }
            let cookie = try await ConsoleTests.signIn(
                app, username: "hp.sanit2", unit: FieldWorkTests.unit, role: .caseworker)
            try await app.testing().test(.GET, "/console/cases/\(id)", headers: ["Cookie": cookie]) { res in
                #expect(res.body.string.contains(#"id="no-actions">当前状态下没有您可执行的操作"#))
            }
            // Scripts reading the counts are told the session has ended (401), not sent to the login page.
            try await app.testing().test(.GET, "/console/summary") { res in #expect(res.status == .unauthorized) }
            try await app.testing().test(.GET, "/console/no/such/page", headers: ["Cookie": cookie]) { res in
                #expect(res.status == .notFound)
                #expect(res.headers.contentType?.subType == "html")
            }
        }
    }

    /// Issue 12 §7: console.js re-reads the parts marked `data-live` (with an id) when the stream carries a change of
    /// the case page's case, or of any case for the desk; live_pages.py drives it in Chromium.
    @Test func theCasePageAndTheDeskMarkThePartsTheStreamRefreshes() async throws {
        try await TestApp.withApp { app, _ in
            let id = try await FieldWorkTests.register(app)
            let cookie = try await ConsoleTests.signIn(
                app, username: "city", unit: "310000.operations_centre", role: .cityOperator)
            try await app.testing().test(.GET, "/console/cases/\(id)", headers: ["Cookie": cookie]) { res in
                let page = res.body.string
                #expect(page.contains(#"id="case-page" data-case="\#(id)""#))
                for part in ["case-facts", "case-actions", "case-timeline", "case-reports"] {
                    #expect(page.contains(#"id="\#(part)" data-live"#), "\(part)")
                }
                #expect(page.contains(#"id="case-changed" data-changed-notice role="status" hidden>此案件刚被更新"#))
                // Each timeline step names its audit-trail row, so the page skips the live events it already shows.
                let steps = try await CaseEvent.query(on: app.db).filter(\.$caseID == id).all()
                #expect(!steps.isEmpty)
                for step in steps {
                    #expect(page.contains(#"<li data-event="\#(try step.requireID())"><time>"#))
                }
            }
            try await app.testing().test(.GET, "/console/cases", headers: ["Cookie": cookie]) { res in
                #expect(res.body.string.contains(#"id="desk-total" data-live>("#))
                #expect(res.body.string.contains(#"id="desk-list" data-live>"#))
            }
            // The triage desk: its counts and its list re-read apart (the list is kept while worked in).
            try await app.testing().test(.GET, "/console/triage", headers: ["Cookie": cookie]) { res in
                let page = res.body.string
                #expect(page.contains(#"<div id="triage-head" data-live>"#))
                #expect(page.contains(#"<div id="triage-list" data-live>"#))
                #expect(page.contains(#"id="triage-changed" data-changed-notice role="status" hidden>分拨队列已有变化"#))
                #expect(page.contains(#"id="live-dot""#))
            }
        }
    }

    @Test func dueSoonIsTheLastQuarterOfTheStep() async throws {
        try await TestApp.withApp { app, _ in
            let id = try await CaseWorkflowAPITests.register(
                app, category: "road.ponding", lat: 31.2397, long: 121.4998)
            let record = try #require(try await Case.find(id, on: app.db))
            let started = record.stepStartedAt
            let due = try #require(record.stepDueAt)
            let span = due.timeIntervalSince(started)
            #expect(!CaseOverdue.isDueSoon(record, now: started.addingTimeInterval(span * 0.7)))
            #expect(CaseOverdue.isDueSoon(record, now: started.addingTimeInterval(span * 0.8)))
            #expect(!CaseOverdue.isDueSoon(record, now: due.addingTimeInterval(1)))  // overdue, not due soon
        }
    }

    @Test func channelsAndSourcesAreNamedInTheLanguage() async throws {
        try await TestApp.withApp(routerThreshold: 1) { app, _ in
            let key = try await TestApp.apiKey(app)
            let (_, queued, _) = try await HotlineAPITests.post(
                app, key: key, ["text": "浦东新区这边一直有问题，希望管一管", "channel": "wechat"])
            let id = try #require(queued?.id)
            let cookie = try await ConsoleTests.signIn(
                app, username: "pd.op", unit: "310115.operations_centre", role: .districtOperator)
            try await app.testing().test(.GET, "/console/triage", headers: ["Cookie": cookie]) { res in
                #expect(res.body.string.contains("<header>#\(id) · 微信 · "))
            }
            try await app.testing().test(.GET, "/console/triage?lang=en", headers: ["Cookie": cookie]) { res in
                #expect(res.body.string.contains("<header>#\(id) · WeChat · "))
            }
        }
    }

    @Test func theTriageDeskShowsTheRoutersSuggestionAndItsEvidence() async throws {
        try await TestApp.withApp { app, _ in
            let key = try await TestApp.apiKey(app)
            // A school question with no place: the router is sure of the kind, but nobody knows where.
            let (_, queued, _) = try await HotlineAPITests.post(
                app, key: key, ["text": "孩子今年秋季入学，学区划分问题咨询", "channel": "phone"])
            let route = try #require(queued?.triage?.route)
            #expect(queued?.triage?.outcome.code == "queued")
            #expect(route.unitKind == "education")
            let cookie = try await ConsoleTests.signIn(
                app, username: "city.op", unit: "310000.operations_centre", role: .cityOperator)
            try await app.testing().test(.GET, "/console/triage", headers: ["Cookie": cookie]) { res in
                #expect(res.body.string.contains("派遣建议：\(UnitKind.education.nameZh)"))
                // The evidence in the page's words, the citizen's words it rests on marked as theirs.
                let (ours, own) = ConsoleText.routeEvidence(route, .zh, reference: app.reference)
                #expect(!ours.isEmpty && res.body.string.contains("\(ours) <span data-own-words>\(own)</span>"))
            }
            try await app.testing().test(.GET, "/console/triage?lang=en", headers: ["Cookie": cookie]) { res in
                #expect(res.body.string.contains("Routing suggestion: \(UnitKind.education.nameEn)"))
            }
        }
    }

    @Test func ratesShadeDarkerTheLowerTheyAre() {
        typealias Row = CityScreenCounts.DistrictRow
        #expect(Row.rateShade(0, of: 0) == 0)
        #expect(Row.rateShade(19, of: 20) == 1)
        #expect(Row.rateShade(17, of: 20) == 2)
        #expect(Row.rateShade(14, of: 20) == 3)
        #expect(Row.rateShade(13, of: 20) == 4)
        #expect(Row.countShade(0, most: 5) == 0)
        #expect(Row.countShade(5, most: 5) == 4)
    }
}
