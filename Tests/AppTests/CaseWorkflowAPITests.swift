import CityDomain
import Fluent
import Testing
import Vapor
import VaporTesting

@testable import App

/// The operators' API: scoping by region and unit, the full case lifecycle, refused actions, the audit trail.
@Suite struct CaseWorkflowAPITests {
    /// Registers a case through the intake service (as Open311 would) and returns its id.
    static func register(
        _ app: Application, category: String, lat: Double, long: Double, address: String? = nil
    ) async throws -> Int {
        let intake = IntakeReport(
            source: .api, categoryCode: category, description: "测试工单", address: address,
            point: try GeoPoint(latitude: lat, longitude: long), actor: "test")
        let stored = try await CaseIntake.register(
            intake, reference: app.reference, gate: app.writeGate, now: app.clock.now(), logger: app.logger)
        return try stored.case.requireID()
    }

    static func act(
        _ app: Application, token: String, caseID: Int, _ body: [String: String],
        _ check: @escaping (TestingHTTPResponse) async throws -> Void
    ) async throws {
        try await app.testing().test(
            .POST, "/api/v1/cases/\(caseID)/actions", headers: .bearer(token),
            beforeRequest: { req in
                try req.content.encode(body)
            }, afterResponse: check)
    }

    @Test func districtOperatorSeesAndActsOnlyInsideTheirDistrict() async throws {
        try await TestApp.withApp { app, _ in
            let pudong = try await Self.register(app, category: "road.ponding", lat: 31.2397, long: 121.4998)
            let huangpu = try await Self.register(app, category: "road.ponding", lat: 31.2304, long: 121.4737)
            let token = try await TestApp.login(
                app, username: "pudong.op", unit: "310115.operations_centre", role: .districtOperator)

            try await app.testing().test(.GET, "/api/v1/cases", headers: .bearer(token)) { res in
                #expect(res.status == .ok)
                let list = try res.content.decode(CaseController.ListResponse.self)
                #expect(list.items.map(\.id) == [pudong])
                #expect(list.total == 1)
            }
            try await app.testing().test(.GET, "/api/v1/cases/\(huangpu)", headers: .bearer(token)) { res in
                #expect(res.status == .notFound)
            }
            try await Self.act(app, token: token, caseID: huangpu, ["action": "escalate"]) { res in
                #expect(res.status == .notFound)
            }
            try await app.testing().test(.GET, "/api/v1/cases?region=310101", headers: .bearer(token)) { res in
                #expect(res.status == .forbidden)
            }
            #expect(try await CaseEvent.query(on: app.db).filter(\.$caseID == huangpu).count() == 4)
            try await app.testing().test(.GET, "/api/v1/cases/\(pudong)", headers: .bearer(token)) { res in
                #expect(res.status == .ok)
                let detail = try res.content.decode(CaseDetailDTO.self)
                #expect(detail.summary.unitCode == "310115.water")
                #expect(detail.events.count == 4)  // accept, register, forward (city → district), dispatch
                #expect(detail.allowedActions.contains("reassign"))
                #expect(!detail.allowedActions.contains("start"))  // a centre does not sign for a department
            }
        }
    }

    @Test func caseworkerSeesOnlyTheirUnitsCases() async throws {
        try await TestApp.withApp { app, _ in
            let ponding = try await Self.register(app, category: "road.ponding", lat: 31.2397, long: 121.4998)
            let fireLane = try await Self.register(app, category: "parking.fire_lane", lat: 31.2397, long: 121.4998)
            let token = try await TestApp.login(app, username: "pd.water", unit: "310115.water", role: .caseworker)
            try await app.testing().test(.GET, "/api/v1/cases", headers: .bearer(token)) { res in
                let list = try res.content.decode(CaseController.ListResponse.self)
                #expect(list.items.map(\.id) == [ponding])
            }
            try await app.testing().test(.GET, "/api/v1/cases/\(fireLane)", headers: .bearer(token)) { res in
                #expect(res.status == .notFound)
            }
        }
    }

    @Test func fullLifecycleIsAuditedStepByStep() async throws {
        try await TestApp.withApp { app, clock in
            let id = try await Self.register(app, category: "road.ponding", lat: 31.2397, long: 121.4998)
            let worker = try await TestApp.login(app, username: "pd.water", unit: "310115.water", role: .caseworker)
            let centre = try await TestApp.login(
                app, username: "pd.centre", unit: "310115.operations_centre", role: .districtOperator)

            try await Self.act(app, token: worker, caseID: id, ["action": "start"]) { #expect($0.status == .ok) }
            clock.advance(by: 3600)
            try await Self.act(app, token: worker, caseID: id, ["action": "resolve", "note": "已抽排积水"]) { res in
                #expect(res.status == .ok)
                let decoded = try res.content.decode(CaseDetailDTO.self)
                #expect(decoded.summary.state == "handled")
            }
            try await Self.act(app, token: centre, caseID: id, ["action": "close"]) { res in
                #expect(res.status == .conflict)
                #expect(res.body.string.contains("close"))
                #expect(res.body.string.contains("handled"))
            }
            try await Self.act(app, token: worker, caseID: id, ["action": "verify"]) { res in
                #expect(res.status == .forbidden)  // a caseworker does not verify their own work
            }
            try await Self.act(app, token: centre, caseID: id, ["action": "verify"]) { #expect($0.status == .ok) }
            try await Self.act(app, token: centre, caseID: id, ["action": "close"]) { res in
                #expect(res.status == .ok)
                let detail = try res.content.decode(CaseDetailDTO.self)
                #expect(detail.summary.state == "closed")
                #expect(detail.closedAt != nil)
                #expect(detail.allowedActions == ["reopen", "callback"])
            }
            let events = try await CaseEvent.query(on: app.db).filter(\.$caseID == id).sort(\.$id).all()
            #expect(
                events.map(\.action.rawValue) == [
                    "accept", "register", "forward", "dispatch", "start", "resolve", "verify", "close",
                ])
            #expect(events.map(\.actor).suffix(4) == ["pd.water", "pd.water", "pd.centre", "pd.centre"])
            #expect(events[5].note == "已抽排积水")
            #expect(events[5].fromState == .handling && events[5].toState == .handled)
        }
    }

    @Test func returnNeedsAReasonAndGoesBackToTheCentre() async throws {
        try await TestApp.withApp { app, _ in
            let id = try await Self.register(app, category: "road.ponding", lat: 31.2397, long: 121.4998)
            let worker = try await TestApp.login(app, username: "pd.water", unit: "310115.water", role: .caseworker)
            try await Self.act(app, token: worker, caseID: id, ["action": "return"]) { res in
                #expect(res.status == .badRequest)
                #expect(res.body.string.contains("note"))
            }
            try await Self.act(app, token: worker, caseID: id, ["action": "return", "note": "不属于水务职责"]) { res in
                #expect(res.status == .ok)
                let detail = try res.content.decode(CaseDetailDTO.self)
                #expect(detail.summary.state == "returned")
                #expect(detail.summary.unitCode == "310115.operations_centre")
            }
            let centre = try await TestApp.login(
                app, username: "pd.centre", unit: "310115.operations_centre", role: .districtOperator)
            try await Self.act(app, token: centre, caseID: id, ["action": "reassign"]) { res in
                #expect(res.status == .badRequest)
                #expect(res.body.string.contains("unit_code"))
            }
            try await Self.act(
                app, token: centre, caseID: id, ["action": "reassign", "unit_code": "310115.road_maintenance"]
            ) { res in
                #expect(res.status == .ok)
                let decoded = try res.content.decode(CaseDetailDTO.self)
                #expect(decoded.summary.unitCode == "310115.road_maintenance")
            }
            try await Self.act(app, token: centre, caseID: id, ["action": "fly"]) { res in
                #expect(res.status == .badRequest)
                #expect(res.body.string.contains("unknown action"))
            }
        }
    }

    @Test func suspensionStopsTheClockForExactlyItsSpan() async throws {
        try await TestApp.withApp { app, clock in
            // Fire lane: continuous clock, handle limit 1 h, overall 4 h, from Fri 2024-09-27 10:00.
            let id = try await Self.register(app, category: "parking.fire_lane", lat: 31.2397, long: 121.4998)
            let before = try #require(try await Case.find(id, on: app.db))
            #expect(before.stepDueAt == TestApp.friday.addingTimeInterval(3600))
            #expect(before.dueAt == TestApp.friday.addingTimeInterval(4 * 3600))
            let centre = try await TestApp.login(
                app, username: "pd.centre", unit: "310115.operations_centre", role: .districtOperator)
            clock.advance(by: 600)
            try await Self.act(app, token: centre, caseID: id, ["action": "suspend", "note": "等待车主联系方式"]) {
                #expect($0.status == .ok)
            }
            clock.advance(by: 1800)
            try await Self.act(app, token: centre, caseID: id, ["action": "resume"]) { res in
                #expect(res.status == .ok)
                let decoded = try res.content.decode(CaseDetailDTO.self)
                #expect(decoded.summary.state == "dispatched")
            }
            let after = try #require(try await Case.find(id, on: app.db))
            #expect(after.stepDueAt == TestApp.friday.addingTimeInterval(3600 + 1800))
            #expect(after.dueAt == TestApp.friday.addingTimeInterval(4 * 3600 + 1800))
        }
    }

    @Test func expiredOrMissingTokensAreRefused() async throws {
        try await TestApp.withApp { app, clock in
            let token = try await TestApp.login(
                app, username: "pd.centre", unit: "310115.operations_centre", role: .districtOperator)
            try await app.testing().test(.GET, "/api/v1/cases") { #expect($0.status == .unauthorized) }
            try await app.testing().test(.GET, "/api/v1/cases", headers: .bearer(token)) { #expect($0.status == .ok) }
            clock.advance(by: 12 * 3600 + 1)
            try await app.testing().test(.GET, "/api/v1/cases", headers: .bearer(token)) {
                #expect($0.status == .unauthorized)
            }
            try await app.testing().test(
                .POST, "/api/v1/sessions",
                beforeRequest: { req in
                    try req.content.encode(["username": "pd.centre", "password": "wrong password!"])
                }
            ) { res in
                #expect(res.status == .unauthorized)
                #expect(res.body.string.contains("invalid username or password"))
            }
        }
    }
}
