import CityDomain
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// The city screen's vital signs (CityNet issue 11 §5): tiles with value, trend and freshness, a stale value marked
/// and not shown as current, and the district map coloured by a chosen indicator with its legend, in Chinese and
/// English.
@Suite struct VitalTilesTests {
    /// The HTML of one tile (`<a … id="tile-ID" …>…</a>`).
    static func tile(_ html: String, _ id: String) -> String? {
        guard let anchor = html.range(of: "id=\"tile-\(id)\""),
            let start = html[..<anchor.lowerBound].range(of: "<a ", options: .backwards)
        else { return nil }
        let tail = html[start.lowerBound...]
        return tail.range(of: "</a>").map { String(tail[..<$0.lowerBound]) }
    }

    /// The class attribute of district `code`'s path on the map.
    static func pathClass(_ html: String, _ code: String) -> String? {
        guard let match = html.firstMatch(of: try! Regex("<path class=\"([^\"]*)\" id=\"d-\(code)\"")) else {
            return nil
        }
        return match.output[1].substring.map(String.init)
    }

    @Test func tilesShowValueTrendAndFreshnessAndMarkAStaleValue() async throws {
        try await TestApp.withApp { app, clock in
            let token = try await VitalsFixtures.token(app)
            try await VitalsFixtures.register(
                app, token: token, VitalsFixtures.sensor("air", kind: "air_quality", attributes: [("pm25", "GQ")]))
            try await VitalsFixtures.register(
                app, token: token, VitalsFixtures.sensor("pond", kind: "ponding", attributes: [("waterDepth", "cm")]))
            let now = clock.now
            try await VitalsFixtures.batch(
                app, token: token,
                [
                    VitalsFixtures.reading("air", "pm25", 82, at: now.addingTimeInterval(-600)),
                    VitalsFixtures.reading("air", "pm25", 40, at: now.addingTimeInterval(-3 * 3600)),
                    // The ponding gauge fell silent 20 minutes ago (its indicator's maximum age is 15).
                    VitalsFixtures.reading("pond", "waterDepth", 17.5, at: now.addingTimeInterval(-1200)),
                ])
            let cookie = try await ConsoleTests.signIn(
                app, username: "city.op", unit: "310000.operations_centre", role: .cityOperator)
            try await app.testing().test(.GET, "/console", headers: ["Cookie": cookie]) { res in
                #expect(res.status == .ok)
                let html = res.body.string
                let pm25 = try #require(Self.tile(html, "pm25_mean"))
                #expect(pm25.contains("PM2.5 平均浓度") && pm25.contains("82.0<small>µg/m³</small>"))
                #expect(pm25.contains("data-stale=\"false\"") && pm25.contains("band-3"))
                #expect(pm25.contains("class=\"trend worse\"") && pm25.contains("↑ +42.0"))
                #expect(pm25.contains("观测于 09:50"))
                let ponding = try #require(Self.tile(html, "ponding_max"))
                #expect(ponding.contains("data-stale=\"true\"") && ponding.contains(" stale"))
                #expect(ponding.contains("<span class=\"value\">—<small></small>") && !ponding.contains("17.5<small>"))
                #expect(ponding.contains("数据中断 · 最后 17.5 cm（09:40）"))
                let open = try #require(Self.tile(html, "cases_open"))
                // The deep water opened a road-ponding case through its alarm.
                #expect(open.contains("1<small></small>") && open.contains("实时"))
                #expect(!html.contains("暂无体征指标接入"))
            }
            try await app.testing().test(.GET, "/console?lang=en", headers: ["Cookie": cookie]) { res in
                let html = res.body.string
                #expect(Self.tile(html, "pm25_mean")?.contains("Mean PM2.5") == true)
                #expect(Self.tile(html, "ponding_max")?.contains("Stale · last 17.5 cm at 09:40") == true)
                #expect(Self.tile(html, "pm25_mean")?.contains("Observed 09:50") == true)
            }
        }
    }

    @Test func theMapIsColouredByTheChosenIndicatorWithItsLegend() async throws {
        try await TestApp.withApp { app, clock in
            let token = try await VitalsFixtures.token(app)
            try await VitalsFixtures.register(
                app, token: token, VitalsFixtures.sensor("air", kind: "air_quality", attributes: [("pm25", "GQ")]))
            try await VitalsFixtures.register(
                app, token: token,
                IndicatorTests.huangpuSensor("air-hp", kind: "air_quality", attribute: ("pm25", "GQ")))
            try await VitalsFixtures.batch(
                app, token: token,
                [
                    VitalsFixtures.reading("air", "pm25", 120, at: clock.now.addingTimeInterval(-600)),
                    // Huangpu's station last reported three hours ago: stale.
                    VitalsFixtures.reading("air-hp", "pm25", 20, at: clock.now.addingTimeInterval(-3 * 3600)),
                ])
            let cookie = try await ConsoleTests.signIn(
                app, username: "city.op", unit: "310000.operations_centre", role: .cityOperator)
            try await app.testing().test(.GET, "/console", headers: ["Cookie": cookie]) { res in
                let html = res.body.string
                #expect(Self.pathClass(html, "310107") == "district", "no indicator chosen: no indicator colour")
                #expect(!html.contains("id=\"indicator-legend\""))
                #expect(html.contains("<a href=\"/console?indicator=pm25_mean\" data-indicator=\"pm25_mean\">"))
            }
            try await app.testing().test(.GET, "/console?indicator=pm25_mean", headers: ["Cookie": cookie]) { res in
                let html = res.body.string
                #expect(Self.pathClass(html, "310107") == "district ind-4")
                #expect(Self.pathClass(html, "310101") == "district ind-stale")
                #expect(Self.pathClass(html, "310115") == "district ind-none")
                #expect(html.contains("地图颜色：PM2.5 平均浓度"))
                #expect(html.contains("<span class=\"swatch ind-1\"></span>&lt; 35"))
                #expect(html.contains("<span class=\"swatch ind-stale\"></span>数据中断"))
                #expect(html.contains("data-indicator=\"pm25_mean\" class=\"active\""))
                // District links keep the chosen indicator.
                #expect(
                    html.contains("/console?district=310107&amp;indicator=pm25_mean")
                        || html.contains("/console?district=310107&indicator=pm25_mean"))
            }
            // An indicator worse when lower lists its best band first, at the top of its range.
            try await app.testing().test(.GET, "/console?indicator=on_time_rate&lang=en", headers: ["Cookie": cookie]) {
                res in
                let html = res.body.string
                #expect(html.contains("Map colour: On-time closure rate"))
                #expect(html.contains("<span class=\"swatch ind-1\"></span>≥ 95"))
                #expect(Self.pathClass(html, "310107") == "district ind-none", "no case closed: nothing to show")
            }
        }
    }
}
