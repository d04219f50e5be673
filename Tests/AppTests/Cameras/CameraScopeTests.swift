import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// Operators' scope over cameras, detections, incidents and settings, as over sensors and alarms
/// (``VitalsScopeTests``): outside their region (or, for caseworkers, their unit) a camera is unknown.
@Suite struct CameraScopeTests {
    @Test func camerasAndIncidentsStayInTheOperatorsScope() async throws {
        try await TestApp.withApp { app, _ in
            let city = try await VitalsFixtures.token(app)
            try await CameraFixtures.register(app, token: city, CameraFixtures.camera("cam-1"))
            try await CameraFixtures.settings(app, token: city, persist: 0, confirm: true)
            try await CameraFixtures.batch(
                app, token: city, [CameraFixtures.detection("cam-1", id: "1", at: CameraIncidentTests.start)])
            let incident = try #require(try await CameraFixtures.incidents(app, token: city).first)
            let huangpu = try await TestApp.login(
                app, username: "hp.op", unit: "310101.operations_centre", role: .districtOperator)
            #expect(try await CameraFixtures.incidents(app, token: huangpu).isEmpty)
            for path in ["/api/v1/cameras/cam-1", "/api/v1/camera-incidents/\(incident.id)"] {
                try await app.testing().test(.GET, path, headers: .bearer(huangpu)) { res in
                    #expect(res.status == .notFound, "\(path)")
                }
            }
            try await app.testing().test(.GET, "/api/v1/cameras", headers: .bearer(huangpu)) { res in
                #expect((try? res.content.decode([CameraDTO].self))?.isEmpty == true)
            }
            try await app.testing().test(.GET, "/api/v1/camera-false-positives", headers: .bearer(huangpu)) { res in
                #expect((try? res.content.decode([FalsePositiveDTO].self))?.isEmpty == true)
            }
            try await VitalsFixtures.post(
                app, "/api/v1/camera-incidents/\(incident.id)/confirm", token: huangpu, json: [:] as [String: String]
            ) { res in
                #expect(res.status == .notFound)
            }
            // Ingestion: a camera outside the sender's scope is unknown to them.
            let result = try await CameraFixtures.batch(
                app, token: huangpu, [CameraFixtures.detection("cam-1", id: "2", at: CameraIncidentTests.start)],
                status: .unprocessableEntity)
            #expect(result.items.first?.error?.code == "unknown_camera")
            // Registration and settings: centres only, in their region; settings for every camera are the city's.
            let worker = try await TestApp.login(
                app, username: "pt.road", unit: "310107.road_maintenance", role: .caseworker)
            #expect(try await CameraFixtures.incidents(app, token: worker).map(\.id) == [incident.id])
            try await VitalsFixtures.post(app, "/api/v1/cameras", token: worker, json: CameraFixtures.camera("c2")) {
                res in
                #expect(res.status == .forbidden)
            }
            try await VitalsFixtures.post(app, "/api/v1/cameras", token: huangpu, json: CameraFixtures.camera("c3")) {
                res in
                #expect(res.status == .forbidden)
            }
            try await CameraFixtures.settings(app, token: worker, status: .forbidden)
            try await CameraFixtures.settings(app, token: huangpu, status: .forbidden)
            try await CameraFixtures.settings(app, token: huangpu, camera: "cam-1", status: .notFound)
            try await CameraFixtures.settings(app, token: city, minConfidence: 1.2, status: .badRequest)
            try await CameraFixtures.settings(app, token: city, type: "ufo", status: .badRequest)
            #expect(try await VitalsFixtures.count(app, "cameras") == 1)
        }
    }
}
