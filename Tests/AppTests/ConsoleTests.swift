import AsyncHTTPClient
import CityDomain
import Fluent
import Testing
import Vapor
import VaporTesting

@testable import App

/// The operations console: sign-in with CSRF, the city screen, the case desk and case page with their actions, the
/// triage desk, scoping, escaping and the live event stream.
@Suite struct ConsoleTests {
    /// Signs in through the login form; returns the `Cookie` header value of the session.
    static func signIn(_ app: Application, username: String, unit: String, role: OperatorRole) async throws -> String {
        _ = try await Access.createOperator(
            username: username, password: "correct horse 1", unitCode: unit, role: role, reference: app.reference,
            on: app.db, now: app.clock.now())
        var loginToken = ""
        try await app.testing().test(.GET, "/console/login") { res in
            #expect(res.status == .ok)
            loginToken = res.headers.setCookie?[ConsoleSession.loginCookie]?.string ?? ""
        }
        var session = ""
        try await app.testing().test(
            .POST, "/console/login",
            beforeRequest: { req in
                req.headers.cookie = [ConsoleSession.loginCookie: .init(string: loginToken)]
                try req.content.encode(
                    ["username": username, "password": "correct horse 1", "_csrf": loginToken, "next": "/console"],
                    as: .urlEncodedForm)
            },
            afterResponse: { res in
                #expect(res.status == .seeOther)
                let cookie = try #require(res.headers.setCookie?[ConsoleSession.cookie])
                #expect(cookie.isHTTPOnly)
                #expect(cookie.sameSite == .strict)
                session = cookie.string
            })
        return "\(ConsoleSession.cookie)=\(session)"
    }

    /// The one-time message a console redirect carried (`ok:…` or `error:…`), decoded.
    static func flash(_ res: TestingHTTPResponse) -> String {
        res.headers.setCookie?[ConsoleSession.flashCookie]?.string.removingPercentEncoding ?? ""
    }

    static func csrf(forCookie cookie: String) -> String {
        ConsoleSession.csrfToken(forSession: String(cookie.dropFirst(ConsoleSession.cookie.count + 1)))
    }

    @Test func signInNeedsTheFormTokenAndTheRightPassword() async throws {
        try await TestApp.withApp { app, _ in
            _ = try await Access.createOperator(
                username: "pd.op", password: "correct horse 1", unitCode: "310115.operations_centre",
                role: .districtOperator, reference: app.reference, on: app.db, now: app.clock.now())
            try await app.testing().test(.GET, "/console") { res in
                #expect(res.status == .seeOther)
                #expect(res.headers.first(name: .location)?.hasPrefix("/console/login?next=") == true)
            }
            try await app.testing().test(
                .POST, "/console/login",
                beforeRequest: { req in
                    try req.content.encode(["username": "pd.op", "password": "correct horse 1"], as: .urlEncodedForm)
                }, afterResponse: { res in #expect(res.status == .forbidden) })
            try await app.testing().test(
                .POST, "/console/login",
                beforeRequest: { req in
                    let token = Access.newSecret()
                    req.headers.cookie = [ConsoleSession.loginCookie: .init(string: token)]
                    try req.content.encode(
                        ["username": "pd.op", "password": "wrong", "_csrf": token], as: .urlEncodedForm)
                },
                afterResponse: { res in
                    #expect(res.status == .unauthorized)
                    #expect(res.body.string.contains("用户名或密码错误"))
                    #expect(res.headers.setCookie?[ConsoleSession.cookie] == nil)
                })
            #expect(ConsoleLoginController.safeNext("https://evil.example/") == "/console")
            #expect(ConsoleLoginController.safeNext("//evil.example/console") == "/console")
            #expect(ConsoleLoginController.safeNext("/console/cases/3") == "/console/cases/3")
            #expect(
                ConsoleLoginController.safeNext("/console/cases?state=dispatched&overdue=1")
                    == "/console/cases?state=dispatched&overdue=1")
            #expect(ConsoleLoginController.safeNext("/console\r\nSet-Cookie: pwned=1") == "/console")
            #expect(ConsoleLoginController.safeNext("/console/<script>") == "/console")
            // An empty login token (cookie and field both blank) is no token.
            try await app.testing().test(
                .POST, "/console/login",
                beforeRequest: { req in
                    req.headers.cookie = [ConsoleSession.loginCookie: .init(string: "")]
                    try req.content.encode(
                        ["username": "pd.op", "password": "correct horse 1", "_csrf": ""], as: .urlEncodedForm)
                }, afterResponse: { res in #expect(res.status == .forbidden) })
            // A crafted next with CR/LF cannot add a header to the answer.
            try await app.testing().test(.GET, "/console/login?next=%2Fconsole%0D%0ASet-Cookie:%20pwned=1") { res in
                #expect(res.body.string.contains("name=\"next\" value=\"/console\""))
            }
        }
    }

    @Test func cityScreenDrawsTheDistrictsAndCountsInScope() async throws {
        try await TestApp.withApp { app, _ in
            _ = try await CaseWorkflowAPITests.register(app, category: "road.ponding", lat: 31.2397, long: 121.4998)
            _ = try await CaseWorkflowAPITests.register(app, category: "road.ponding", lat: 31.2304, long: 121.4737)
            let city = try await Self.signIn(
                app, username: "city.op", unit: "310000.operations_centre", role: .cityOperator)
            try await app.testing().test(.GET, "/console", headers: ["Cookie": city]) { res in
                #expect(res.status == .ok)
                let html = res.body.string
                #expect(html.components(separatedBy: "<path class=\"district\"").count - 1 == 16)
                #expect(html.contains("黄浦区"))
                #expect(html.contains("id=\"open-total\">2<"))
                #expect(html.contains("一屏观全城"))
                #expect(res.headers.first(name: "Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
            }
            try await app.testing().test(.GET, "/console?district=310115&lang=en", headers: ["Cookie": city]) { res in
                #expect(res.body.string.contains("City screen"))
                // The way back to Chinese keeps the district.
                #expect(res.body.string.contains("href=\"/console?district=310115&amp;lang=zh\""))
                #expect(res.headers.setCookie?[ConsoleSession.languageCookie]?.string == "en")
            }
            let pudong = try await Self.signIn(
                app, username: "pd.op", unit: "310115.operations_centre", role: .districtOperator)
            try await app.testing().test(.GET, "/console", headers: ["Cookie": pudong]) { res in
                #expect(res.body.string.contains("id=\"open-total\">1<"))
            }
            try await app.testing().test(.GET, "/console?district=310115", headers: ["Cookie": city]) { res in
                #expect(res.body.string.contains("id=\"open-total\">1<"))
                // The league still shows Huangpu's real count beside the chosen district, for comparison.
                #expect(
                    res.body.string.contains(#"<a href="/console?district=310101">黄浦区</a></td><td class="open">1<"#))
                #expect(res.body.string.contains("data-district=\"310115\""))
            }
            // The feed as the page first shows it: the dispatch steps, with case number, category and unit.
            try await app.testing().test(.GET, "/console", headers: ["Cookie": pudong]) { res in
                let html = res.body.string
                #expect(html.contains("<li data-case=\"1\">"))
                #expect(!html.contains("<li data-case=\"2\">"))
                #expect(html.contains("浦东新区水务局"))
            }
        }
    }

    @Test func casePageShowsTextAsTextAndActsOnlyWithTheFormToken() async throws {
        try await TestApp.withApp { app, _ in
            let intake = IntakeReport(
                source: .api, categoryCode: "road.ponding", description: "积水<script>alert('x')</script>",
                point: try GeoPoint(latitude: 31.2397, longitude: 121.4998), actor: "test")
            let stored = try await CaseIntake.register(
                intake, reference: app.reference, gate: app.writeGate, now: app.clock.now(), logger: app.logger)
            let id = try stored.case.requireID()
            let other = try await CaseWorkflowAPITests.register(
                app, category: "road.ponding", lat: 31.2304, long: 121.4737)
            let cookie = try await Self.signIn(
                app, username: "pd.op", unit: "310115.operations_centre", role: .districtOperator)
            try await app.testing().test(.GET, "/console/cases/\(id)", headers: ["Cookie": cookie]) { res in
                #expect(res.status == .ok)
                let html = res.body.string
                #expect(html.contains("积水&lt;script&gt;alert("))
                #expect(!html.contains("<script>alert"))
                // Exactly what the role may do: a district operator suspends; returning is the unit's call.
                #expect(html.contains("data-action=\"suspend\""))
                #expect(!html.contains("data-action=\"return\""))
            }
            try await app.testing().test(.GET, "/console/cases/\(other)", headers: ["Cookie": cookie]) { res in
                #expect(res.status == .notFound)
            }
            try await app.testing().test(
                .POST, "/console/cases/\(id)/actions", headers: ["Cookie": cookie],
                beforeRequest: { req in
                    try req.content.encode(["action": "suspend", "note": "等待产权单位"], as: .urlEncodedForm)
                }, afterResponse: { res in #expect(res.status == .forbidden) })
            #expect(try await Case.find(id, on: app.db)?.state == .dispatched)
            try await app.testing().test(
                .POST, "/console/cases/\(id)/actions", headers: ["Cookie": cookie],
                beforeRequest: { req in
                    try req.content.encode(
                        ["action": "return", "note": "不属本街道", "_csrf": Self.csrf(forCookie: cookie)],
                        as: .urlEncodedForm)
                },
                afterResponse: { res in
                    #expect(res.status == .seeOther)
                    // In the page's language (issue 12 §6), the role and action named.
                    #expect(Self.flash(res) == "error:您的角色（区城运中心操作员）不能执行“退回”")
                })
            // A long note (the form allows 2,000 characters) arrives in several reads: the token is still found.
            try await app.testing().test(
                .POST, "/console/cases/\(id)/actions", headers: ["Cookie": cookie],
                beforeRequest: { req in
                    try req.content.encode(
                        [
                            "action": "escalate", "note": String(repeating: "汉", count: 1900),
                            "_csrf": Self.csrf(forCookie: cookie),
                        ],
                        as: .urlEncodedForm)
                }, afterResponse: { res in #expect(res.status == .seeOther) })
            try await app.testing().test(
                .POST, "/console/cases/\(id)/actions", headers: ["Cookie": cookie],
                beforeRequest: { req in
                    try req.content.encode(
                        ["action": "suspend", "note": "等待产权单位", "_csrf": Self.csrf(forCookie: cookie)],
                        as: .urlEncodedForm)
                },
                afterResponse: { res in
                    #expect(res.status == .seeOther)
                    #expect(Self.flash(res).hasPrefix("ok:"))
                })
            #expect(try await Case.find(id, on: app.db)?.state == .suspended)
            try await app.testing().test(.GET, "/console/cases/\(id)", headers: ["Cookie": cookie]) { res in
                // Times on the timeline, in Asia/Shanghai (the test clock's Friday 2024-09-27 10:00 +08:00).
                #expect(res.body.string.contains("<time>2024-09-27 10:00</time>"))
            }
            // Another district's case: a console page (not JSON) with the security headers.
            try await app.testing().test(.GET, "/console/cases/\(other)", headers: ["Cookie": cookie]) { res in
                #expect(res.status == .notFound)
                #expect(res.headers.contentType?.subType == "html")
                #expect(res.headers.first(name: "Content-Security-Policy") != nil)
            }
            // Nobody can put words in the message box through the address bar.
            try await app.testing().test(.GET, "/console/cases/\(id)?error=密码已过期", headers: ["Cookie": cookie]) { res in
                #expect(!res.body.string.contains("密码已过期"))
            }
            let event = try await CaseEvent.query(on: app.db).filter(\.$caseID == id).sort(\.$id, .descending).first()
            #expect(event?.actor == "pd.op")
            #expect(event?.note == "等待产权单位")
        }
    }

    @Test func theDeskPagesThroughALongQueue() async throws {
        try await TestApp.withApp { app, _ in
            for _ in 0..<(CaseDeskController.pageSize + 5) {
                _ = try await CaseWorkflowAPITests.register(app, category: "road.ponding", lat: 31.2397, long: 121.4998)
            }
            let cookie = try await Self.signIn(
                app, username: "pd.op", unit: "310115.operations_centre", role: .districtOperator)
            var next = ""
            try await app.testing().test(.GET, "/console/cases?overdue=0", headers: ["Cookie": cookie]) { res in
                let html = res.body.string
                #expect(html.components(separatedBy: "<tr class=").count - 1 == CaseDeskController.pageSize)
                #expect(html.contains("<span title=\"第 1 页，共 2 页\">1 / 2</span>"))
                #expect(!html.contains("id=\"previous-page\""))
                let link = html.range(of: #"href="[^"]*" id="next-page""#, options: .regularExpression)
                next = link.map { String(html[$0].dropFirst(6).prefix { $0 != "\"" }) } ?? ""
            }
            // The next page is named by the last case shown (keyset paging), not by a number of cases to skip.
            #expect(next.hasPrefix("/console/cases?after=") && next.hasSuffix("&amp;page=2"))
            try await app.testing().test(
                .GET, next.replacingOccurrences(of: "&amp;", with: "&"), headers: ["Cookie": cookie]
            ) { res in
                let html = res.body.string
                #expect(html.components(separatedBy: "<tr class=").count - 1 == 5)
                #expect(html.contains("<span title=\"第 2 页，共 2 页\">2 / 2</span>"))
                #expect(html.contains("href=\"/console/cases\" id=\"first-page\""))
                #expect(html.contains("id=\"previous-page\"") && !html.contains("id=\"next-page\""))
            }
            // The old numbered link answers the first page.
            try await app.testing().test(.GET, "/console/cases?page=99", headers: ["Cookie": cookie]) { res in
                #expect(res.body.string.contains("<span title=\"第 1 页，共 2 页\">1 / 2</span>"))
            }
        }
    }

    @Test func deskListsTheQueueAndTriageDeskDispatchesWithOneClick() async throws {
        try await TestApp.withApp(routerThreshold: 1) { app, _ in
            let key = try await TestApp.apiKey(app)
            let (_, queued, _) = try await HotlineAPITests.post(
                app, key: key, ["text": "浦东新区花木街道这边最近一直有问题，希望有关部门管一管", "channel": "phone"])
            let reportID = try #require(queued?.id)
            _ = try await CaseWorkflowAPITests.register(app, category: "road.ponding", lat: 31.2397, long: 121.4998)
            let cookie = try await Self.signIn(
                app, username: "pd.op", unit: "310115.operations_centre", role: .districtOperator)
            try await app.testing().test(.GET, "/console/cases", headers: ["Cookie": cookie]) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("道路积水") || res.body.string.contains("积水"))
            }
            try await app.testing().test(.GET, "/console/triage", headers: ["Cookie": cookie]) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("id=\"report-\(reportID)\""))
            }
            try await app.testing().test(
                .POST, "/console/triage/\(reportID)", headers: ["Cookie": cookie],
                beforeRequest: { req in
                    try req.content.encode(
                        ["category_code": "sanitation.garbage", "_csrf": Self.csrf(forCookie: cookie)],
                        as: .urlEncodedForm)
                },
                afterResponse: { res in
                    #expect(res.status == .seeOther)
                    #expect(Self.flash(res).hasPrefix("ok:"))
                })
            #expect(try await Report.find(reportID, on: app.db)?.triageState == .done)
            #expect(try await TrainingExample.query(on: app.db).count() == 1)
            let (_, question, _) = try await HotlineAPITests.post(
                app, key: key, ["text": "浦东新区花木街道请问社保卡怎么补办", "channel": "web"])
            let questionID = try #require(question?.id)
            try await app.testing().test(
                .POST, "/console/triage/\(questionID)", headers: ["Cookie": cookie],
                beforeRequest: { req in
                    try req.content.encode(
                        [
                            "dismiss": "true", "note": "咨询类，已转12333", "category_code": "", "region_code": "",
                            "_csrf": Self.csrf(forCookie: cookie),
                        ], as: .urlEncodedForm)
                },
                afterResponse: { res in
                    #expect(Self.flash(res).hasPrefix("ok:"))
                })
            #expect(try await Report.find(questionID, on: app.db)?.triageState == .dismissed)
            let worker = try await Self.signIn(
                app, username: "grid", unit: "310115105.operations_centre", role: .gridWorker)
            try await app.testing().test(.GET, "/console/triage", headers: ["Cookie": worker]) { res in
                #expect(res.status == .forbidden)
            }
            try await app.testing().test(.GET, "/console/cases", headers: ["Cookie": worker]) { res in
                #expect(!res.body.string.contains("href=\"/console/triage\""))
            }
        }
    }

    @Test func aNewReportReachesAnOpenEventStream() async throws {
        try await TestApp.withApp { app, _ in
            let cookie = try await Self.signIn(
                app, username: "pd.op", unit: "310115.operations_centre", role: .districtOperator)
            // History: a case from before the stream opened is not sent as new.
            let old = try await CaseWorkflowAPITests.register(
                app, category: "road.ponding", lat: 31.2397, long: 121.4998)
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            let port = try #require(app.http.server.shared.localAddress?.port)
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/console/events")
            request.headers.add(name: "Cookie", value: cookie)
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
            #expect(response.status == .ok)
            #expect(response.headers.first(name: "Content-Type")?.hasPrefix("text/event-stream") == true)
            try await Task.sleep(for: .milliseconds(700))  // the feed has read where the audit trail ends
            // One case in 黄浦 (outside the operator's scope), then one in 浦东; the clock starts at its commit.
            _ = try await CaseWorkflowAPITests.register(app, category: "road.ponding", lat: 31.2304, long: 121.4737)
            let visible = try await CaseWorkflowAPITests.register(
                app, category: "road.ponding", lat: 31.2397, long: 121.4998)
            let started = ContinuousClock.now
            var received = ""
            for try await chunk in response.body {
                received += String(buffer: chunk)
                if received.contains("\"case_id\":\(visible)") || ContinuousClock.now - started > .seconds(10) { break }
            }
            #expect(received.contains("event: case"))
            // First it says which session it serves (the key the session's pages carry).
            #expect(
                received.contains(
                    "event: session\ndata: {\"live_key\":\"\(ConsoleSession.liveKey(csrf: Self.csrf(forCookie: cookie)))\"}"
                ))
            #expect(received.contains("\"case_id\":\(visible)"))
            #expect(!received.contains("\"case_id\":\(visible - 1)"))
            #expect(!received.contains("\"case_id\":\(old),") && !received.contains("\"case_id\":\(old)}"))
            // The 2-second promise is checked in the browser test against a server of its own
            // (Tests/Browser/console_browser.py); here, among hundreds of parallel tests, only delivery is.
            await app.server.shutdown()
        }
    }

    @Test func aBrowserLeavingTheStreamDoesNotHurtTheServer() async throws {
        try await TestApp.withApp { app, _ in
            let cookie = try await Self.signIn(
                app, username: "pd.op", unit: "310115.operations_centre", role: .districtOperator)
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            // The server is shut down whatever happens: a failed expectation or a thrown error must not leave it
            // running (Vapor then asserts at deinit and takes the whole test run down).
            do {
                try await Self.leaveTheStreamAndCheckHealth(app, cookie: cookie)
            } catch {
                await app.server.shutdown()
                throw error
            }
            await app.server.shutdown()
        }
    }

    /// Opens the event stream, drops the connection mid-stream, makes the server write three events into it, and
    /// checks `/health` still answers.
    private static func leaveTheStreamAndCheckHealth(_ app: Application, cookie: String) async throws {
        let port = try #require(app.http.server.shared.localAddress?.port)
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/console/events")
        request.headers.add(name: "Cookie", value: cookie)
        do {
            let response = try await client.execute(request, timeout: .seconds(60))
            #expect(response.status == .ok)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()  // the browser goes away mid-stream
        try await Task.sleep(for: .milliseconds(700))
        for _ in 0..<3 {  // events the server then fails to write
            _ = try await CaseWorkflowAPITests.register(app, category: "road.ponding", lat: 31.2397, long: 121.4998)
        }
        try await Task.sleep(for: .milliseconds(1200))
        var health = HTTPClientRequest(url: "http://127.0.0.1:\(port)/health")
        health.method = .GET
        let alive = try await HTTPClient.shared.execute(health, timeout: .seconds(60))
        #expect(alive.status == .ok)
    }
}
