import CityDomain
import Foundation
import SQLKit
import Vapor

/// Cameras, their detections and detection settings, for signed-in operators (CityNet issue 11 §4):
/// `POST /api/v1/cameras`, `GET /api/v1/cameras`, `GET /api/v1/cameras/:id`, `POST /api/v1/camera-detections`,
/// `POST /api/v1/camera-detections/batch`, `GET /api/v1/camera-settings`, `PUT /api/v1/camera-settings`.
struct CameraController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let cameras = routes.grouped("cameras")
        cameras.on(.POST, body: .collect(maxSize: "64kb"), use: create)
        cameras.get(use: list)
        cameras.get(":id", use: read)
        let detections = routes.grouped("camera-detections")
        detections.on(.POST, body: .collect(maxSize: "2mb"), use: single)
        detections.on(.POST, "batch", body: .collect(maxSize: "16mb"), use: batch)
        routes.get("camera-settings", use: settings)
        routes.on(.PUT, "camera-settings", body: .collect(maxSize: "4kb"), use: saveSettings)
    }

    /// `POST /api/v1/cameras` — 201 with the camera as located; 400 naming the problem, 409 for a taken id; 403 for
    /// an operator outside an operations centre, or a camera located outside the operator's region.
    @Sendable func create(req: Request) async throws -> Response {
        let scope = try req.auth.require(OperatorScope.self)
        guard scope.worksForACentre else { throw Abort(.forbidden, reason: "only operations centres register cameras") }
        let input = try req.decodeBody(CameraInput.self)
        let camera: Camera
        do { camera = try CameraRegistry.validate(input, reference: req.reference) } catch {
            throw Abort(.badRequest, reason: "\(error.code): \(error.message)")
        }
        guard scope.canSee(camera, in: req.reference.hierarchy) else {
            throw Abort(.forbidden, reason: "camera '\(camera.id)' lies outside your region")
        }
        guard try await CameraRegistry.insert(camera, now: req.now, gate: req.application.writeGate) else {
            throw Abort(.conflict, reason: "camera '\(camera.id)' is already registered")
        }
        let response = try await CameraDTO(camera, hierarchy: req.reference.hierarchy)
            .encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/cameras/\(camera.id)")
        return response
    }

    struct ListQuery: Content {
        var region: String?
        var limit: Int?
        var offset: Int?
    }

    /// `GET /api/v1/cameras?region=&limit=&offset=` — cameras in id order within the operator's scope.
    @Sendable func list(req: Request) async throws -> [CameraDTO] {
        let query = try req.decodeQuery(ListQuery.self)
        let hierarchy = req.reference.hierarchy
        let scope = try req.auth.require(OperatorScope.self)
        var regions: [String]?
        if let code = query.region {
            guard hierarchy[code] != nil else { throw Abort(.badRequest, reason: "unknown region '\(code)'") }
            regions = hierarchy.subtree(of: code)
        }
        if let own = scope.regionCodes(in: hierarchy) {
            regions = regions.map { Set($0).intersection(own).sorted() } ?? own
        }
        let limit = query.limit ?? 100
        let offset = query.offset ?? 0
        guard (1...1000).contains(limit), offset >= 0 else {
            throw LocalizedRefusal(.badRequest, "paging.limit_offset", ["maximum": "1000"])
        }
        return try await CameraRegistry.list(
            regionCodes: regions, unitCode: scope.onlyUnit, limit: limit, offset: offset, on: try req.db.sql()
        ).map { CameraDTO($0, hierarchy: hierarchy) }
    }

    /// `GET /api/v1/cameras/:id` — 404 for an unknown camera or one outside the operator's scope.
    @Sendable func read(req: Request) async throws -> CameraDTO {
        let id = req.parameters.get("id") ?? ""
        guard let camera = try await CameraRegistry.load([id], on: try req.db.sql())[id],
            try req.auth.require(OperatorScope.self).canSee(camera, in: req.reference.hierarchy)
        else { throw Abort(.notFound, reason: "camera '\(id)' not found") }
        return CameraDTO(camera, hierarchy: req.reference.hierarchy)
    }

    /// `POST /api/v1/camera-detections` — 201 `accepted` (with what became of its incident), 200 `duplicate` (a
    /// resend: nothing changed); 400 for a bad detection (a camera outside the operator's scope is
    /// `unknown_camera`) and 409 for another detection under a stored detection id, with the code in the reason.
    @Sendable func single(req: Request) async throws -> Response {
        let input = try req.decodeBody(DetectionInput.self)
        let outcomes = try await DetectionIngest.ingest(
            [input], app: req.application, now: req.now, scope: try req.auth.require(OperatorScope.self))
        guard let outcome = outcomes.first else { throw Abort(.internalServerError) }
        switch outcome {
        case .accepted:
            return try await DetectionResultDTO(index: 0, outcome).encodeResponse(status: .created, for: req)
        case .duplicate: return try await DetectionResultDTO(index: 0, outcome).encodeResponse(status: .ok, for: req)
        case .error(let error):
            let status: HTTPResponseStatus = error.code == "conflicts_with_stored" ? .conflict : .badRequest
            throw Abort(status, reason: "\(error.code): \(error.message)")
        }
    }

    /// `POST /api/v1/camera-detections/batch` — `{"detections": […]}`, at most 500: 200 with one result per
    /// detection in order, or 422 with the same list when every one failed; every accepted detection is committed
    /// before the answer. 400 for a body that is not a batch or is over the limit.
    @Sendable func batch(req: Request) async throws -> Response {
        let inputs = try req.decodeBody(DetectionBatchInput.self).detections
        guard inputs.count <= DetectionIngest.maxBatch else {
            throw Abort(.badRequest, reason: "at most \(DetectionIngest.maxBatch) detections per batch")
        }
        let outcomes = try await DetectionIngest.ingest(
            inputs, app: req.application, now: req.now, scope: try req.auth.require(OperatorScope.self))
        let result = DetectionBatchResultDTO(outcomes)
        return try await result.encodeResponse(status: result.status, for: req)
    }

    /// `GET /api/v1/camera-settings` — the stored settings (the operator's cameras' and those for every camera),
    /// then the built-in default of each type (`source: default`).
    @Sendable func settings(req: Request) async throws -> [CameraSettingsDTO] {
        let scope = try req.auth.require(OperatorScope.self)
        let stored = try await CameraSettingsStore.all(on: try req.db.sql())
        let ids = Set(stored.map(\.cameraID))
        let cameras = try await CameraRegistry.load(ids, on: try req.db.sql())
        let visible = stored.filter {
            $0.cameraID == DetectionSettings.everyCamera
                || cameras[$0.cameraID].map { scope.canSee($0, in: req.reference.hierarchy) } == true
        }
        return visible
            + DetectionType.allCases.map {
                CameraSettingsDTO(
                    cameraID: DetectionSettings.everyCamera, type: $0.rawValue,
                    settings: DetectionSettings.defaults(for: $0), source: "default")
            }
    }

    struct SettingsInput: Content {
        var cameraID: String
        var type: String
        var gapSeconds: Int
        var persistSeconds: Int
        var minConfidence: Double
        var requiresConfirmation: Bool

        enum CodingKeys: String, CodingKey {
            case type
            case cameraID = "camera_id", gapSeconds = "gap_seconds", persistSeconds = "persist_seconds"
            case minConfidence = "min_confidence", requiresConfirmation = "requires_confirmation"
        }
    }

    /// `PUT /api/v1/camera-settings` — stores the settings of one camera (or `*`, every camera) and type; 200 with
    /// them. Operations centres only; `*` only for operators of the whole city; 400 for values out of range or an
    /// unknown type, 404 for a camera unknown or outside the operator's scope. Detections already stored keep the
    /// incidents they made; the new settings apply from the next detection.
    @Sendable func saveSettings(req: Request) async throws -> CameraSettingsDTO {
        let scope = try req.auth.require(OperatorScope.self)
        guard scope.worksForACentre else {
            throw Abort(.forbidden, reason: "only operations centres change detection settings")
        }
        let input = try req.decodeBody(SettingsInput.self)
        guard let type = DetectionType(rawValue: input.type) else {
            throw Abort(.badRequest, reason: DetectionProblem.unknownType(input.type).description)
        }
        let settings: DetectionSettings
        do {
            settings = try DetectionSettings(
                gapSeconds: input.gapSeconds, persistSeconds: input.persistSeconds, minConfidence: input.minConfidence,
                requiresConfirmation: input.requiresConfirmation
            ).validated()
        } catch { throw Abort(.badRequest, reason: error.description) }
        let hierarchy = req.reference.hierarchy
        if input.cameraID == DetectionSettings.everyCamera {
            guard scope.regionCode == hierarchy.root.code else {
                throw Abort(.forbidden, reason: "settings for every camera are the city centre's")
            }
        } else {
            guard let camera = try await CameraRegistry.load([input.cameraID], on: try req.db.sql())[input.cameraID],
                scope.canSee(camera, in: hierarchy)
            else { throw Abort(.notFound, reason: "camera '\(input.cameraID)' not found") }
        }
        try await CameraSettingsStore.save(
            settings, camera: input.cameraID, type: type, by: scope.username, now: req.now,
            gate: req.application.writeGate)
        return CameraSettingsDTO(
            cameraID: input.cameraID, type: type.rawValue, settings: settings, source: "stored",
            updatedBy: scope.username, updatedAt: req.now)
    }
}
