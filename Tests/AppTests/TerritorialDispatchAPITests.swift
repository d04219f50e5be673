import CityDomain
import Fluent
import Testing
import Vapor
import VaporTesting

@testable import App

/// Territorial dispatch through the API and the console (issue #10 §1): the fire-lane story's chain, re-dispatch by
/// the street/town centre (下派), return up to the district (上退), and their refusals.
@Suite struct TerritorialDispatchAPITests {
    static let fireLane = "浦东新区北蔡镇莲溪路一小区，消防通道被私家车堵死了，消防车根本进不来"
    static let chain = [
        "310000.operations_centre", "310115.operations_centre", "310115105.operations_centre", "310115105.police",
    ]

    /// A case in 北蔡镇 held by the street centre itself: noise from a public facility (an estate's lift or pump),
    /// whose owner the street centre finds before it re-dispatches (`noise.public_facilities`, issue #10 §3).
    static func heldByStreet(_ app: Application) async throws -> Int {
        let intake = IntakeReport(
            source: .api, categoryCode: "noise.public_facilities", description: "小区水泵房噪音很大，晚上睡不着",
            address: "浦东新区北蔡镇", point: try GeoPoint(latitude: 31.2397, longitude: 121.4998), actor: "test")
        let stored = try await CaseIntake.register(
            intake, reference: app.reference, gate: app.writeGate, now: app.clock.now(), logger: app.logger)
        #expect(stored.case.unitCode == "310115105.operations_centre")
        #expect(stored.case.dispatchBasis == "category:noise.public_facilities")
        return try stored.case.requireID()
    }

    static func detail(_ app: Application, token: String, _ id: Int) async throws -> CaseDetailDTO {
        var dto: CaseDetailDTO?
        try await app.testing().test(.GET, "/api/v1/cases/\(id)", headers: .bearer(token)) { res in
            #expect(res.status == .ok)
            dto = try res.content.decode(CaseDetailDTO.self)
        }
        return try #require(dto)
    }

    @Test func theFireLaneStoryComesDownTheChainInOneTransaction() async throws {
        try await TestApp.withApp { app, _ in
            let key = try await TestApp.apiKey(app)
            let (status, dto, _) = try await HotlineAPITests.post(
                app, key: key, ["text": Self.fireLane, "channel": "phone"])
            #expect(status == .created)
            let caseID = try #require(dto?.caseID)
            let city = try await TestApp.login(
                app, username: "city.op", unit: "310000.operations_centre", role: .cityOperator)
            let detail = try await Self.detail(app, token: city, caseID)
            #expect(detail.summary.categoryCode == "parking.fire_lane")
            #expect(detail.summary.unitCode == "310115105.police")
            #expect(detail.dispatchRule == "territorial_unit")
            #expect(detail.dispatchBasis == "category:parking.fire_lane")
            #expect(detail.dispatchChain.map(\.unitCode) == Self.chain)
            #expect(
                detail.dispatchChain.map(\.unitName) == [
                    "上海市城市运行管理中心", "浦东新区城市运行管理中心", "北蔡镇城市运行管理中心", "北蔡派出所",
                ])
            #expect(detail.dispatchChain.map(\.rule) == [nil, "place_district", "territorial", "territorial_unit"])
            // Every hop is an audit event with its rule, written with the case in the intake's one transaction (all
            // at the receipt instant): accept, register, two hops between centres, the dispatch to the unit.
            let events = detail.events
            #expect(events.map(\.action) == ["accept", "register", "forward", "forward", "dispatch"])
            #expect(Set(events.map(\.at)).count == 1)
            #expect(events.map(\.actorUnitCode).suffix(3) == Self.chain.prefix(3).map(Optional.some))
            #expect(events.map(\.unitCode).suffix(3) == Self.chain.suffix(3).map(Optional.some))
            #expect(events[2].note?.hasPrefix("[place_district] ") == true)
            #expect(events[3].note?.hasPrefix("[territorial] 「占用消防车通道」属属地管理事项") == true)
            #expect(events[4].note?.hasPrefix("[territorial_unit] ") == true)
            #expect(events.map(\.toState) == ["accepted", "registered", "registered", "registered", "dispatched"])
            #expect(try await CaseEvent.query(on: app.db).count() == 5)
        }
    }

    @Test func theCasePageShowsTheChain() async throws {
        try await TestApp.withApp { app, _ in
            let key = try await TestApp.apiKey(app)
            let (_, dto, _) = try await HotlineAPITests.post(
                app, key: key, ["text": Self.fireLane, "channel": "phone"])
            let caseID = try #require(dto?.caseID)
            let cookie = try await ConsoleTests.signIn(
                app, username: "pd.op", unit: "310115.operations_centre", role: .districtOperator)
            try await app.testing().test(.GET, "/console/cases/\(caseID)", headers: ["Cookie": cookie]) { res in
                #expect(res.status == .ok)
                #expect(
                    res.body.string.contains(
                        "<dd id=\"dispatch-chain\">上海市城市运行管理中心 → 浦东新区城市运行管理中心 → 北蔡镇城市运行管理中心 → 北蔡派出所</dd>"))
                #expect(res.body.string.contains("逐级派遣"))
            }
            let names = Self.chain.map { app.reference.unitName($0, in: .en) }
            try await app.testing().test(.GET, "/console/cases/\(caseID)?lang=en", headers: ["Cookie": cookie]) {
                res in
                #expect(res.body.string.contains("Dispatch chain"))
                #expect(res.body.string.contains("<dd id=\"dispatch-chain\">\(names.joined(separator: " → "))</dd>"))
                #expect(res.body.string.contains("Passed down"))
            }
        }
    }

    @Test func theStreetCentreDispatchesDownToItsOwnUnitInOneAction() async throws {
        try await TestApp.withApp { app, _ in
            let id = try await Self.heldByStreet(app)
            let street = try await TestApp.login(
                app, username: "bc.op", unit: "310115105.operations_centre", role: .streetOperator)
            let before = try await Self.detail(app, token: street, id)
            #expect(before.allowedActions.contains("dispatch_down"))
            #expect(before.allowedActions.contains("return_up"))
            // Refusals first: no target, a unit of the district, a grid worker nobody knows.
            try await CaseWorkflowAPITests.act(app, token: street, caseID: id, ["action": "dispatch_down"]) { res in
                #expect(res.status == .badRequest)
                #expect(
                    res.body.string.contains(
                        "action 'dispatch_down' needs unit_code (a unit of the street/town) or assignee (one of its grid workers)"
                    ))
            }
            try await CaseWorkflowAPITests.act(
                app, token: street, caseID: id, ["action": "dispatch_down", "unit_code": "310115.urban_management"]
            ) { res in
                #expect(res.status == .badRequest)
                #expect(
                    res.body.string.contains(
                        "unit '310115.urban_management' is not a unit of street/town '310115105': dispatch_down sends a case only to the street's own units or grid workers"
                    ))
            }
            try await CaseWorkflowAPITests.act(
                app, token: street, caseID: id, ["action": "dispatch_down", "unit_code": "310115016.urban_management"]
            ) { res in
                #expect(res.status == .badRequest)
                #expect(res.body.string.contains("is not a unit of street/town '310115105'"))
            }
            try await CaseWorkflowAPITests.act(
                app, token: street, caseID: id, ["action": "dispatch_down", "assignee": "nobody"]
            ) { res in
                #expect(res.status == .badRequest)
                #expect(
                    res.body.string.contains(
                        "'nobody' is not an enabled grid worker: dispatch_down sends a case to a grid worker of the street/town holding it"
                    ))
            }
            // A district operator may not 下派 (the street does); a caseworker neither.
            let district = try await TestApp.login(
                app, username: "pd.op", unit: "310115.operations_centre", role: .districtOperator)
            try await CaseWorkflowAPITests.act(
                app, token: district, caseID: id,
                ["action": "dispatch_down", "unit_code": "310115105.greening_sanitation"]
            ) { res in
                #expect(res.status == .forbidden)
                #expect(res.body.string.contains("role 'district_operator' may not perform 'dispatch_down'"))
            }
            #expect(try await CaseEvent.query(on: app.db).filter(\.$caseID == id).count() == 4)
            try await CaseWorkflowAPITests.act(
                app, token: street, caseID: id,
                ["action": "dispatch_down", "unit_code": "310115105.greening_sanitation"]
            ) { res in
                #expect(res.status == .ok)
                let after = try res.content.decode(CaseDetailDTO.self)
                #expect(after.summary.unitCode == "310115105.greening_sanitation")
                #expect(after.summary.state == "dispatched")
                // 下派 completes the first dispatch: the unit counts as first for 一次派遣准确率.
                #expect(after.firstUnitCode == "310115105.greening_sanitation")
                let last = try #require(after.events.last)
                #expect(last.action == "dispatch_down")
                #expect(last.actor == "bc.op")
                #expect(last.actorUnitCode == "310115105.operations_centre")
                #expect(last.unitCode == "310115105.greening_sanitation")
            }
            // 下派 teaches the router the kind of unit that acts (issue 10 §2), in the action's own transaction: the
            // street's own 市容所 is the street acting (`street_unit_labels`, the mapping route-eval scores with).
            let taught = try await TrainingExample.query(on: app.db).all().map { [$0.unitKind, $0.source] }
            #expect(taught == [["street_office", "dispatch_down"]])
            // Now a unit holds it: the street centre cannot 下派 it again (改派 is for that).
            try await CaseWorkflowAPITests.act(
                app, token: street, caseID: id, ["action": "dispatch_down", "unit_code": "310115105.urban_management"]
            ) { res in
                #expect(res.status == .conflict)
                #expect(
                    res.body.string.contains(
                        "action 'dispatch_down' is for the street/town centre holding a case; this case is with '310115105.greening_sanitation'"
                    ))
            }
        }
    }

    @Test func theStreetCentreDispatchesDownToOneOfItsGridWorkers() async throws {
        try await TestApp.withApp { app, _ in
            let id = try await Self.heldByStreet(app)
            let street = try await TestApp.login(
                app, username: "bc.op", unit: "310115105.operations_centre", role: .streetOperator)
            _ = try await TestApp.login(
                app, username: "bc.grid", unit: "310115105.operations_centre", role: .gridWorker)
            _ = try await TestApp.login(
                app, username: "hm.grid", unit: "310115016.operations_centre", role: .gridWorker)
            // A grid worker of 花木街道 is not one of 北蔡镇's.
            try await CaseWorkflowAPITests.act(
                app, token: street, caseID: id, ["action": "dispatch_down", "assignee": "hm.grid"]
            ) { res in
                #expect(res.status == .badRequest)
                #expect(
                    res.body.string.contains(
                        "unit '310115016.operations_centre' is not a unit of street/town '310115105'"))
            }
            try await CaseWorkflowAPITests.act(
                app, token: street, caseID: id, ["action": "dispatch_down", "assignee": "bc.grid"]
            ) { res in
                #expect(res.status == .ok)
                let after = try res.content.decode(CaseDetailDTO.self)
                #expect(after.summary.unitCode == "310115105.operations_centre")
                #expect(after.summary.assignee == "bc.grid")
                #expect(after.events.last?.action == "dispatch_down")
                #expect(after.events.last?.note == "网格员 bc.grid")
            }
        }
    }

    @Test func theStreetCentreReturnsACaseUpWithAReason() async throws {
        try await TestApp.withApp { app, _ in
            let id = try await Self.heldByStreet(app)
            let street = try await TestApp.login(
                app, username: "bc.op", unit: "310115105.operations_centre", role: .streetOperator)
            // Another street's operator does not see the case at all.
            let other = try await TestApp.login(
                app, username: "hm.op", unit: "310115016.operations_centre", role: .streetOperator)
            try await CaseWorkflowAPITests.act(
                app, token: other, caseID: id, ["action": "return_up", "note": "不是我们的"]
            ) { res in
                #expect(res.status == .notFound)
                #expect(res.body.string.contains("case \(id) not found"))
            }
            try await CaseWorkflowAPITests.act(app, token: street, caseID: id, ["action": "return_up"]) { res in
                #expect(res.status == .badRequest)
                #expect(res.body.string.contains("action 'return_up' needs a note giving the reason"))
            }
            try await CaseWorkflowAPITests.act(
                app, token: street, caseID: id, ["action": "return_up", "note": "实为道路保洁，不属本镇"]
            ) { res in
                #expect(res.status == .ok)
                let after = try res.content.decode(CaseDetailDTO.self)
                #expect(after.summary.unitCode == "310115.operations_centre")
                #expect(after.summary.state == "returned")
                #expect(after.firstUnitCode == "310115105.operations_centre")  // a return: the first was wrong
                #expect(after.events.last?.action == "return_up")
                #expect(after.events.last?.note == "实为道路保洁，不属本镇")
                #expect(after.events.last?.unitCode == "310115.operations_centre")
                #expect(!after.allowedActions.contains("return_up"))  // only the holding street centre has them
                #expect(!after.allowedActions.contains("dispatch_down"))
            }
            // 上退 teaches the router that the automatic route was wrong (issue 10 §2).
            let taught = try await TrainingExample.query(on: app.db).all()
                .map { [$0.unitKind, $0.source] }
            #expect(taught == [["other", "return_up"]])
            try await CaseWorkflowAPITests.act(
                app, token: street, caseID: id, ["action": "return_up", "note": "再退一次"]
            ) { res in
                #expect(res.status == .conflict)
                #expect(res.body.string.contains("this case is with '310115.operations_centre'"))
            }
            // The district centre reassigns it (改派) to its road-cleaning department.
            let district = try await TestApp.login(
                app, username: "pd.op", unit: "310115.operations_centre", role: .districtOperator)
            try await CaseWorkflowAPITests.act(
                app, token: district, caseID: id,
                ["action": "reassign", "unit_code": "310115.greening_sanitation"]
            ) { res in
                #expect(res.status == .ok)
            }
        }
    }

    @Test func theConsoleOffersDispatchDownAndReturnUpToTheHoldingStreetOnly() async throws {
        try await TestApp.withApp { app, _ in
            let id = try await Self.heldByStreet(app)
            _ = try await TestApp.login(
                app, username: "bc.grid", unit: "310115105.operations_centre", role: .gridWorker)
            let street = try await ConsoleTests.signIn(
                app, username: "bc.op", unit: "310115105.operations_centre", role: .streetOperator)
            try await app.testing().test(.GET, "/console/cases/\(id)?lang=en", headers: ["Cookie": street]) { res in
                let html = res.body.string
                #expect(html.contains("data-action=\"dispatch_down\""))
                #expect(html.contains("data-action=\"return_up\""))
                #expect(html.contains(">Dispatch down</button>"))
                #expect(html.contains(">Return up</button>"))
                #expect(html.contains("<option value=\"310115105.greening_sanitation\">"))
                #expect(!html.contains("<option value=\"310115016.greening_sanitation\">"))
                #expect(html.contains("<option value=\"bc.grid\">bc.grid</option>"))
            }
            let district = try await ConsoleTests.signIn(
                app, username: "pd.op", unit: "310115.operations_centre", role: .districtOperator)
            try await app.testing().test(.GET, "/console/cases/\(id)", headers: ["Cookie": district]) { res in
                #expect(!res.body.string.contains("data-action=\"dispatch_down\""))
                #expect(res.body.string.contains("北蔡镇城市运行管理中心"))
            }
            try await app.testing().test(
                .POST, "/console/cases/\(id)/actions", headers: ["Cookie": street],
                beforeRequest: { req in
                    try req.content.encode(
                        [
                            "action": "dispatch_down", "unit_code": "", "assignee": "bc.grid",
                            "_csrf": ConsoleTests.csrf(forCookie: street),
                        ], as: .urlEncodedForm)
                },
                afterResponse: { res in
                    #expect(res.status == .seeOther)
                    #expect(ConsoleTests.flash(res).contains("下派 ✓"))
                })
            #expect(try await Case.find(id, on: app.db)?.assignee == "bc.grid")
        }
    }
}
