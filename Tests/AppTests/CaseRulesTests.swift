import CityDomain
import Fluent
import Testing
import Vapor
import VaporTesting

@testable import App

/// Rules around the workflow through the API and the database: who may verify, where a case may be sent (as a 400),
/// escalation pacing with the sweep, ordering and paging of the desk. The rules themselves have pure tests in
/// CityDomainTests (`CaseRulesTests`, `CaseRulesTimeLimitTests`, `CaseRulesEscalationTests`).
@Suite struct CaseRulesTests {
    typealias API = CaseWorkflowAPITests

    @Test func whoeverResolvedMayNotVerify() async throws {
        try await TestApp.withApp { app, _ in
            let id = try await API.register(
                app, category: "sanitation.garbage", lat: 31.2304, long: 121.4737, address: "南京东路街道")
            let grid = try await TestApp.login(
                app, username: "hp.grid", unit: "310101002.greening_sanitation", role: .gridWorker)
            try await API.act(app, token: grid, caseID: id, ["action": "start"]) { #expect($0.status == .ok) }
            try await API.act(app, token: grid, caseID: id, ["action": "resolve", "note": "已清运"]) { res in
                #expect(res.status == .ok)
                // Not offered to the one who resolved it, though a grid worker's role may verify.
                let detail = try res.content.decode(CaseDetailDTO.self)
                #expect(!detail.allowedActions.contains("verify"))
                #expect(!detail.allowedActions.contains("fail_verification"))
            }
            try await API.act(app, token: grid, caseID: id, ["action": "verify"]) { res in
                #expect(res.status == .forbidden)
                #expect(res.body.string.contains("someone else"))
            }
            let centre = try await TestApp.login(
                app, username: "hp.centre", unit: "310101002.operations_centre", role: .streetOperator)
            try await API.act(app, token: centre, caseID: id, ["action": "verify"]) { #expect($0.status == .ok) }
        }
    }

    @Test func casesGoOnlyToUnitsThatServeTheirRegion() async throws {
        try await TestApp.withApp { app, _ in
            // Ponding at Lujiazui → 浦东新区水务局 (district level), located in 陆家嘴街道 by the address.
            let id = try await API.register(app, category: "road.ponding", lat: 31.2397, long: 121.4998)
            let centre = try await TestApp.login(
                app, username: "pd.centre", unit: "310115.operations_centre", role: .districtOperator)
            try await API.act(app, token: centre, caseID: id, ["action": "reassign", "unit_code": "310101.water"]) {
                res in
                #expect(res.status == .badRequest)
                #expect(res.body.string.contains("does not serve"))
            }
            // Dispatching down to a street unit narrows the case to that street.
            try await API.act(
                app, token: centre, caseID: id, ["action": "reassign", "unit_code": "310115105.urban_management"]
            ) { res in
                #expect(res.status == .ok)
                let detail = try res.content.decode(CaseDetailDTO.self)
                #expect(detail.summary.regionCode == "310115105")
                #expect(detail.summary.unitCode == "310115105.urban_management")
            }
        }
    }

    @Test func anOperatorActionDoesNotHurryTheNextEscalation() async throws {
        try await TestApp.withApp { app, clock in
            let id = try await API.register(
                app, category: "noise.dog_barking", lat: 31.2304, long: 121.4737, address: "南京东路街道")
            clock.advance(by: 2 * 3600 + 60)
            let escalated = try await EscalationSweep.run(
                reference: app.reference, on: app.db, gate: app.writeGate, now: clock.now, logger: app.logger)
            #expect(escalated == [id])
            let police = try await TestApp.login(
                app, username: "nd.police", unit: "310101002.police", role: .caseworker)
            clock.advance(by: 300)
            try await API.act(app, token: police, caseID: id, ["action": "start"]) { #expect($0.status == .ok) }
            clock.advance(by: 60)
            let again = try await EscalationSweep.run(
                reference: app.reference, on: app.db, gate: app.writeGate, now: clock.now, logger: app.logger)
            #expect(again.isEmpty)
            #expect(try await Case.find(id, on: app.db)?.escalationLevel == 1)
        }
    }

    @Test func theDeskListsOpenCasesFirstAndPagesSafely() async throws {
        try await TestApp.withApp { app, _ in
            let closed = try await API.register(app, category: "road.ponding", lat: 31.2397, long: 121.4998)
            for action in [CaseAction.start, .resolve, .verify, .close] {
                try await CaseActions.perform(
                    .init(action: action, note: "x"), on: closed, by: .system, reference: app.reference, on: app.db,
                    gate: app.writeGate, now: app.clock.now())
            }
            let open = try await API.register(app, category: "road.damaged", lat: 31.2397, long: 121.4998)
            let token = try await TestApp.login(
                app, username: "pd.centre", unit: "310115.operations_centre", role: .districtOperator)
            try await app.testing().test(.GET, "/api/v1/cases", headers: .bearer(token)) { res in
                let list = try res.content.decode(CaseController.ListResponse.self)
                #expect(list.items.map(\.id) == [open, closed])
                // Timestamps carry the +08:00 offset with a colon (RFC 3339).
                #expect(res.body.string.contains("+08:00\""))
            }
            try await app.testing().test(.GET, "/api/v1/cases?offset=9223372036854775807", headers: .bearer(token)) {
                res in
                #expect(res.status == .badRequest)
            }
            try await app.testing().test(.GET, "/api/v1/cases?category=road", headers: .bearer(token)) { res in
                let list = try res.content.decode(CaseController.ListResponse.self)
                #expect(Set(list.items.map(\.id)) == [open, closed])
            }
            try await app.testing().test(.GET, "/api/v1/cases?state=closed", headers: .bearer(token)) { res in
                let list = try res.content.decode(CaseController.ListResponse.self)
                #expect(list.items.map(\.id) == [closed])
            }
        }
    }

    @Test func open311AttributesArePlainTextAndMustBeDefined() async throws {
        try await TestApp.withApp { app, _ in
            let key = try await TestApp.apiKey(app)
            let base = ["api_key": key, "service_code": "road.ponding", "lat": "31.2304", "long": "121.4737"]
            try await Open311IntakeTests.post(app, base.merging(["attribute[DEPTH]": "<b>30cm</b>"]) { $1 }) { res in
                #expect(res.status == .badRequest)
            }
            try await Open311IntakeTests.post(app, base.merging(["attribute[DEPTH]": "30cm"]) { $1 }) { res in
                #expect(res.status == .badRequest)
                #expect(res.body.string.contains("DEPTH"))
            }
            #expect(try await Report.query(on: app.db).count() == 0)
        }
    }

    @Test func publicUpdatesDoNotLeakInternalNotes() async throws {
        try await TestApp.withApp { app, clock in
            let key = try await TestApp.apiKey(app)
            try await Open311IntakeTests.post(
                app, ["api_key": key, "service_code": "road.ponding", "lat": "31.2397", "long": "121.4998"]
            ) {
                #expect($0.status == .created)
            }
            let id = try #require(try await Case.query(on: app.db).first()?.id)
            try await CaseActions.perform(
                .init(action: .return, note: "内部：职责不清，退回中心"), on: id, by: .system, reference: app.reference,
                on: app.db, gate: app.writeGate, now: app.clock.now())
            clock.advance(by: 1)  // the default window ends (exclusively) now
            try await app.testing().test(.GET, "/open311/v2/servicerequestupdates.json") { res in
                #expect(res.status == .ok)
                #expect(!res.body.string.contains("职责不清"))
                #expect(res.body.string.contains("已退回"))
            }
        }
    }
}
