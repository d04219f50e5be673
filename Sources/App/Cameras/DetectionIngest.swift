import CityDomain
import Foundation
import SQLKit
import Vapor

/// What became of one detection of a request.
enum DetectionOutcome: Sendable, Equatable {
    /// Stored now; what tracking did with it.
    case accepted(detectionID: Int64, TrackResult)
    /// The algorithm sent this detection before (same camera, algorithm and detection id, same content): nothing
    /// changed.
    case duplicate(detectionID: Int64, incidentID: Int64?)
    case error(DetectionItemError)
}

/// Stores camera detections and steps their incidents, all in one transaction: a 2xx means every accepted
/// detection, its snapshot, its incident and any report and case it opened are committed (CityNet issue 11 §4).
///
/// Idempotency is the database's: `camera_detections_key` is unique on (camera, algorithm, the algorithm's detection
/// id); an insert that meets it inserts nothing, and the stored row then tells a resend (duplicate) from another
/// detection under a reused id (per-item error). Detections are applied in observed-time order per camera and type,
/// so a batch steps incidents as the same detections streamed one by one would.
enum DetectionIngest {
    /// The most detections one batch may carry (each may carry a snapshot of up to 1 MiB).
    static let maxBatch = 500

    /// Ingests detections.
    /// - Parameters:
    ///   - inputs: the detections as sent, in order.
    ///   - now: the processing time (kept beside each observed time, and the limit for it: now + 5 minutes).
    ///   - scope: the sending operator, whose detections count only for cameras within their scope (others are
    ///     `unknown_camera`, as if not registered); nil for the system.
    /// - Returns: one outcome per input, in order.
    /// - Throws: database errors only (then nothing of the request was stored).
    static func ingest(_ inputs: [DetectionInput], app: Application, now: Date, scope: OperatorScope?)
        async throws -> [DetectionOutcome]
    {
        var outcomes = [DetectionOutcome](repeating: .error(.missing("?")), count: inputs.count)
        var parsed: [(Int, ParsedDetection)] = []
        var firstIndex: [DetectionKey: Int] = [:]
        for (index, input) in inputs.enumerated() {
            do {
                let detection = try input.parsed(now: now)
                if let first = firstIndex[detection.key] {
                    outcomes[index] = .error(
                        DetectionItemError(
                            code: "duplicate_in_batch",
                            message: "the same camera_id, algorithm and detection_id as item \(first) of this batch"))
                    continue
                }
                firstIndex[detection.key] = index
                parsed.append((index, detection))
            } catch {
                outcomes[index] = .error(error)
            }
        }
        let cameras = try await CameraRegistry.load(Set(parsed.map(\.1.cameraID)), on: try app.db.sql())
        var valid: [(Int, ParsedDetection)] = []
        for (index, detection) in parsed {
            guard let camera = cameras[detection.cameraID],
                scope?.canSee(camera, in: app.reference.hierarchy) ?? true
            else {
                outcomes[index] = .error(
                    DetectionItemError(code: "unknown_camera", message: "unknown camera '\(detection.cameraID)'"))
                continue
            }
            valid.append((index, detection))
        }
        guard !valid.isEmpty else { return outcomes }
        valid.sort {
            ($0.1.cameraID, $0.1.type.rawValue, $0.1.observedMS, $0.0)
                < ($1.1.cameraID, $1.1.type.rawValue, $1.1.observedMS, $1.0)
        }
        let settings = try await CameraSettingsStore.load(cameras: cameras.keys, on: try app.db.sql())
        let reference = app.reference
        let logger = app.logger
        let accepted = valid
        let stored = try await app.writeGate.exclusive(assignsIDs: true) { db in
            let store = try CameraIncidentStore(db: db, reference: reference, now: now, logger: logger)
            var keys: [String] = []
            for (_, detection) in accepted {
                keys.append(CameraIncidentStore.lockKey(camera: detection.cameraID, type: detection.type))
                if let camera = cameras[detection.cameraID] {
                    keys.append(CaseMerge.lockKey(detection.type.categoryCode, camera.regionCode))
                }
            }
            try await CameraIncidentStore.lock(keys, on: store.sql)
            var results: [(Int, DetectionOutcome)] = []
            for (index, detection) in accepted {
                guard let camera = cameras[detection.cameraID] else { continue }
                results.append(
                    (
                        index,
                        try await store.receive(
                            detection, camera: camera,
                            settings: DetectionSettings.resolve(detection.type, camera: camera.id, stored: settings))
                    ))
            }
            return results
        }
        for (index, outcome) in stored { outcomes[index] = outcome }
        return outcomes
    }
}

extension CameraIncidentStore {
    /// Stores one detection (its snapshot once per content) and tracks it, or tells a resend from a reused id.
    func receive(_ detection: ParsedDetection, camera: Camera, settings: DetectionSettings) async throws
        -> DetectionOutcome
    {
        if let snapshot = detection.snapshot {
            try await sql.insert(into: "camera_snapshots")
                .columns("sha256", "content_type", "byte_count", "width", "height", "data", "created_at_ms")
                .values(
                    SQLBind(snapshot.sha256), SQLBind(snapshot.contentType), SQLBind(snapshot.data.count),
                    SQLBind(snapshot.width), SQLBind(snapshot.height), SQLBind(snapshot.data),
                    SQLBind(VitalsTime.ms(now))
                )
                .ignoringConflicts().run()
        }
        let box = detection.box
        let row = try await sql.insert(into: "camera_detections")
            .columns(
                "camera_id", "detection_type", "algorithm", "algorithm_version", "source_id", "confidence",
                "observed_ms", "received_ms", "snapshot_sha256", "box_x", "box_y", "box_width", "box_height",
                "outcome"
            )
            .values(
                SQLBind(detection.cameraID), SQLBind(detection.type.rawValue), SQLBind(detection.algorithm),
                SQLBind(detection.algorithmVersion), SQLBind(detection.sourceID), SQLBind(detection.confidence),
                SQLBind(detection.observedMS), SQLBind(VitalsTime.ms(now)), IntakeRows.b(detection.snapshot?.sha256),
                IntakeRows.b(box?.x), IntakeRows.b(box?.y), IntakeRows.b(box?.width), IntakeRows.b(box?.height),
                SQLBind("stored")
            )
            .ignoringConflicts().returning("id").first()
        guard let row else {
            guard
                let stored = try await sql.select().column("*").from("camera_detections")
                    .where("camera_id", .equal, detection.cameraID).where("algorithm", .equal, detection.algorithm)
                    .where("source_id", .equal, detection.sourceID).first()
            else { throw IncidentRaceError(camera: detection.cameraID, type: detection.type) }
            let same =
                try stored.decode(column: "detection_type", as: String.self) == detection.type.rawValue
                && stored.decode(column: "observed_ms", as: Int64.self) == detection.observedMS
                && stored.decode(column: "confidence", as: Double.self) == detection.confidence
            guard same else {
                return .error(
                    DetectionItemError(
                        code: "conflicts_with_stored",
                        message:
                            "detection_id '\(detection.sourceID)' of \(detection.algorithm) is stored with another "
                            + "type, time or confidence"))
            }
            return .duplicate(
                detectionID: try stored.decode(column: "id", as: Int64.self),
                incidentID: try stored.decode(column: "incident_id", as: Int64?.self))
        }
        let id = try row.decode(column: "id", as: Int64.self)
        return .accepted(
            detectionID: id, try await track(detectionID: id, detection, camera: camera, settings: settings))
    }
}
