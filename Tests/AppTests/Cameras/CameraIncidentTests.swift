import CityDomain
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import App

/// Camera detections become incidents and cases (CityNet issue 11 §4): deduplicated per camera and type within the
/// gap, opened only after persisting above the confidence threshold, through the normal intake, merged into an open
/// hotline case about the same place.
@Suite struct CameraIncidentTests {
    /// Ten minutes before the test clock (2024-09-27 10:00 Shanghai).
    static let start = TestApp.friday.addingTimeInterval(-1200)

    @Test func aCarSeenEveryTenSecondsIsOneIncidentAndOneDispatchedCase() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await VitalsFixtures.token(app)
            try await CameraFixtures.register(app, token: token, CameraFixtures.camera("cam-1"))
            // 2½ minutes of sightings: under the 3-minute persistence, nothing opens.
            var result = try await CameraFixtures.batch(
                app, token: token, CameraFixtures.sightings("cam-1", prefix: "a", from: Self.start, count: 16))
            #expect(result.accepted == 16)
            #expect(Set(result.items.compactMap(\.incidentID)).count == 1)
            #expect(result.items.allSatisfy { $0.incidentStatus == "tracking" && $0.caseID == nil })
            #expect(try await VitalsFixtures.count(app, "cases") == 0)
            // Dropped for 8 minutes by a lighting change, then seen again: the same incident, now persisted.
            // The last sighting carries the frame the case shows.
            var later = CameraFixtures.sightings(
                "cam-1", prefix: "b", from: Self.start.addingTimeInterval(150 + 480), count: 30)
            let frame = CameraFixtures.jpeg()
            later[29]["snapshot"] = frame.base64EncodedString()
            result = try await CameraFixtures.batch(app, token: token, later)
            let incidents = try await CameraFixtures.incidents(app, token: token)
            #expect(incidents.count == 1)
            let incident = try #require(incidents.first)
            #expect(incident.status == "case_opened" && incident.active && incident.detectionCount == 46)
            #expect(Set(result.items.compactMap(\.incidentID)) == [incident.id])
            #expect(try await VitalsFixtures.count(app, "cases") == 1)
            #expect(try await VitalsFixtures.count(app, "reports") == 1)
            // The case: its category, at the camera's street, dispatched, the snapshot and detections as evidence.
            let caseID = try #require(incident.caseID)
            let record = try #require(try await Case.find(caseID, on: app.db))
            #expect(record.categoryCode == "parking.fire_lane")
            #expect(record.regionCode == CameraFixtures.street)
            #expect(record.state == .dispatched)
            #expect(record.latitude == 31.2455)
            let report = try #require(try await Report.query(on: app.db).first())
            #expect(report.source == .camera && report.caseID == caseID && report.deviceID == "cam-1")
            #expect(report.attributes?.contains("\"incident_id\":\"\(incident.id)\"") == true)
            #expect(report.mediaURL == "/api/v1/camera-snapshots/\(Access.digest(frame))")
            #expect(incident.snapshotSHA256 == Access.digest(frame))
            let actions = try await CaseEvent.query(on: app.db).filter(\.$caseID == caseID).all().map(\.action)
            #expect(actions.contains(.workflow(.dispatch)))
            let audited = try await CameraFixtures.incident(app, token: token, incident.id)
            #expect(audited.events?.map(\.action) == ["start", "open_case"])
        }
    }

    @Test func aLongerAbsenceIsANewIncidentThatJoinsTheOpenCase() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await VitalsFixtures.token(app)
            try await CameraFixtures.settings(app, token: token, persist: 0)
            try await CameraFixtures.register(app, token: token, CameraFixtures.camera("cam-1"))
            try await CameraFixtures.batch(
                app, token: token,
                [
                    CameraFixtures.detection("cam-1", id: "1", at: Self.start),
                    // 11 minutes later: past the 10-minute gap.
                    CameraFixtures.detection("cam-1", id: "2", at: Self.start.addingTimeInterval(660)),
                ])
            let incidents = try await CameraFixtures.incidents(app, token: token)
            #expect(incidents.map(\.status) == ["case_merged", "case_opened"])
            #expect(incidents.map(\.active) == [true, false])
            #expect(incidents.last?.endedAt == Self.start)
            // One place, one category, one open case: the second incident's report joined it.
            #expect(try await VitalsFixtures.count(app, "cases") == 1)
            #expect(try await VitalsFixtures.count(app, "reports") == 2)
            #expect(incidents[0].caseID == incidents[1].caseID)
        }
    }

    @Test func weakDetectionsAreStoredButOpenNothing() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await VitalsFixtures.token(app)
            try await CameraFixtures.register(app, token: token, CameraFixtures.camera("cam-1"))
            let result = try await CameraFixtures.batch(
                app, token: token,
                CameraFixtures.sightings("cam-1", prefix: "w", from: Self.start, count: 40, confidence: 0.55))
            #expect(result.items.allSatisfy { $0.status == "accepted" && $0.outcome == "below_threshold" })
            #expect(try await VitalsFixtures.count(app, "camera_detections") == 40)
            #expect(try await VitalsFixtures.count(app, "camera_incidents") == 0)
            #expect(try await VitalsFixtures.count(app, "cases") == 0)
            // The threshold is data: lowered for this camera, the same car now counts.
            try await CameraFixtures.settings(app, token: token, camera: "cam-1", minConfidence: 0.5)
            try await CameraFixtures.batch(
                app, token: token,
                CameraFixtures.sightings(
                    "cam-1", prefix: "w2", from: Self.start.addingTimeInterval(400), count: 20, confidence: 0.55))
            #expect(try await VitalsFixtures.count(app, "cases") == 1)
        }
    }

    @Test func anOpenHotlineCaseAboutTheSamePlaceTakesTheDetection() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await VitalsFixtures.token(app)
            try await CameraFixtures.settings(app, token: token, persist: 0)
            try await CameraFixtures.register(app, token: token, CameraFixtures.camera("cam-1"))
            // Two 12345 calls an hour ago about the blocked fire lane at the bridge: one case.
            let call = IntakeReport(
                source: .hotline, categoryCode: "parking.fire_lane",
                description: "曹杨路桥下的消防通道被私家车占用，消防车进不来", chosenRegionCode: CameraFixtures.street,
                actor: "12345:test")
            let (_, hotlineCase) = try await CaseIntake.register(
                call, reference: app.reference, gate: app.writeGate, now: TestApp.friday.addingTimeInterval(-3600),
                logger: app.logger)
            let caseID = try hotlineCase.requireID()
            // A call about another category at the same place stays apart.
            _ = try await CaseIntake.register(
                IntakeReport(
                    source: .hotline, categoryCode: "sanitation.garbage", description: "曹杨路桥下垃圾堆放",
                    chosenRegionCode: CameraFixtures.street, actor: "12345:test"),
                reference: app.reference, gate: app.writeGate, now: TestApp.friday.addingTimeInterval(-3000),
                logger: app.logger)
            let result = try await CameraFixtures.batch(
                app, token: token, [CameraFixtures.detection("cam-1", id: "1", at: Self.start)])
            #expect(result.items.first?.incidentStatus == "case_merged")
            #expect(result.items.first?.caseID == caseID)
            #expect(try await VitalsFixtures.count(app, "cases") == 2)
            let merged = try #require(try await Case.find(caseID, on: app.db))
            #expect(merged.reportCount == 2)
            let reports = try await Report.query(on: app.db).filter(\.$caseID == caseID).all()
            #expect(Set(reports.map(\.source)) == [.hotline, .camera])
            let events = try await CaseEvent.query(on: app.db).filter(\.$caseID == caseID).all()
            #expect(events.filter { $0.action == .mergeReport }.count == 1)
        }
    }

    @Test func anOperatorConfirmsOrRejectsAndRejectionsCountAsFalsePositives() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await VitalsFixtures.token(app)
            try await CameraFixtures.register(app, token: token, CameraFixtures.camera("cam-1"))
            try await CameraFixtures.register(
                app, token: token, CameraFixtures.camera("cam-2", address: "石泉路街道石泉路", point: false))
            for camera in ["cam-1", "cam-2"] {
                try await CameraFixtures.settings(
                    app, token: token, camera: camera, type: "bike_parking_pavement", persist: 60, confirm: true)
            }
            for (camera, prefix) in [("cam-1", "x"), ("cam-2", "y")] {
                try await CameraFixtures.batch(
                    app, token: token,
                    CameraFixtures.sightings(
                        camera, prefix: prefix, from: Self.start, count: 10, type: "bike_parking_pavement"))
            }
            var incidents = try await CameraFixtures.incidents(
                app, token: token, query: "?status=awaiting_confirmation")
            #expect(incidents.count == 2)
            #expect(try await VitalsFixtures.count(app, "cases") == 0)
            let first = try #require(incidents.first { $0.cameraID == "cam-1" })
            let second = try #require(incidents.first { $0.cameraID == "cam-2" })
            let base = "/api/v1/camera-incidents/"
            // A caseworker may not decide; a rejection needs a reason.
            let worker = try await TestApp.login(
                app, username: "pt.road", unit: "310107.road_maintenance", role: .caseworker)
            try await VitalsFixtures.post(
                app, base + "\(first.id)/confirm", token: worker, json: [:] as [String: String]
            ) { res in
                #expect(res.status == .forbidden)
            }
            try await VitalsFixtures.post(
                app, base + "\(second.id)/reject", token: token, json: [:] as [String: String]
            ) { res in
                #expect(res.status == .badRequest)
            }
            try await VitalsFixtures.post(app, base + "\(first.id)/confirm", token: token, json: ["note": "看过画面"]) {
                res in
                #expect(res.status == .ok, "\(res.body.string)")
                let incident = try res.content.decode(CameraIncidentDTO.self)
                #expect(incident.status == "case_opened" && incident.decidedBy == "vitals.op")
                #expect(incident.events?.map(\.action) == ["start", "await_confirmation", "confirm", "open_case"])
            }
            try await VitalsFixtures.post(
                app, base + "\(second.id)/reject", token: token, json: ["note": "是隔离栏的影子"]
            ) { res in
                #expect(res.status == .ok, "\(res.body.string)")
                let incident = try res.content.decode(CameraIncidentDTO.self)
                #expect(incident.status == "rejected" && incident.caseID == nil)
                #expect(incident.events?.last?.note == "是隔离栏的影子")
            }
            // Each is decided once.
            for path in ["\(first.id)/reject", "\(second.id)/confirm"] {
                try await VitalsFixtures.post(app, base + path, token: token, json: ["note": "again"]) { res in
                    #expect(res.status == .conflict, "\(path)")
                }
            }
            // The system's entries keep codes and parameters for pages to word (issue 12 §6); an operator's words
            // are the note alone.
            let stored = try await app.db.sql().select().column("note_parts").from("camera_incident_events")
                .where("incident_id", .equal, first.id).orderBy("id").all()
                .map { MessageNote.parts(try $0.decode(column: "note_parts", as: String?.self))?.map(\.code) ?? [] }
            #expect(stored == [["camera_note.start"], ["camera_note.await_confirmation"], [], ["camera_note.case"]])
            #expect(try await VitalsFixtures.count(app, "cases") == 1)
            let confirmedCase = try #require(try await CameraFixtures.incident(app, token: token, first.id).caseID)
            let opened = try #require(try await Case.find(confirmedCase, on: app.db))
            #expect(opened.categoryCode == "parking.shared_bicycle")
            // A rejected incident keeps absorbing the same bikes: nothing new is asked.
            try await CameraFixtures.batch(
                app, token: token,
                CameraFixtures.sightings(
                    "cam-2", prefix: "z", from: Self.start.addingTimeInterval(200), count: 10,
                    type: "bike_parking_pavement"))
            incidents = try await CameraFixtures.incidents(app, token: token, query: "?camera_id=cam-2")
            #expect(incidents.map(\.status) == ["rejected"])
            try await app.testing().test(.GET, "/api/v1/camera-false-positives", headers: .bearer(token)) { res in
                #expect(res.status == .ok)
                let rows = try res.content.decode([FalsePositiveDTO].self)
                #expect(rows.map(\.cameraID) == ["cam-1", "cam-2"])
                #expect(rows.map(\.rejected) == [0, 1] && rows.map(\.confirmed) == [1, 0])
                #expect(rows.map(\.falsePositiveRate) == [0, 1])
                #expect(rows.allSatisfy { $0.algorithm == "cityeye-parking" && $0.algorithmVersion == "2.3" })
            }
        }
    }
}
