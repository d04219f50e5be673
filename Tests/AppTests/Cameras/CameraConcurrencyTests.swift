import CityDomain
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import App

/// Two detections of one (camera, type) at once, over many rounds and concurrent connections (CityNet issue 11 §4):
/// one incident and one case each, on SQLite and on PostgreSQL (`TEST_DATABASE_URL`), enforced by
/// `camera_incidents_one_active`.
@Suite struct CameraConcurrencyTests {
    static let rounds = 200
    /// Rounds in flight at once (two requests each).
    static let width = 4

    @Test func twoDetectionsAtOnceMakeOneIncidentAndOneCase() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await VitalsFixtures.token(app)
            // Persistence 0: the first sighting opens the case, so both racers try to.
            try await CameraFixtures.settings(app, token: token, persist: 0)
            // One camera per street, so no two rounds share a place (and merge).
            let streets = app.reference.hierarchy.all.filter { $0.level == .street }.map(\.code).sorted()
            #expect(streets.count >= Self.rounds)
            for round in 0..<Self.rounds {
                try await CameraFixtures.register(
                    app, token: token,
                    CameraFixtures.camera("cam-\(round)", address: "", regionCode: streets[round], point: false))
            }
            let t = TestApp.friday.addingTimeInterval(-60)
            for start in stride(from: 0, to: Self.rounds, by: Self.width) {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for round in start..<min(start + Self.width, Self.rounds) {
                        for offset in [0.0, 0.001] {
                            let item = CameraFixtures.detection(
                                "cam-\(round)", id: "d\(offset)", at: t.addingTimeInterval(offset))
                            group.addTask {
                                try await VitalsFixtures.post(
                                    app, "/api/v1/camera-detections", token: token, json: item
                                ) { res in
                                    #expect(res.status == .created, "\(res.body.string)")
                                }
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            #expect(try await VitalsFixtures.count(app, "camera_detections") == 2 * Self.rounds)
            #expect(try await VitalsFixtures.count(app, "camera_incidents") == Self.rounds)
            #expect(try await VitalsFixtures.count(app, "cases") == Self.rounds)
            #expect(try await VitalsFixtures.count(app, "reports") == Self.rounds)
            #expect(
                try await VitalsFixtures.count(app, "camera_incidents", where: "WHERE status = 'case_opened'")
                    == Self.rounds)
        }
    }

    @Test func twoOperatorsConfirmingAtOnceOpenOneCase() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await VitalsFixtures.token(app)
            let other = try await TestApp.login(
                app, username: "city.op2", unit: "310000.operations_centre", role: .cityOperator)
            try await CameraFixtures.settings(app, token: token, persist: 0, confirm: true)
            let streets = app.reference.hierarchy.all.filter { $0.level == .street }.map(\.code).sorted()
            let rounds = 20
            for round in 0..<rounds {
                try await CameraFixtures.register(
                    app, token: token,
                    CameraFixtures.camera("cam-\(round)", address: "", regionCode: streets[round], point: false))
                try await CameraFixtures.batch(
                    app, token: token,
                    [CameraFixtures.detection("cam-\(round)", id: "1", at: TestApp.friday.addingTimeInterval(-60))])
            }
            let incidents = try await CameraFixtures.incidents(app, token: token)
            #expect(incidents.count == rounds && incidents.allSatisfy { $0.status == "awaiting_confirmation" })
            let statuses = NIOLockedValueBox<[HTTPStatus]>([])
            for incident in incidents {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (who, action) in [(token, "confirm"), (other, "confirm"), (other, "reject")] {
                        group.addTask {
                            try await VitalsFixtures.post(
                                app, "/api/v1/camera-incidents/\(incident.id)/\(action)", token: who,
                                json: ["note": "同时"]
                            ) { res in
                                statuses.withLockedValue { $0.append(res.status) }
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            let answers = statuses.withLockedValue { $0 }
            #expect(answers.filter { $0 == .ok }.count == rounds)
            #expect(answers.filter { $0 == .conflict }.count == 2 * rounds)
            let opened = try await VitalsFixtures.count(app, "camera_incidents", where: "WHERE status = 'case_opened'")
            let rejected = try await VitalsFixtures.count(app, "camera_incidents", where: "WHERE status = 'rejected'")
            #expect(opened + rejected == rounds)
            #expect(try await VitalsFixtures.count(app, "cases") == opened)
            #expect(
                try await VitalsFixtures.count(
                    app, "camera_incident_events", where: "WHERE action IN ('confirm', 'reject')") == rounds)
        }
    }

    @Test func theDatabaseRefusesASecondActiveIncident() async throws {
        try await TestApp.withApp { app, _ in
            let sql = try CameraFixtures.sql(app)
            func insert(ended: Int64?) async throws {
                try await sql.insert(into: "camera_incidents")
                    .columns(
                        "camera_id", "detection_type", "category_code", "status", "first_seen_ms", "last_seen_ms",
                        "detection_count", "max_confidence", "algorithm", "algorithm_version", "ended_at_ms",
                        "created_at_ms"
                    )
                    .values(
                        SQLBind("cam"), SQLBind("fire_lane_parking"), SQLBind("parking.fire_lane"),
                        SQLBind("tracking"), SQLBind(1), SQLBind(1), SQLBind(1), SQLBind(0.9), SQLBind("a"),
                        SQLBind("1"), ended.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null, SQLBind(1)
                    ).run()
            }
            try await insert(ended: 5)
            try await insert(ended: 6)
            try await insert(ended: nil)
            await #expect(throws: (any Error).self) { try await insert(ended: nil) }
        }
    }
}
