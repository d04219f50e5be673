import CityDomain
import Fluent
import Foundation
import Hotline
import Logging
import SQLKit

/// A stored incident as the store works on it.
struct StoredIncident: Sendable {
    var id: Int64
    var cameraID: String
    var type: DetectionType
    var track: IncidentTrack
    var snapshotSHA256: String?
    var algorithm: String
    var algorithmVersion: String
    var caseID: Int?
    var reportID: Int?

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: Int64.self)
        cameraID = try row.decode(column: "camera_id", as: String.self)
        type = try row.decode(column: "detection_type", as: DetectionType.self)
        track = IncidentTrack(
            firstSeen: VitalsTime.date(try row.decode(column: "first_seen_ms", as: Int64.self)),
            lastSeen: VitalsTime.date(try row.decode(column: "last_seen_ms", as: Int64.self)),
            count: try row.decode(column: "detection_count", as: Int.self),
            maxConfidence: try row.decode(column: "max_confidence", as: Double.self),
            status: try row.decode(column: "status", as: IncidentStatus.self))
        snapshotSHA256 = try row.decode(column: "snapshot_sha256", as: String?.self)
        algorithm = try row.decode(column: "algorithm", as: String.self)
        algorithmVersion = try row.decode(column: "algorithm_version", as: String.self)
        caseID = try row.decode(column: "case_id", as: Int?.self)
        reportID = try row.decode(column: "report_id", as: Int?.self)
    }
}

/// What tracking did with one stored detection.
struct TrackResult: Sendable, Equatable {
    /// `tracked`, `below_threshold` or `too_old` (`camera_detections.outcome`).
    var outcome: String
    var incidentID: Int64?
    var status: IncidentStatus?
    var caseID: Int?
}

/// Incident writes inside a caller's transaction (CityNet issue 11 §4). "Already active" is the database's:
/// `camera_incidents_one_active`, a partial unique index on (camera, type) where `ended_at_ms` is null, lets at most
/// one incident of a camera and type be active; an insert that meets it inserts nothing and the sighting joins the
/// incident that won. On PostgreSQL the caller also holds ``lockKey(camera:type:)`` so that the read, step and write
/// of one incident never interleave.
struct CameraIncidentStore {
    let db: any Database
    let sql: any SQLDatabase
    let reference: CityReference
    let now: Date
    let logger: Logger

    init(db: any Database, reference: CityReference, now: Date, logger: Logger) throws {
        self.db = db
        sql = try db.sql()
        self.reference = reference
        self.now = now
        self.logger = logger
    }

    /// Where the API serves a snapshot (a report's `media_url`).
    static func snapshotPath(_ sha256: String) -> String { "/api/v1/camera-snapshots/\(sha256)" }

    /// The advisory-lock key of a (camera, type).
    static func lockKey(camera: String, type: DetectionType) -> String { "camera-incident:\(camera):\(type.rawValue)" }

    /// Takes the PostgreSQL advisory locks for the rest of the transaction, in sorted order so that two
    /// transactions never wait for each other in a cycle (nothing on SQLite, whose writes the gate serialises).
    static func lock(_ keys: some Sequence<String>, on sql: any SQLDatabase) async throws {
        guard sql.dialect.name == "postgresql" else { return }
        for key in Set(keys).sorted() {
            try await sql.raw("SELECT pg_advisory_xact_lock(hashtext(\(bind: key)))").run()
        }
    }

    /// The active incident of a camera and type, if any, locked for the rest of the transaction (`FOR UPDATE` on
    /// PostgreSQL: a concurrent writer of the same incident waits, then reads what this one committed).
    func active(camera: String, type: DetectionType) async throws -> StoredIncident? {
        try await sql.select().column("*").from("camera_incidents").where("camera_id", .equal, camera)
            .where("detection_type", .equal, type.rawValue).where("ended_at_ms", .is, SQLLiteral.null)
            .for(.update).first()
            .map(StoredIncident.init(row:))
    }

    /// Moves the incident from status `from` to `to` if it is still in `from`: the step that opens a case or asks
    /// for a decision is taken by one writer only, whatever else raced (a conditional update, so the database
    /// decides).
    /// - Returns: whether this writer took it.
    func claim(_ incidentID: Int64, from: IncidentStatus, to: IncidentStatus) async throws -> Bool {
        try await sql.update("camera_incidents").set("status", to: to.rawValue).where("id", .equal, incidentID)
            .where("status", .equal, from.rawValue).returning("id").first() != nil
    }

    /// The incident `id`, if it exists.
    func incident(_ id: Int64) async throws -> StoredIncident? {
        try await sql.select().column("*").from("camera_incidents").where("id", .equal, id).first()
            .map(StoredIncident.init(row:))
    }

    /// Applies one stored detection to its camera's incidents (``IncidentRules``), opening a case (or merging into
    /// one) when the incident asks for it, and records on the detection what became of it.
    func track(
        detectionID: Int64, _ detection: ParsedDetection, camera: Camera, settings: DetectionSettings
    ) async throws -> TrackResult {
        let result = try await step(detection, camera: camera, settings: settings, retry: true)
        try await sql.update("camera_detections").set("outcome", to: result.outcome)
            .set(SQLIdentifier("incident_id"), to: IntakeRows.b(result.incidentID))
            .where("id", .equal, detectionID).run()
        return result
    }

    private func step(_ detection: ParsedDetection, camera: Camera, settings: DetectionSettings, retry: Bool)
        async throws -> TrackResult
    {
        guard IncidentRules.counts(confidence: detection.confidence, settings: settings) else {
            return TrackResult(outcome: "below_threshold")
        }
        let observed = VitalsTime.date(detection.observedMS)
        let current = try await active(camera: camera.id, type: detection.type)
        var incidentID: Int64
        var track: IncidentTrack
        var snapshot = detection.snapshot?.sha256 ?? current?.snapshotSHA256
        switch IncidentRules.place(observed, active: current?.track, settings: settings) {
        case .tooOld:
            return TrackResult(outcome: "too_old")
        case .join:
            guard let current else { return TrackResult(outcome: "too_old") }
            incidentID = current.id
            track = IncidentRules.join(current.track, observed: observed, confidence: detection.confidence)
            if detection.snapshot == nil || observed < current.track.lastSeen { snapshot = current.snapshotSHA256 }
            try await sql.update("camera_incidents")
                .set("first_seen_ms", to: VitalsTime.ms(track.firstSeen))
                .set("last_seen_ms", to: VitalsTime.ms(track.lastSeen))
                .set("detection_count", to: track.count).set("max_confidence", to: track.maxConfidence)
                .set(SQLIdentifier("snapshot_sha256"), to: IntakeRows.b(snapshot))
                .where("id", .equal, incidentID).run()
            if let reportID = current.reportID, let sha = detection.snapshot?.sha256 {
                // A case opened before any frame came: the first frame after it becomes the report's evidence.
                try await sql.update(Report.schema).set("media_url", to: Self.snapshotPath(sha))
                    .where("id", .equal, reportID).where("media_url", .is, SQLLiteral.null).run()
            }
        case .start(let endsActive):
            if endsActive, let current {
                try await sql.update("camera_incidents")
                    .set("ended_at_ms", to: VitalsTime.ms(current.track.lastSeen))
                    .where("id", .equal, current.id).where("ended_at_ms", .is, SQLLiteral.null).run()
                try await event(
                    current.id, action: "end", actor: "system", note: "not seen for more than the gap",
                    parts: [Message("camera_note.end")])
            }
            track = IncidentRules.start(observed: observed, confidence: detection.confidence)
            let row = try await sql.insert(into: "camera_incidents")
                .columns(
                    "camera_id", "detection_type", "category_code", "status", "first_seen_ms", "last_seen_ms",
                    "detection_count", "max_confidence", "algorithm", "algorithm_version", "snapshot_sha256",
                    "created_at_ms"
                )
                .values(
                    SQLBind(camera.id), SQLBind(detection.type.rawValue), SQLBind(detection.type.categoryCode),
                    SQLBind(track.status.rawValue), SQLBind(detection.observedMS), SQLBind(detection.observedMS),
                    SQLBind(1), SQLBind(detection.confidence), SQLBind(detection.algorithm),
                    SQLBind(detection.algorithmVersion), IntakeRows.b(detection.snapshot?.sha256),
                    SQLBind(VitalsTime.ms(now))
                )
                .ignoringConflicts().returning("id").first()
            guard let row else {
                // Another writer's incident became active first: the sighting joins it.
                guard retry else { throw IncidentRaceError(camera: camera.id, type: detection.type) }
                return try await step(detection, camera: camera, settings: settings, retry: false)
            }
            incidentID = try row.decode(column: "id", as: Int64.self)
            try await event(
                incidentID, action: "start", actor: "camera:\(camera.id)",
                note: "\(detection.algorithm) \(detection.algorithmVersion) confidence \(detection.confidence)",
                parts: [
                    Message(
                        "camera_note.start",
                        [
                            "algorithm": "\(detection.algorithm) \(detection.algorithmVersion)",
                            "confidence": "\(detection.confidence)",
                        ])
                ])
        }
        var status = track.status
        var caseID = current?.id == incidentID ? current?.caseID : nil
        switch IncidentRules.action(for: track, settings: settings) {
        case .none: break
        case .awaitConfirmation:
            guard try await claim(incidentID, from: .tracking, to: .awaitingConfirmation) else { break }
            status = .awaitingConfirmation
            try await event(
                incidentID, action: "await_confirmation", actor: "system",
                note: "seen for \(Int(track.seenFor)) s; an operator confirms or rejects it",
                parts: [Message("camera_note.await_confirmation", ["seconds": "\(Int(track.seenFor))"])])
        case .openCase:
            guard try await claim(incidentID, from: .tracking, to: .caseOpened) else { break }
            if let opened = try await openCase(
                incidentID: incidentID, camera: camera, type: detection.type, track: track, snapshot: snapshot,
                algorithm: "\(detection.algorithm) \(detection.algorithmVersion)", actor: "camera:\(camera.id)",
                actorUnitCode: nil)
            {
                (status, caseID) = (opened.status, opened.caseID)
            } else {
                _ = try await claim(incidentID, from: .caseOpened, to: .tracking)
            }
        }
        return TrackResult(outcome: "tracked", incidentID: incidentID, status: status, caseID: caseID)
    }

    /// Opens a report and a case for the incident through the normal intake (its type's category, located at the
    /// camera, dispatched to the responsible unit, the snapshot and detections as evidence), or, when an open case
    /// about the same place and category exists (a hotline call's), adds the report to that case
    /// (``CaseMerge``, the hotline's duplicate rule). Records the outcome on the incident.
    /// - Returns: the incident's new status and case, or nil when the category cannot take a case (the incident
    ///   then stays as it was, and the error is logged).
    func openCase(
        incidentID: Int64, camera: Camera, type: DetectionType, track: IncidentTrack, snapshot: String?,
        algorithm: String, actor: String, actorUnitCode: String?
    ) async throws -> (status: IncidentStatus, caseID: Int)? {
        let category = reference.taxonomy[type.categoryCode]
        let when = track.firstSeen.ISO8601Format()
        let evidence: [String: String] = [
            "incident_id": "\(incidentID)", "camera_id": camera.id, "detection_type": type.rawValue,
            "algorithm": algorithm, "first_seen": when, "last_seen": track.lastSeen.ISO8601Format(),
            "detections": "\(track.count)", "max_confidence": "\(track.maxConfidence)",
            "snapshot_sha256": snapshot ?? "",
        ]
        let text =
            "城市之眼\(type.nameZh)（\(category?.nameZh ?? type.categoryCode)）：\(camera.name)"
            + (camera.address.map { "，\($0)" } ?? "") + "，\(when) 起持续 \(Int(track.seenFor)) 秒"
        let intake = IntakeReport(
            source: .camera, categoryCode: type.categoryCode, description: text, address: camera.address,
            point: camera.point, deviceID: camera.id,
            mediaURL: snapshot.map(Self.snapshotPath),
            attributes: String(decoding: try JSONEncoder.sorted.encode(evidence), as: UTF8.self), actor: actor,
            actorUnitCode: actorUnitCode)
        let located = LocatedRegion(
            regionCode: camera.regionCode, method: LocateMethod(rawValue: camera.locateMethod) ?? .none)
        let prepared: CaseIntake.PreparedCase
        do {
            prepared = try CaseIntake.prepare(intake, located: located, reference: reference, now: now)
        } catch {
            logger.error(
                "camera incident case not opened", metadata: ["incident": "\(incidentID)", "error": "\(error)"])
            return nil
        }
        try await CaseMerge.lock(categoryCode: type.categoryCode, regionCode: camera.regionCode, on: sql)
        let status: IncidentStatus
        let caseID: Int
        let reportID: Int
        if let match = try await CaseMerge.findDuplicate(
            categoryCode: type.categoryCode, regionCode: camera.regionCode, point: camera.point, receivedAt: now,
            text: text, now: now, reference: reference, on: db),
            let (state, unit) = try await CaseMerge.attach(caseID: match.caseID, now: now, on: sql)
        {
            let report = CaseIntake.makeReport(intake, regionCode: camera.regionCode, now: now)
            report.caseID = match.caseID
            reportID = try await IntakeRows.insert(report, on: sql)
            caseID = match.caseID
            status = .caseMerged
            try await IntakeRows.insert(
                [
                    CaseEvent(
                        caseID: caseID, at: now, action: .mergeReport, from: state, to: state, actor: actor,
                        actorUnitCode: actorUnitCode, unitCode: unit,
                        note: "report #\(reportID) via camera \(camera.id) (incident #\(incidentID)) merged: "
                            + match.reasons.joined(separator: "; "),
                        parts: [
                            Message(
                                "note.merged_camera",
                                ["report": "\(reportID)", "camera": camera.id, "incident": "\(incidentID)"])
                        ] + match.why.map(\.message))
                ], on: sql)
        } else {
            let stored = try await CaseIntake.insert(prepared, intake: intake, now: now, on: sql)
            caseID = try stored.case.requireID()
            reportID = try stored.report.requireID()
            status = .caseOpened
        }
        try await sql.update("camera_incidents").set("status", to: status.rawValue).set("case_id", to: caseID)
            .set("report_id", to: reportID).where("id", .equal, incidentID).run()
        try await event(
            incidentID, action: status == .caseMerged ? "merge_case" : "open_case", actor: actor,
            note: "case #\(caseID), report #\(reportID)",
            parts: [Message("camera_note.case", ["case": "\(caseID)", "report": "\(reportID)"])])
        logger.info(
            "camera incident case", metadata: ["incident": "\(incidentID)", "case": "\(caseID)", "status": "\(status)"])
        return (status, caseID)
    }

    /// Appends an incident audit event (`camera_incident_events`): `note` is the English text the API returns (an
    /// operator's words, or the system's sentence), `parts` the system's sentences as catalogue messages
    /// (``MessageNote``; none for an operator's words only), for a page to word in its reader's language.
    func event(_ incidentID: Int64, action: String, actor: String, note: String?, parts: [Message] = [])
        async throws
    {
        try await sql.insert(into: "camera_incident_events")
            .columns("incident_id", "at_ms", "action", "actor", "note", "note_parts")
            .values(
                SQLBind(incidentID), SQLBind(VitalsTime.ms(now)), SQLBind(action), SQLBind(actor), IntakeRows.b(note),
                IntakeRows.b(MessageNote.stored(parts))
            ).run()
    }
}

/// Two inserts of one incident lost to each other twice in one transaction: not expected while the caller holds
/// the (camera, type) lock; the transaction is undone.
struct IncidentRaceError: Error {
    let camera: String
    let type: DetectionType
}
