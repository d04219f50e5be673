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
            // Without the script the form still goes to the server, which verifies the same way.
            try await GovPages.send(app, .GET, "/console/citizen/status-check?code=\(code)", cookie: "") { res in
                #expect(res.body.string.contains("data-outcome=\"valid\"") && res.body.string.contains("黄码"))
                #expect(res.body.string.contains("data-checked-by=\"server\""))
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

    /// The `data-checkpoint` JSON of a checkpoint page, unescaped from its attribute.
    static func checkpoint(_ page: String) throws -> [String: Any] {
        let start = try #require(page.range(of: "data-checkpoint=\""))
        let escaped = page[start.upperBound...].prefix { $0 != "\"" }
        let text = escaped.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func theCheckpointPageCarriesWhatItsScriptNeedsToVerifyOffline() async throws {
        try await TestApp.withApp { app, _ in
            try await GovPages.send(app, .GET, "/console/citizen/status-check", cookie: "") { res in
                let page = res.body.string
                #expect(res.status == .ok)
                #expect(page.contains("<script src=\"/console/assets/status-check.js\" defer></script>"))
                let data = try Self.checkpoint(page)
                #expect(data["keys_url"] as? String == "/api/v1/status-code-keys")
                #expect(data["revocations_url"] as? String == "/api/v1/status-code-revocations")
                #expect(data["clock_skew"] as? Int == 60 && data["refresh_grace"] as? Int == 600)
                #expect(data["keys_max_age"] as? Int == 3600 && data["list_max_age"] as? Int == 60)
                #expect(data["rule_set_version"] as? Int == 1)
                let categories = try #require(data["categories"] as? [[String: Any]])
                #expect(categories.compactMap { $0["code"] as? String } == ["green", "yellow", "red"])
                #expect(categories[1]["name_zh"] as? String == "黄码" && categories[1]["colour"] as? String == "#c79100")
                let outcomes = try #require(data["outcomes"] as? [String: String])
                #expect(Set(outcomes.keys) == Set(StatusCodeCheck.Outcome.allCases.map(\.rawValue)))
                #expect(outcomes["valid"] == "有效" && outcomes["unknown_key"] == "未知签名密钥")
                let reasons = try #require(data["reasons"] as? [String: String])
                #expect(reasons["expired"] == "已于 {until} 过期：请刷新状态码")
                #expect(reasons["unknown_key"]?.contains("“{detail}”") == true)
                let words = try #require(data["words"] as? [String: String])
                #expect(words["cache"]?.contains("{keys}") == true && words["cache"]?.contains("{list}") == true)
            }
            try await GovPages.send(app, .GET, "/console/citizen/status-check?lang=en", cookie: "") { res in
                let data = try Self.checkpoint(res.body.string)
                #expect((data["outcomes"] as? [String: String])?["tampered"] == "Tampered")
                #expect(
                    (data["reasons"] as? [String: String])?["unknown_key"]
                        == "signed with key '{detail}', which this checkpoint does not know")
            }
            try await GovPages.send(app, .GET, "/console/assets/status-check.js", cookie: "") { res in
                #expect(res.status == .ok)
                #expect(res.headers.contentType?.subType == "javascript")
                let script = res.body.string
                #expect(script.contains("crypto.subtle.verify({name: \"Ed25519\"}"))
                #expect(script.contains("localStorage"))
            }
            // Its service worker may control the checkpoint page (and only it), so the page reopens offline.
            try await GovPages.send(app, .GET, "/console/assets/status-check-sw.js", cookie: "") { res in
                #expect(res.status == .ok)
                #expect(res.headers.first(name: "Service-Worker-Allowed") == "/console/citizen/status-check")
            }
            try await GovPages.send(app, .GET, "/console/assets/licence.js", cookie: "") { res in
                #expect(res.headers.first(name: "Service-Worker-Allowed") == nil)
            }
        }
    }

    /// The reasons the page fills in are the judgement's own: with the times put back, each equals what
    /// ``CityDomain/StatusCodeCheck`` says for that outcome.
    @Test func theReasonTemplatesAreTheJudgementsWords() {
        let claims = StatusCodeCheck.Claims(
            subject: "s", category: "yellow", issuedAt: 1_796_000_000, expiresAt: 1_796_000_300)
        let (skew, grace) = (StatusCodeCheck.clockSkew, StatusCodeCheck.refreshGrace)
        let cases: [(String, StatusCodeCheck)] = [
            ("revoked", .judged(claims, revoked: true, revocation: .checked, now: claims.issuedAt)),
            (
                "replayed",
                .judged(claims, revoked: false, revocation: .checked, now: claims.expiresAt + skew + grace + 1)
            ),
            ("expired", .judged(claims, revoked: false, revocation: .checked, now: claims.expiresAt + skew + 1)),
            ("not_yet_valid", .judged(claims, revoked: false, revocation: .checked, now: claims.issuedAt - skew - 1)),
            ("valid_checked", .judged(claims, revoked: false, revocation: .checked, now: claims.issuedAt)),
            ("valid_stale", .judged(claims, revoked: false, revocation: .stale, now: claims.issuedAt)),
            ("valid_no_list", .judged(claims, revoked: false, revocation: .listInvalid, now: claims.issuedAt)),
            ("tampered", .refused(.tampered, detail: "")),
            ("unknown_key", .refused(.unknownKey, detail: "k9")),
            ("malformed", .refused(.malformed, detail: "no key id (kid)")),
        ]
        for zh in [true, false] {
            let templates = StatusCheckpoint.reasonTemplates(zh: zh)
            #expect(templates.count == cases.count)
            for (name, check) in cases {
                let filled = templates[name]?.replacingOccurrences(
                    of: "{issued}", with: StatusRuleSet.shanghaiTime(claims.issuedAt)
                )
                .replacingOccurrences(of: "{until}", with: StatusRuleSet.shanghaiTime(claims.expiresAt))
                .replacingOccurrences(of: "{detail}", with: name == "unknown_key" ? "k9" : "no key id (kid)")
                #expect(filled == (zh ? check.reasonZh : check.reasonEn), "\(name) zh=\(zh)")
                #expect(templates[name]?.contains("1970") == false)
            }
        }
    }
}
