import CityDomain
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import App

/// Cameras and detection ingestion (CityNet issue 11 §4): registration with auto-location, per-item errors,
/// idempotent resends, snapshots typed by content and stored once by SHA-256, boxes checked against the image.
@Suite struct CameraIngestTests {
    static let at = TestApp.friday.addingTimeInterval(-60)

    @Test func camerasAreLocatedToTheirStreetAndOwnedByAUnit() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await VitalsFixtures.token(app)
            try await VitalsFixtures.post(app, "/api/v1/cameras", token: token, json: CameraFixtures.camera("cam-1")) {
                res in
                #expect(res.status == .created)
                let camera = try res.content.decode(CameraDTO.self)
                #expect(camera.regionCode == CameraFixtures.street && camera.streetCode == CameraFixtures.street)
                #expect(camera.districtCode == "310107" && camera.unitCode == "310107.road_maintenance")
            }
            try await VitalsFixtures.post(app, "/api/v1/cameras", token: token, json: CameraFixtures.camera("cam-1")) {
                res in
                #expect(res.status == .conflict)
            }
            var bad = CameraFixtures.camera("cam-2")
            bad["unit_code"] = "no.such.unit"
            try await VitalsFixtures.post(app, "/api/v1/cameras", token: token, json: bad) { res in
                #expect(res.status == .badRequest && res.body.string.contains("unknown_unit"))
            }
            try await app.testing().test(.GET, "/api/v1/cameras/cam-1", headers: .bearer(token)) { res in
                #expect(res.status == .ok)
            }
        }
    }

    @Test func everyBadDetectionFailsAloneWithItsCode() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await VitalsFixtures.token(app)
            try await CameraFixtures.register(app, token: token, CameraFixtures.camera("cam-1"))
            let png = CameraFixtures.png(width: 640, height: 480)
            let box: [String: Any] = ["x": 601, "y": 400, "width": 40, "height": 80]
            var missing = CameraFixtures.detection("cam-1", id: "m", at: Self.at)
            missing["algorithm_version"] = nil
            let webp = Data("RIFF".utf8) + Data([12, 0, 0, 0]) + Data("WEBPVP8 ".utf8) + Data([0, 0, 0, 0])
            let cases: [([String: Any], String)] = [
                (CameraFixtures.detection("cam-9", id: "1", at: Self.at), "unknown_camera"),
                (CameraFixtures.detection("cam-1", id: "2", at: Self.at, confidence: 1.5), "bad_confidence"),
                (CameraFixtures.detection("cam-1", id: "3", at: Self.at, confidence: "NaN"), "not_finite"),
                (CameraFixtures.detection("cam-1", id: "4", at: Self.at, confidence: -0.1), "bad_confidence"),
                (CameraFixtures.detection("cam-1", id: "5", at: TestApp.friday.addingTimeInterval(301)), "in_future"),
                (CameraFixtures.detection("cam-1", id: "6", at: Self.at, type: "ufo"), "unknown_type"),
                (CameraFixtures.detection("cam-1", id: "7", at: Self.at, snapshot: png, box: box), "bad_box"),
                (
                    CameraFixtures.detection(
                        "cam-1", id: "8", at: Self.at, snapshot: png,
                        box: ["x": -1, "y": 0, "width": 10, "height": 10]), "bad_box"
                ),
                (CameraFixtures.detection("cam-1", id: "9", at: Self.at, box: box), "bad_box"),
                (
                    CameraFixtures.detection("cam-1", id: "10", at: Self.at, snapshot: Data("GIF89a".utf8)),
                    "bad_snapshot"
                ),
                (CameraFixtures.detection("cam-1", id: "11", at: Self.at, snapshot: webp), "bad_snapshot"),
                (
                    CameraFixtures.detection(
                        "cam-1", id: "12", at: Self.at,
                        snapshot: CameraFixtures.png() + Data(count: CameraSnapshot.maxBytes)), "bad_snapshot"
                ),
                (missing, "missing_field"),
            ]
            let result = try await CameraFixtures.batch(
                app, token: token, cases.map(\.0), status: .unprocessableEntity)
            #expect(result.items.map { $0.error?.code } == cases.map(\.1))
            #expect(try await VitalsFixtures.count(app, "camera_detections") == 0)
            #expect(try await VitalsFixtures.count(app, "camera_snapshots") == 0)
            // Single: 400 with the code.
            try await VitalsFixtures.post(app, "/api/v1/camera-detections", token: token, json: cases[1].0) { res in
                #expect(res.status == .badRequest && res.body.string.contains("bad_confidence"))
            }
        }
    }

    @Test func aResendIsADuplicateAndAReusedIdIsAConflict() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await VitalsFixtures.token(app)
            try await CameraFixtures.register(app, token: token, CameraFixtures.camera("cam-1"))
            let item = CameraFixtures.detection("cam-1", id: "evt-1", at: Self.at)
            var detectionID: Int64?
            try await VitalsFixtures.post(app, "/api/v1/camera-detections", token: token, json: item) { res in
                #expect(res.status == .created, "\(res.body.string)")
                detectionID = try res.content.decode(DetectionResultDTO.self).detectionID
            }
            try await VitalsFixtures.post(app, "/api/v1/camera-detections", token: token, json: item) { res in
                #expect(res.status == .ok)
                let result = try res.content.decode(DetectionResultDTO.self)
                #expect(result.status == "duplicate" && result.detectionID == detectionID)
            }
            try await VitalsFixtures.post(
                app, "/api/v1/camera-detections", token: token,
                json: CameraFixtures.detection("cam-1", id: "evt-1", at: Self.at, confidence: 0.7)
            ) { res in
                #expect(res.status == .conflict && res.body.string.contains("conflicts_with_stored"))
            }
            let batch = try await CameraFixtures.batch(
                app, token: token, [item, CameraFixtures.detection("cam-1", id: "evt-2", at: Self.at), item])
            #expect(batch.items.map(\.status) == ["duplicate", "accepted", "error"])
            #expect(batch.items.last?.error?.code == "duplicate_in_batch")
            #expect(try await VitalsFixtures.count(app, "camera_detections") == 2)
            let incident = try #require(try await CameraFixtures.incidents(app, token: token).first)
            #expect(incident.detectionCount == 2)
        }
    }

    @Test func snapshotsAreTypedByContentStoredOnceAndServedInScope() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await VitalsFixtures.token(app)
            try await CameraFixtures.register(app, token: token, CameraFixtures.camera("cam-1"))
            let jpeg = CameraFixtures.jpeg(width: 1280, height: 720)
            let box: [String: Any] = ["x": 1000, "y": 500, "width": 280, "height": 220]
            let result = try await CameraFixtures.batch(
                app, token: token,
                [
                    CameraFixtures.detection("cam-1", id: "1", at: Self.at, snapshot: jpeg, box: box),
                    CameraFixtures.detection("cam-1", id: "2", at: Self.at.addingTimeInterval(5), snapshot: jpeg),
                    CameraFixtures.detection(
                        "cam-1", id: "3", at: Self.at, snapshot: jpeg,
                        box: ["x": 1000, "y": 500, "width": 281, "height": 220]),
                ])
            #expect(result.items.map(\.status) == ["accepted", "accepted", "error"])
            #expect(try await VitalsFixtures.count(app, "camera_snapshots") == 1)
            let sql = try CameraFixtures.sql(app)
            let row = try #require(
                try await sql.select().column("*").from("camera_detections").where("source_id", .equal, "1").first())
            #expect(try row.decode(column: "box_width", as: Double.self) == 280)
            #expect(try row.decode(column: "observed_ms", as: Int64.self) == VitalsTime.ms(Self.at))
            #expect(try row.decode(column: "received_ms", as: Int64.self) == VitalsTime.ms(TestApp.friday))
            let sha = Access.digest(jpeg)
            #expect(try row.decode(column: "snapshot_sha256", as: String.self) == sha)
            try await app.testing().test(.GET, "/api/v1/camera-snapshots/\(sha)", headers: .bearer(token)) { res in
                #expect(res.status == .ok && res.headers.contentType == .jpeg)
                #expect(Data(buffer: res.body) == jpeg)
            }
            let huangpu = try await TestApp.login(
                app, username: "hp.op", unit: "310101.operations_centre", role: .districtOperator)
            try await app.testing().test(.GET, "/api/v1/camera-snapshots/\(sha)", headers: .bearer(huangpu)) { res in
                #expect(res.status == .notFound)
            }
        }
    }
}
