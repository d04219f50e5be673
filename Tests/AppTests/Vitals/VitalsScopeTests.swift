import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// Operators' scope on the alarm desk (issue 11 review, item 3): alarms of sensors outside an operator's region
/// (and, for caseworkers, outside their unit) are not listed and answer 404; only operations centres clear by hand.
@Suite struct VitalsScopeTests {
    @Test func alarmsOutsideTheOperatorsRegionAreHiddenAndOnlyCentresClear() async throws {
        try await TestApp.withApp { app, _ in
            let city = try await VitalsFixtures.token(app)
            try await VitalsFixtures.register(
                app, token: city, VitalsFixtures.sensor("pond", kind: "ponding", attributes: [("waterDepth", "cm")]))
            try await VitalsFixtures.batch(
                app, token: city, [VitalsFixtures.reading("pond", "waterDepth", 16, at: AlarmTests.base)])
            let alarm = try #require(try await VitalsFixtures.alarms(app, token: city).first)
            let path = "/api/v1/alarms/\(alarm.id)"
            let huangpu = try await TestApp.login(
                app, username: "hp.op", unit: "310101.operations_centre", role: .districtOperator)
            #expect(try await VitalsFixtures.alarms(app, token: huangpu).isEmpty)
            try await app.testing().test(.GET, path, headers: .bearer(huangpu)) { res in
                #expect(res.status == .notFound)
            }
            for action in ["/acknowledge", "/clear"] {
                try await VitalsFixtures.post(app, path + action, token: huangpu, json: [:] as [String: String]) {
                    res in
                    #expect(res.status == .notFound, "\(action)")
                }
            }
            let putuo = try await TestApp.login(
                app, username: "pt.op", unit: "310107.operations_centre", role: .districtOperator)
            #expect(try await VitalsFixtures.alarms(app, token: putuo).map(\.id) == [alarm.id])
            let worker = try await TestApp.login(
                app, username: "pt.road", unit: "310107.road_maintenance", role: .caseworker)
            #expect(try await VitalsFixtures.alarms(app, token: worker).map(\.id) == [alarm.id])
            try await VitalsFixtures.post(app, path + "/clear", token: worker, json: [:] as [String: String]) { res in
                #expect(res.status == .forbidden)
            }
            try await VitalsFixtures.post(app, path + "/acknowledge", token: worker, json: [:] as [String: String]) {
                res in
                #expect(res.status == .ok)
            }
            let after = try await VitalsFixtures.alarms(app, token: city)
            #expect(after.map(\.status) == ["active"] && after.first?.acknowledgedBy == "pt.road")
        }
    }

    @Test func sensorsAndIngestionStayInTheOperatorsScopeAndOnlyCentresRegister() async throws {
        try await TestApp.withApp { app, _ in
            let city = try await VitalsFixtures.token(app)
            try await VitalsFixtures.register(app, token: city, VitalsFixtures.sensor("deck"))
            let huangpu = try await TestApp.login(
                app, username: "hp.op", unit: "310101.operations_centre", role: .districtOperator)
            let worker = try await TestApp.login(
                app, username: "pt.road", unit: "310107.road_maintenance", role: .caseworker)
            try await app.testing().test(.GET, "/api/v1/sensors", headers: .bearer(huangpu)) { res in
                #expect(res.status == .ok && (try? res.content.decode([SensorDTO].self))?.isEmpty == true)
            }
            try await app.testing().test(.GET, "/api/v1/sensors?region=310107", headers: .bearer(huangpu)) { res in
                #expect(res.status == .ok && (try? res.content.decode([SensorDTO].self))?.isEmpty == true)
            }
            try await app.testing().test(.GET, "/api/v1/sensors", headers: .bearer(worker)) { res in
                #expect(res.status == .ok && (try? res.content.decode([SensorDTO].self))?.map(\.id) == ["deck"])
            }
            for path in ["/api/v1/sensors/deck", "/api/v1/sensors/deck/series?attribute=surfaceTemperature"] {
                try await app.testing().test(.GET, path, headers: .bearer(huangpu)) { res in
                    #expect(res.status == .notFound, "\(path)")
                }
            }
            // Registering: 403 for a caseworker, 403 for a centre outside the sensor's region.
            try await VitalsFixtures.post(app, "/api/v1/sensors", token: worker, json: VitalsFixtures.sensor("d2")) {
                res in
                #expect(res.status == .forbidden)
            }
            try await VitalsFixtures.post(app, "/api/v1/sensors", token: huangpu, json: VitalsFixtures.sensor("d3")) {
                res in
                #expect(res.status == .forbidden)
            }
            try await VitalsFixtures.post(
                app, "/api/v1/sensor-imports", token: worker, json: ["sensors": [VitalsFixtures.sensor("d4")]]
            ) { res in
                #expect(res.status == .forbidden)
            }
            try await VitalsFixtures.post(
                app, "/api/v1/sensor-imports", token: huangpu, json: ["sensors": [VitalsFixtures.sensor("d5")]]
            ) { res in
                #expect(res.status == .unprocessableEntity)  // its only sensor failed
                #expect((try? res.content.decode(BatchResultDTO.self))?.items.first?.error?.code == "out_of_scope")
            }
            #expect(try await VitalsFixtures.count(app, "sensors") == 1)
            // Ingestion: a sensor outside the sender's scope is unknown to them.
            let reading = VitalsFixtures.reading("deck", "surfaceTemperature", 5, at: AlarmTests.base)
            try await VitalsFixtures.post(app, "/api/v1/readings", token: huangpu, json: reading) { res in
                #expect(res.status == .badRequest && res.body.string.contains("unknown_sensor"))
            }
            // Every item failed: 422 with the per-item list.
            let result = try await VitalsFixtures.batch(app, token: huangpu, [reading], status: .unprocessableEntity)
            #expect(result.items.first?.error?.code == "unknown_sensor")
            #expect(try await VitalsFixtures.count(app, "readings") == 0)
            #expect(try await VitalsFixtures.batch(app, token: worker, [reading]).items.first?.status == "accepted")
        }
    }
}
