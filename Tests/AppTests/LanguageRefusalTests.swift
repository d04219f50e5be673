import CityDomain
import Foundation
import Hotline
import Testing
import Vapor
import VaporTesting

@testable import App

/// Refusals of a request's form (bodies, paging, addresses, reporting windows), the government forms' fallback,
/// alarm corrections and the triage desk's model output, in the page's language (CityNet issue 12 §6).
extension LanguageTests {
    /// A queued triage record for `reason`, as intake writes it.
    static func record(reason: HotlineTriageResult.PersonReason) -> HotlineTriageRecord {
        let json: [String: Any] = [
            "outcome": "queued", "reason": reason.description, "theme": "城乡建设", "theme_confidence": 0.5,
            "themes": [], "explanation": [], "category_confidence": 0.4, "category_candidates": [], "evidence": [],
            "region_code": "310115", "region_name": "浦东新区", "locate_method": "none", "region_candidates": [],
            "places": [],
        ]
        var record = try! JSONDecoder().decode(
            HotlineTriageRecord.self, from: JSONSerialization.data(withJSONObject: json))
        record.reasonMessage = reason.message
        return record
    }

    /// Each refusal in English (the API's reason, unchanged) and in Chinese, exactly.
    @Test func formRefusalsKeepTheirEnglishReasonAndSayItInChinese() throws {
        func refusal(_ body: () throws -> Void) -> LocalizedRefusal? {
            do { try body() } catch let error as LocalizedRefusal { return error } catch {}
            return nil
        }
        let cases: [(LocalizedRefusal?, String, String)] = [
            (
                refusal { _ = try PageWindow(limit: 0, offset: nil) }, "limit must be 1…500, got 0",
                "每页条数（limit）须为 1…500，收到 0"
            ),
            (
                refusal { _ = try PageWindow(limit: 10, offset: -1) }, "offset must be 0…1000000, got -1",
                "起始位置（offset）须为 0…1000000，收到 -1"
            ),
            (
                refusal { _ = try CaseCursor(token: "!!") },
                "cursor is not one this server gave (use next_cursor as it came)",
                "翻页标记（cursor）不是本系统给出的，请原样使用 next_cursor"
            ),
            (
                refusal { try MultipartGuard.check(ByteBuffer(), boundary: String(repeating: "b", count: 71)) },
                "the multipart boundary is longer than 70 characters (RFC 2046)", "多部分请求的分隔符超过 70 个字符（RFC 2046）"
            ),
        ]
        for (error, en, zh) in cases {
            let error = try #require(error)
            #expect(error.reason == en)
            #expect(error.message.text(.zh) == zh)
            #expect(error.status == .badRequest)
        }
    }

    /// A body or query that does not decode: the API's English as before, the Chinese with the field named.
    @Test func decodingRefusalsAreWordedInBothLanguages() async throws {
        struct Body: Content {
            var note: String
            var count: Int?
        }
        try await TestApp.withApp { app, _ in
            func refusal(_ body: String, type: HTTPMediaType = .json) -> LocalizedRefusal? {
                let req = Request(
                    application: app, method: .POST, url: "/x", headers: ["Content-Type": type.serialize()],
                    collectedBody: ByteBuffer(string: body), on: app.eventLoopGroup.next())
                do { _ = try req.decodeBody(Body.self) } catch { return error as? LocalizedRefusal }
                return nil
            }
            let expected: [(String, String, String)] = [
                (
                    "", "the request body is empty; send the fields as documented at /openapi.json",
                    "请求内容为空：请按 /openapi.json 的说明提交各字段"
                ),
                ("[1]", "invalid request body: must be a JSON object ({…})", "请求内容须为 JSON 对象（{…}）"),
                ("{}", "invalid request body: missing field 'note'", "请求内容缺少字段 note"),
                (
                    #"{"note": "a", "count": "x"}"#, "invalid request body: field 'count' must be a whole number",
                    "请求内容中字段 count 须为整数"
                ),
                (
                    #"{"note": null}"#, "invalid request body: field 'note' must be a string, not null",
                    "请求内容中字段 note 须为字符串，不能为空值"
                ),
            ]
            for (body, en, zh) in expected {
                let error = try #require(refusal(body), "\(body)")
                #expect(error.reason == en)
                #expect(error.message.text(.zh) == zh)
                #expect(LanguageCheck.englishSentences(in: error.message.text(.zh)).isEmpty)
            }
            let query = Request(
                application: app, method: .GET, url: "/x?count=x", on: app.eventLoopGroup.next())
            do {
                _ = try query.decodeQuery(Body.self)
                Issue.record("decoded")
            } catch let error as LocalizedRefusal {
                #expect(error.reason == "invalid query: field 'note' must be a string, not null")
                #expect(error.message.text(.zh) == "查询参数中字段 note 须为字符串，不能为空值")
            }
        }
    }

    /// A refused reporting window: the trends pages' sentence and league.csv's 400, from one catalogue entry.
    @Test func refusedWindowsAreWordedFromTheCatalogue() {
        let problem = ReportingWindowProblem.tooLong(days: 400)
        #expect(problem.message.text(.zh) == "统计时段最长 366 天，所选为 400 天")
        #expect(problem.message.text(.en) == "A period is at most 366 days; this one is 400")
        #expect(
            ReportingWindowProblem.badDate(field: "to", value: "x").message.text(.zh)
                == "截止日期须为“年-月-日”格式（如 2026-01-31），收到 x")
        #expect(
            LocalizedRefusal(.badRequest, ReportingWindowProblem.unknownWindow("w").message).reason
                == "The period is one of today, 7d, 30d or custom, not 'w'")
    }

    /// The government forms' fallback: another refusal is worded as the console words refusals, never an English
    /// reason on a Chinese page.
    @Test func governmentFormsFallBackToTheCatalogue() {
        #expect(GovConsoleErrors.message(Abort(.notFound, reason: "no such thing"), item: nil, .zh) == "没有找到所请求的内容")
        #expect(GovConsoleErrors.message(Abort(.notFound, reason: "no such thing"), item: nil, .en) == "no such thing")
        #expect(GovConsoleErrors.message(GovApplicationError.tooManyFiles(12), item: nil, .zh) == "提交了 12 个文件，最多 10 个")
        #expect(
            GovConsoleErrors.message(GovApplicationError.tooManyFiles(12), item: nil, .en)
                == "12 files sent; at most 10")
        #expect(
            GovApplicationError.tooManyFiles(12).message?.text(.en) == GovApplicationError.tooManyFiles(12).description)
        #expect(
            GovApplicationError.rule(.illegal(action: .accept, state: .done)).message?.text(.en)
                == GovApplicationError.rule(.illegal(action: .accept, state: .done)).description)
    }

    /// Theme labels and the router's evidence in the page's language; the citizen's words kept apart.
    @Test func modelOutputIsNamedInThePagesLanguage() throws {
        let reference = try CityReference.shanghaiDefault()
        #expect(ConsoleText.themeName("城乡建设", .en) == "Urban and rural construction")
        #expect(ConsoleText.themeName("城乡建设", .zh) == "城乡建设")
        #expect(ConsoleText.themeNames.count == 15)
        for name in ConsoleText.themeNames.values { #expect(LanguageCheck.han(in: name).isEmpty) }
        // A record written now keeps the evidence as a message and the citizen's words; one written before
        // evidence_message is read from its stored text, worded the same.
        let evidence = RouteEvidence.rule(
            category: "road.ponding", triggers: ["积水→road.ponding", "negated 没有:淹→road.ponding"])
        let typed = HotlineTriageRecord.Route(
            RouteSuggestion(
                label: "street_office", confidence: 0.5, ranked: [], evidence: evidence, unitKind: nil, level: nil,
                abstains: true))
        #expect(typed.evidenceMessage == Message("route.rule", ["category": "road.ponding"]))
        #expect(typed.evidenceWords == ["积水", "没有:淹"])
        for route in [typed, try LanguageTests.oldRoute(evidence.description)] {
            let en = ConsoleText.routeEvidence(route, .en, reference: reference)
            #expect(en.ours == "by the rule for Road ponding, on the words")
            #expect(en.own == "积水, 没有:淹")
            let zh = ConsoleText.routeEvidence(route, .zh, reference: reference)
            #expect(zh.ours == "依据“道路积水”类别的规则，关键词：")
            #expect(zh.own == "积水、没有:淹")
        }
        let learned = ConsoleText.routeEvidence(try Self.oldRoute("learned 工地 施工"), .en, reference: reference)
        #expect(learned.ours == "by the text model, on the fragments")
        #expect(learned.own == "工地, 施工")
        #expect(ConsoleText.routeEvidence(try Self.oldRoute("other"), .en, reference: reference) == ("", "other"))
    }

    /// A router suggestion as a record written before `evidence_message` stored it: the evidence as text only.
    static func oldRoute(_ evidence: String) throws -> HotlineTriageRecord.Route {
        let json = #"{"label":"street_office","confidence":0.5,"abstains":true,"ranked":[],"evidence":"\#(evidence)"}"#
        return try JSONDecoder().decode(HotlineTriageRecord.Route.self, from: Data(json.utf8))
    }

    /// Pages and answers of items refused for their form, in each language: the incident room's unknown incident
    /// and id, league.csv's refused window and the alarm desk's unknown alarm, each with its exact sentence and
    /// no sentence of the other language; the triage desk with a queued call shows no Han character in English
    /// but the citizen's own words.
    @Test func refusalPagesShowNoSentenceOfTheOtherLanguage() async throws {
        try await TestApp.withApp(routerThreshold: 1) { app, clock in
            _ = try await TriageDeskTests.queue(app, clock: clock, [TriageDeskTests.vague[0]])
            let cookie = try await ConsoleTests.signIn(
                app, username: "pd.op", unit: "310115.operations_centre", role: .districtOperator)
            let expected: [(String, HTTPStatus, String, String)] = [
                ("/console/incidents/99999", .notFound, "事件 99999 不存在或不在您的管辖范围内", "incident 99999 not found"),
                ("/console/incidents/abc", .badRequest, "事件编号须为整数", "incident id must be an integer"),
                (
                    "/console/league.csv?window=bogus", .badRequest, "统计时段只能是 today、7d、30d 或 custom，收到 bogus",
                    "The period is one of today, 7d, 30d or custom, not &#39;bogus&#39;"
                ),
            ]
            for language in ["zh", "en"] {
                let withLanguage = cookie + "; \(ConsoleSession.languageCookie)=\(language)"
                for (path, status, zh, en) in expected {
                    try await app.testing().test(.GET, path, headers: ["Cookie": withLanguage]) { res in
                        #expect(res.status == status, "\(path)")
                        let body = res.body.string
                        #expect(body.contains(language == "zh" ? zh : en), "\(path) \(language): \(body)")
                        Self.expectOneLanguage(body, language, path, ownWords: [])
                    }
                }
                try await app.testing().test(
                    .POST, "/console/alarms/abc/acknowledge",
                    beforeRequest: { req in
                        req.headers.replaceOrAdd(name: .cookie, value: withLanguage)
                        try req.content.encode(
                            ["_csrf": ConsoleTests.csrf(forCookie: cookie)], as: .urlEncodedForm)
                    },
                    afterResponse: { res in
                        #expect(res.status == .notFound)
                        #expect(res.body.string.contains(language == "zh" ? "告警 abc 不存在" : "no alarm abc"))
                        Self.expectOneLanguage(res.body.string, language, "alarm", ownWords: [])
                    })
                try await app.testing().test(.GET, "/console/triage", headers: ["Cookie": withLanguage]) { res in
                    let body = res.body.string
                    #expect(body.contains(TriageDeskTests.vague[0]))
                    Self.expectOneLanguage(body, language, "triage", ownWords: [TriageDeskTests.vague[0]])
                }
            }
        }
    }

    /// A page's visible text in `language` holds no sentence of the other (own words cut out).
    static func expectOneLanguage(_ html: String, _ language: String, _ what: String, ownWords: [String]) {
        let text = LanguageCheck.visibleText(html, without: ownWords)
        if language == "zh" {
            #expect(LanguageCheck.englishSentences(in: text).isEmpty, "\(what) zh: \(text)")
        } else {
            #expect(LanguageCheck.han(in: text).isEmpty, "\(what) en: \(text)")
        }
    }
}
