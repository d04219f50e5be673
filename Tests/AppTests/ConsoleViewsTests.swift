@testable import App
import CityDomain
import Fluent
import Testing
import Vapor
import VaporTesting

/// The console in English (names of regions, categories, units and states too) and the map's colour measures.
@Suite struct ConsoleViewsTests {
    @Test func englishModeNamesRegionsCategoriesUnitsAndStates() async throws {
        try await TestApp.withApp { app, _ in
            let id = try await CaseWorkflowAPITests.register(app, category: "road.ponding", lat: 31.2397, long: 121.4998)
            let cookie = try await ConsoleTests.signIn(app, username: "pd.op", unit: "310115.operations_centre", role: .districtOperator)
            try await app.testing().test(.GET, "/console?lang=en", headers: ["Cookie": cookie]) { res in
                let html = res.body.string
                #expect(html.contains(">Pudong New Area</text>"))  // the map label
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
                #expect(res.body.string.contains("<td>Road ponding<div"))
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
            let cookie = try await ConsoleTests.signIn(app, username: "city.op", unit: "310000.operations_centre", role: .cityOperator)
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
            let later = try await ConsoleTests.signIn(app, username: "city.op2", unit: "310000.operations_centre", role: .cityOperator)
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
            let first = try await ConsoleTests.signIn(app, username: "city.a", unit: "310000.operations_centre", role: .cityOperator)
            let second = try await ConsoleTests.signIn(app, username: "city.b", unit: "310000.operations_centre", role: .cityOperator)
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

    @Test func ratesShadeDarkerTheLowerTheyAre() {
        typealias Row = CityScreenController.DistrictRow
        #expect(Row.rateShade(0, of: 0) == 0)
        #expect(Row.rateShade(19, of: 20) == 1)
        #expect(Row.rateShade(17, of: 20) == 2)
        #expect(Row.rateShade(14, of: 20) == 3)
        #expect(Row.rateShade(13, of: 20) == 4)
        #expect(Row.countShade(0, most: 5) == 0)
        #expect(Row.countShade(5, most: 5) == 4)
    }
}
