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
}
