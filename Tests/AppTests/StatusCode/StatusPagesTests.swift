import CityDomain
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

@Suite struct StatusPagesTests {
    @Test func theStatusPageShowsTheReasonSourcesAndAQRThatTheCheckpointPageAccepts() async throws {
        try await TestApp.withApp { app, clock in
            let citizen = try await GovPages.citizen(app)
            let keys = try await StatusFixtures.sourceKeys(app)
            try await StatusFixtures.send(
                app, .carrier, key: keys[.carrier],
                [StatusFixtures.fact("c-1", kind: "presence", value: "high_risk_area", ago: 3600, now: clock.now)])
            var code = ""
            try await GovPages.send(app, .GET, "/console/citizen/status", cookie: citizen.cookie) { res in
                let page = res.body.string
                #expect(res.status == .ok)
                #expect(page.contains("data-category=\"yellow\"") && page.contains("黄码"))
                #expect(page.contains("高风险地区"))
                #expect(page.contains("通信运营商位置记录"))
                #expect(page.contains("<svg") && page.contains("id=\"appeal-button\""))
                // Reloaded by script a minute before the 5-minute code expires (no meta refresh: axe's meta-refresh).
                #expect(page.contains("data-reload-after=\"240\"") && !page.contains("http-equiv"))
                let start = try #require(
                    page.range(
                        of: "id=\"status-code-text\" aria-label=\"状态码\" readonly rows=\"4\" spellcheck=\"false\">"))
                code = String(page[start.upperBound...].prefix { $0 != "<" })
            }
            try await GovPages.send(app, .GET, "/console/citizen/status?lang=en", cookie: citizen.cookie) { res in
                #expect(res.body.string.contains("Yellow") && res.body.string.contains("high-risk area"))
            }
            try await GovPages.send(app, .GET, "/console/citizen/status-check?code=\(code)", cookie: "") { res in
                #expect(res.body.string.contains("data-outcome=\"valid\"") && res.body.string.contains("黄码"))
            }
            try await GovPages.send(app, .GET, "/console/citizen/status-check?code=abc&lang=en", cookie: "") { res in
                #expect(res.body.string.contains("data-outcome=\"malformed\""))
                #expect(res.body.string.contains("Malformed"))
            }
            try await GovPages.send(
                app, .POST, "/console/citizen/status/appeal", cookie: citizen.cookie,
                form: ["_csrf": citizen.csrf, "statement": "我没有去过该地区"]
            ) { res in #expect(res.status == .seeOther) }
            try await GovPages.send(app, .GET, "/console/citizen/status", cookie: citizen.cookie) { res in
                #expect(res.body.string.contains("id=\"appeal-case\""))
            }
        }
    }
}
