import CityDomain
import Fluent
import Testing
import Vapor
import VaporTesting

@testable import App

/// 回访 after closure through the API and the console, and splitting a merged report off from the case page
/// (CityNet issue 12 §9).
@Suite struct CaseCallbackAPITests {
    /// A ponding case in Pudong taken to closed by its caseworker and the district centre; returns its id and the
    /// centre's token.
    static func closedCase(_ app: Application) async throws -> (id: Int, centre: String) {
        let id = try await CaseWorkflowAPITests.register(app, category: "road.ponding", lat: 31.2397, long: 121.4998)
        let worker = try await TestApp.login(app, username: "pd.water", unit: "310115.water", role: .caseworker)
        let centre = try await TestApp.login(
            app, username: "pd.centre", unit: "310115.operations_centre", role: .districtOperator)
        for (token, body) in [
            (worker, ["action": "start"]), (worker, ["action": "resolve", "note": "已抽排积水"]),
            (centre, ["action": "verify"]), (centre, ["action": "close"]),
        ] {
            try await CaseWorkflowAPITests.act(app, token: token, caseID: id, body) { #expect($0.status == .ok) }
        }
        return (id, centre)
    }

    @Test func theCentreRecordsTheCallbackAndReopensOnDissatisfaction() async throws {
        try await TestApp.withApp { app, clock in
            let (id, centre) = try await Self.closedCase(app)
            let closedAt = try #require(try await Case.find(id, on: app.db)?.closedAt)
            clock.advance(by: 1800)
            try await CaseWorkflowAPITests.act(app, token: centre, caseID: id, ["action": "callback"]) { res in
                #expect(res.status == .badRequest)
                #expect(res.body.string.contains("callback_result"))
            }
            try await CaseWorkflowAPITests.act(
                app, token: centre, caseID: id, ["action": "callback", "callback_result": "happy"]
            ) { res in
                #expect(res.status == .badRequest)
                #expect(res.body.string.contains("unknown callback_result 'happy'"))
            }
            try await CaseWorkflowAPITests.act(
                app, token: centre, caseID: id, ["action": "escalate", "callback_result": "satisfied"]
            ) { res in
                #expect(res.status == .badRequest)
                #expect(res.body.string.contains("callback_result goes with action 'callback' only"))
            }
            try await CaseWorkflowAPITests.act(
                app, token: centre, caseID: id,
                ["action": "callback", "callback_result": "dissatisfied", "note": "积水仍在"]
            ) { res in
                #expect(res.status == .ok)
                let detail = try res.content.decode(CaseDetailDTO.self)
                #expect(detail.summary.state == "closed")
                #expect(detail.callbackResult == "dissatisfied")
                #expect(detail.closedAt == closedAt)
                #expect(detail.allowedActions == ["reopen"])
                #expect(detail.events.last?.action == "callback")
                #expect(detail.events.last?.outcome == "dissatisfied")
                #expect(detail.events.last?.note == "积水仍在")
            }
            try await CaseWorkflowAPITests.act(
                app, token: centre, caseID: id, ["action": "callback", "callback_result": "satisfied"]
            ) { res in
                #expect(res.status == .conflict)
                #expect(res.body.string.contains("already recorded"))
            }
            try await CaseWorkflowAPITests.act(
                app, token: centre, caseID: id, ["action": "reopen", "note": "回访不满意，重新办理"]
            ) { res in
                #expect(res.status == .ok)
                let detail = try res.content.decode(CaseDetailDTO.self)
                #expect(detail.summary.state == "dispatched")
                #expect(detail.callbackResult == nil)
                #expect(detail.reopenCount == 1)
            }
            let stored = try #require(try await Case.find(id, on: app.db))
            #expect(stored.callbackResult == nil)
            let callback = try await CaseEvent.query(on: app.db).filter(\.$caseID == id)
                .filter(\.$action == .workflow(.callback)).all()
            #expect(callback.map(\.outcome) == ["dissatisfied"])
            #expect(callback.map(\.actor) == ["pd.centre"])
        }
    }

    @Test func aCaseworkerMayNotCallBack() async throws {
        try await TestApp.withApp { app, _ in
            let (id, _) = try await Self.closedCase(app)
            let worker = try await TestApp.login(app, username: "pd.water2", unit: "310115.water", role: .caseworker)
            try await CaseWorkflowAPITests.act(
                app, token: worker, caseID: id, ["action": "callback", "callback_result": "satisfied"]
            ) { res in
                #expect(res.status == .forbidden)
            }
            #expect(try await Case.find(id, on: app.db)?.callbackResult == nil)
        }
    }

    @Test func theCasePageOffersTheCallbackWithALabelledChoiceAndShowsItsResult() async throws {
        try await TestApp.withApp { app, _ in
            let (id, _) = try await Self.closedCase(app)
            let cookie = try await ConsoleTests.signIn(
                app, username: "pd.console", unit: "310115.operations_centre", role: .districtOperator)
            try await app.testing().test(.GET, "/console/cases/\(id)", headers: ["Cookie": cookie]) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("data-action=\"callback\""))
                #expect(res.body.string.contains("<select name=\"callback_result\" required aria-label=\"回访结果\">"))
                #expect(res.body.string.contains("<option value=\"unreachable\">未接通</option>"))
            }
            try await app.testing().test(
                .POST, "/console/cases/\(id)/actions", headers: ["Cookie": cookie],
                beforeRequest: { req in
                    try req.content.encode(
                        [
                            "_csrf": ConsoleTests.csrf(forCookie: cookie), "action": "callback",
                            "callback_result": "basically_satisfied", "note": "",
                        ], as: .urlEncodedForm)
                },
                afterResponse: { res in
                    #expect(res.status == .seeOther)
                    #expect(ConsoleTests.flash(res).contains("回访 ✓"))
                })
            try await app.testing().test(.GET, "/console/cases/\(id)", headers: ["Cookie": cookie]) { res in
                #expect(res.body.string.contains("<dd id=\"callback-result\">基本满意</dd>"))
                #expect(res.body.string.contains("<b>回访</b> · <span class=\"outcome\">基本满意</span>"))
                #expect(!res.body.string.contains("data-action=\"callback\""))
            }
            try await app.testing().test(.GET, "/console/cases/\(id)?lang=en", headers: ["Cookie": cookie]) { res in
                #expect(res.body.string.contains("<dd id=\"callback-result\">Basically satisfied</dd>"))
            }
        }
    }

    @Test func aMergedReportIsSplitOffFromTheCasePage() async throws {
        try await TestApp.withApp { app, clock in
            let key = try await TestApp.apiKey(app)
            let (_, first, _) = try await HotlineAPITests.post(
                app, key: key, ["text": HotlineAPITests.renovation, "channel": "phone"])
            clock.advance(by: 600)
            let (_, second, _) = try await HotlineAPITests.post(
                app, key: key, ["text": "北蔡镇莲溪路小区有人装修，电钻声音太吵了，早上七点就开始", "channel": "app"])
            let caseID = try #require(first?.caseID)
            let (firstID, secondID) = (try #require(first?.id), try #require(second?.id))
            #expect(second?.caseID == caseID)
            let cookie = try await ConsoleTests.signIn(
                app, username: "pd.console", unit: "310115.operations_centre", role: .districtOperator)
            let splitPath = "/console/cases/\(caseID)/reports/\(secondID)/split"
            try await app.testing().test(.GET, "/console/cases/\(caseID)", headers: ["Cookie": cookie]) { res in
                // Only the merged report offers the split; the one that opened the case stays with it.
                #expect(res.body.string.contains("action=\"\(splitPath)\""))
                #expect(!res.body.string.contains("/reports/\(firstID)/split"))
            }
            func split(note: String, _ check: @escaping (TestingHTTPResponse) async throws -> Void) async throws {
                try await app.testing().test(
                    .POST, splitPath, headers: ["Cookie": cookie],
                    beforeRequest: { req in
                        try req.content.encode(
                            ["_csrf": ConsoleTests.csrf(forCookie: cookie), "note": note], as: .urlEncodedForm)
                    }, afterResponse: check)
            }
            try await split(note: "  ") { res in
                #expect(res.status == .seeOther)
                #expect(res.headers.first(name: .location) == "/console/cases/\(caseID)")
                #expect(ConsoleTests.flash(res).hasPrefix("error:"))
            }
            #expect(try await Report.find(secondID, on: app.db)?.caseID == caseID)
            try await split(note: "不是同一户装修") { res in
                #expect(res.status == .seeOther)
                let location = try #require(res.headers.first(name: .location))
                let newID = try #require(Int(location.replacingOccurrences(of: "/console/cases/", with: "")))
                #expect(newID != caseID)
                #expect(ConsoleTests.flash(res).contains("已拆分为新案件"))
                #expect(try await Report.find(secondID, on: app.db)?.caseID == newID)
            }
            let worker = try await ConsoleTests.signIn(
                app, username: "pd.grid", unit: "310115105.operations_centre", role: .gridWorker)
            try await app.testing().test(
                .POST, "/console/cases/\(caseID)/reports/\(firstID)/split", headers: ["Cookie": worker],
                beforeRequest: { req in
                    try req.content.encode(
                        ["_csrf": ConsoleTests.csrf(forCookie: worker), "note": "x"], as: .urlEncodedForm)
                },
                afterResponse: { res in
                    #expect(res.status == .seeOther)
                    #expect(ConsoleTests.flash(res) == "error:您的角色（网格员）不能拆分来件，拆分由城运中心负责")
                })
        }
    }
}
