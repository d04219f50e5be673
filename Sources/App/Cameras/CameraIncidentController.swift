import CityDomain
import Foundation
import SQLKit
import Vapor

/// The camera incident desk for signed-in operators (CityNet issue 11 §4): `GET /api/v1/camera-incidents`,
/// `GET /api/v1/camera-incidents/:id`, `POST /api/v1/camera-incidents/:id/confirm`,
/// `POST /api/v1/camera-incidents/:id/reject`, `GET /api/v1/camera-false-positives`,
/// `GET /api/v1/camera-snapshots/:id`. Operators see incidents of cameras in their scope (region, and unit for
/// caseworkers and grid workers), as they see cases there.
struct CameraIncidentController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let incidents = routes.grouped("camera-incidents")
        incidents.get(use: list)
        incidents.get(":id", use: read)
        incidents.on(.POST, ":id", "confirm", body: .collect(maxSize: "4kb"), use: confirm)
        incidents.on(.POST, ":id", "reject", body: .collect(maxSize: "4kb"), use: reject)
        routes.get("camera-false-positives", use: falsePositives)
        routes.get("camera-snapshots", ":id", use: snapshot)
    }

    struct ListQuery: Content {
        var status: String?
        var cameraID: String?

        enum CodingKeys: String, CodingKey {
            case status
            case cameraID = "camera_id"
        }
    }

    /// Restricts a query on `camera_incidents` (or a table with a `camera_id`) to the operator's cameras.
    static func scoped(_ select: SQLSelectBuilder, table: String, scope: OperatorScope, req: Request)
        -> SQLSelectBuilder
    {
        var select = select
        if let codes = scope.regionCodes(in: req.reference.hierarchy) {
            select = select.where(
                SQLColumn("camera_id", table: table), .in,
                SQLSubquery.select { $0.column("id").from("cameras").where("region_code", .in, codes) })
        }
        if let unit = scope.onlyUnit {
            select = select.where(
                SQLColumn("camera_id", table: table), .in,
                SQLSubquery.select { $0.column("id").from("cameras").where("unit_code", .equal, unit) })
        }
        return select
    }

    /// `GET /api/v1/camera-incidents?status=&camera_id=` — newest first, at most 500.
    @Sendable func list(req: Request) async throws -> [CameraIncidentDTO] {
        let query = try req.decodeQuery(ListQuery.self)
        let scope = try req.auth.require(OperatorScope.self)
        var select = Self.scoped(
            try req.db.sql().select().column("*").from("camera_incidents"), table: "camera_incidents", scope: scope,
            req: req)
        if let status = query.status {
            guard IncidentStatus(rawValue: status) != nil else {
                let known = IncidentStatus.allCases.map(\.rawValue).joined(separator: ", ")
                throw Abort(.badRequest, reason: "status must be one of \(known)")
            }
            select = select.where("status", .equal, status)
        }
        if let camera = query.cameraID { select = select.where("camera_id", .equal, camera) }
        return try await select.orderBy("id", .descending).limit(500).all().map(CameraIncidentDTO.init(row:))
    }

    /// `GET /api/v1/camera-incidents/:id` — with its audit trail; 404 for an unknown id or one outside the
    /// operator's scope.
    @Sendable func read(req: Request) async throws -> CameraIncidentDTO {
        let id = try Self.id(req)
        _ = try await Self.target(id, req: req)
        return try await Self.incident(id, on: try req.db.sql())
    }

    struct DecisionBody: Content {
        var note: String?
    }

    /// `POST /api/v1/camera-incidents/:id/confirm` — an operator confirms an incident awaiting confirmation: its
    /// report and case open through the normal intake (or join an open case about the same place and category),
    /// the operator as the accept step's actor. 409 unless it awaits confirmation; 403 outside operations centres.
    @Sendable func confirm(req: Request) async throws -> CameraIncidentDTO {
        try await decide(.confirm, req: req)
    }

    /// `POST /api/v1/camera-incidents/:id/reject` — an operator rejects an incident awaiting confirmation with a
    /// note saying why: it counts as a false positive of the camera and algorithm and opens nothing; it stays active
    /// (absorbing further sightings) until not seen for the gap. 400 without a note, otherwise as confirm.
    @Sendable func reject(req: Request) async throws -> CameraIncidentDTO {
        try await decide(.reject, req: req)
    }

    private func decide(_ decision: IncidentRules.Decision, req: Request) async throws -> CameraIncidentDTO {
        let id = try Self.id(req)
        let (scope, camera) = try await Self.target(id, req: req)
        guard scope.worksForACentre else {
            throw Abort(.forbidden, reason: "only operations centres confirm or reject camera incidents")
        }
        let note = (req.body.data?.readableBytes ?? 0) > 0 ? try req.decodeBody(DecisionBody.self).note : nil
        if let note { try TextRules.validate(note, field: "note", maxLength: 500) }
        if decision == .reject, note?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ?? true {
            throw Abort(.badRequest, reason: "rejecting an incident needs a note giving the reason")
        }
        let reference = req.reference
        let now = req.now
        let logger = req.logger
        try await req.application.writeGate.exclusive(assignsIDs: true) { db in
            let store = try CameraIncidentStore(db: db, reference: reference, now: now, logger: logger)
            guard let incident = try await store.incident(id) else {
                throw Abort(.notFound, reason: "camera incident \(id) not found")
            }
            try await CameraIncidentStore.lock(
                [
                    CameraIncidentStore.lockKey(camera: camera.id, type: incident.type),
                    CaseMerge.lockKey(incident.type.categoryCode, camera.regionCode),
                ], on: store.sql)
            // Read again under the lock: a batch may have changed it meanwhile.
            guard let current = try await store.incident(id) else { throw Abort(.notFound) }
            let next: IncidentStatus
            do { next = try IncidentRules.decide(decision, status: current.track.status) } catch {
                throw Abort(.conflict, reason: "camera incident \(id): \(error)")
            }
            guard try await store.claim(id, from: .awaitingConfirmation, to: next) else {
                throw Abort(.conflict, reason: "camera incident \(id) was decided by someone else meanwhile")
            }
            try await store.sql.update("camera_incidents").set("decided_by", to: scope.username)
                .set("decided_at_ms", to: VitalsTime.ms(now)).where("id", .equal, id).run()
            try await store.event(id, action: decision.rawValue, actor: scope.username, note: note)
            if decision == .confirm {
                guard
                    try await store.openCase(
                        incidentID: id, camera: camera, type: current.type, track: current.track,
                        snapshot: current.snapshotSHA256, algorithm: "\(current.algorithm) \(current.algorithmVersion)",
                        actor: scope.username, actorUnitCode: scope.unitCode) != nil
                else {
                    throw Abort(
                        .unprocessableEntity, reason: "category \(current.type.categoryCode) cannot take a case")
                }
            }
        }
        return try await Self.incident(id, on: try req.db.sql())
    }

    struct FalsePositiveQuery: Content {
        var cameraID: String?

        enum CodingKeys: String, CodingKey {
            case cameraID = "camera_id"
        }
    }

    /// `GET /api/v1/camera-false-positives?camera_id=` — per camera and algorithm version: incidents, confirmed,
    /// rejected (false positives) and the false-positive rate, for the operator's cameras.
    @Sendable func falsePositives(req: Request) async throws -> [FalsePositiveDTO] {
        let query = try req.decodeQuery(FalsePositiveQuery.self)
        let scope = try req.auth.require(OperatorScope.self)
        let rejected = IncidentStatus.rejected.rawValue
        var select = try req.db.sql().select().column("camera_id").column("algorithm").column("algorithm_version")
            .column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("incidents")))
            .column(
                SQLAlias(
                    SQLRaw("SUM(CASE WHEN status = '\(rejected)' THEN 1 ELSE 0 END)"), as: SQLIdentifier("rejected"))
            )
            .column(
                SQLAlias(
                    SQLRaw(
                        "SUM(CASE WHEN decided_by IS NOT NULL AND status <> '\(rejected)' THEN 1 ELSE 0 END)"),
                    as: SQLIdentifier("confirmed"))
            )
            .from("camera_incidents")
        select = Self.scoped(select, table: "camera_incidents", scope: scope, req: req)
        if let camera = query.cameraID { select = select.where("camera_id", .equal, camera) }
        return try await select.groupBy("camera_id").groupBy("algorithm").groupBy("algorithm_version")
            .orderBy("camera_id").orderBy("algorithm").orderBy("algorithm_version").all().map { row in
                let confirmed = try row.decode(column: "confirmed", as: Int.self)
                let rejected = try row.decode(column: "rejected", as: Int.self)
                return FalsePositiveDTO(
                    cameraID: try row.decode(column: "camera_id", as: String.self),
                    algorithm: try row.decode(column: "algorithm", as: String.self),
                    algorithmVersion: try row.decode(column: "algorithm_version", as: String.self),
                    incidents: try row.decode(column: "incidents", as: Int.self), confirmed: confirmed,
                    rejected: rejected,
                    falsePositiveRate: confirmed + rejected > 0 ? Double(rejected) / Double(confirmed + rejected) : nil)
            }
    }

    /// `GET /api/v1/camera-snapshots/:id` (the SHA-256) — the snapshot's bytes with their content type; 404 unless
    /// a detection of a camera in the operator's scope carries it.
    @Sendable func snapshot(req: Request) async throws -> Response {
        let sha = req.parameters.get("id") ?? ""
        let scope = try req.auth.require(OperatorScope.self)
        let sql = try req.db.sql()
        let owner = try await Self.scoped(
            sql.select().column("id").from("camera_detections").where("snapshot_sha256", .equal, sha),
            table: "camera_detections", scope: scope, req: req
        ).limit(1).first()
        guard owner != nil,
            let row = try await sql.select().column("content_type").column("data").from("camera_snapshots")
                .where("sha256", .equal, sha).first()
        else { throw Abort(.notFound, reason: "snapshot '\(sha)' not found") }
        let response = Response(status: .ok, body: .init(data: try row.decode(column: "data", as: Data.self)))
        response.headers.contentType = HTTPMediaType.fileExtension(
            try row.decode(column: "content_type", as: String.self) == "image/png" ? "png" : "jpg")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, max-age=86400, immutable")
        return response
    }

    /// The operator and the incident's camera when the operator may see it.
    /// - Throws: 404 for an unknown incident or one outside the operator's scope.
    private static func target(_ id: Int64, req: Request) async throws -> (OperatorScope, Camera) {
        let scope = try req.auth.require(OperatorScope.self)
        let sql = try req.db.sql()
        guard
            let row = try await sql.select().column("camera_id").from("camera_incidents").where("id", .equal, id)
                .first(),
            let camera = try await CameraRegistry.load(
                [try row.decode(column: "camera_id", as: String.self)], on: sql
            ).values.first,
            scope.canSee(camera, in: req.reference.hierarchy)
        else { throw Abort(.notFound, reason: "camera incident \(id) not found") }
        return (scope, camera)
    }

    private static func id(_ req: Request) throws -> Int64 {
        guard let id = req.parameters.get("id", as: Int64.self) else {
            throw Abort(.badRequest, reason: "incident id must be an integer")
        }
        return id
    }

    static func incident(_ id: Int64, on sql: any SQLDatabase) async throws -> CameraIncidentDTO {
        guard let row = try await sql.select().column("*").from("camera_incidents").where("id", .equal, id).first()
        else { throw Abort(.notFound, reason: "camera incident \(id) not found") }
        var incident = try CameraIncidentDTO(row: row)
        incident.events = try await sql.select().column("*").from("camera_incident_events")
            .where("incident_id", .equal, id).orderBy("id").all().map { event in
                CameraIncidentDTO.Event(
                    at: VitalsTime.date(try event.decode(column: "at_ms", as: Int64.self)),
                    action: try event.decode(column: "action", as: String.self),
                    actor: try event.decode(column: "actor", as: String.self),
                    note: try event.decode(column: "note", as: String?.self))
            }
        return incident
    }
}
