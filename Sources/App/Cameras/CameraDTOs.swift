import CityDomain
import Foundation
import SQLKit
import Vapor

/// A camera as the API shows it.
struct CameraDTO: Content, Equatable {
    var id: String
    var name: String
    var lat: Double?
    var long: Double?
    var address: String?
    var regionCode: String
    var districtCode: String?
    var streetCode: String?
    var locateMethod: String
    var unitCode: String

    enum CodingKeys: String, CodingKey {
        case id, name, lat, long, address
        case regionCode = "region_code", districtCode = "district_code", streetCode = "street_code"
        case locateMethod = "locate_method", unitCode = "unit_code"
    }

    init(_ camera: Camera, hierarchy: RegionHierarchy) {
        id = camera.id
        name = camera.name
        lat = camera.latitude
        long = camera.longitude
        address = camera.address
        regionCode = camera.regionCode
        districtCode = hierarchy.ancestor(of: camera.regionCode, at: .district)?.code
        streetCode = hierarchy.ancestor(of: camera.regionCode, at: .street)?.code
        locateMethod = camera.locateMethod
        unitCode = camera.unitCode
    }
}

/// The outcome of one detection: `accepted` (with what tracking did), `duplicate`, or `error`.
struct DetectionResultDTO: Content, Equatable {
    var index: Int
    var status: String
    /// The stored detection's id (accepted and duplicate).
    var detectionID: Int64?
    /// `tracked`, `below_threshold` (stored; under the confidence threshold) or `too_old` (stored; before the
    /// active incident by more than the gap).
    var outcome: String?
    var incidentID: Int64?
    var incidentStatus: String?
    var caseID: Int?
    var error: ItemErrorDTO?

    enum CodingKeys: String, CodingKey {
        case index, status, outcome, error
        case detectionID = "detection_id", incidentID = "incident_id", incidentStatus = "incident_status"
        case caseID = "case_id"
    }

    init(index: Int, _ outcome: DetectionOutcome) {
        self.index = index
        switch outcome {
        case .accepted(let id, let result):
            status = "accepted"
            detectionID = id
            self.outcome = result.outcome
            incidentID = result.incidentID
            incidentStatus = result.status?.rawValue
            caseID = result.caseID
        case .duplicate(let id, let incident):
            status = "duplicate"
            detectionID = id
            incidentID = incident
        case .error(let problem):
            status = "error"
            error = ItemErrorDTO(code: problem.code, message: problem.message)
        }
    }
}

/// The answer to a batch of detections: counts, then one result per detection in order.
struct DetectionBatchResultDTO: Content, Equatable {
    var accepted: Int
    var duplicates: Int
    var errors: Int
    var items: [DetectionResultDTO]

    init(_ outcomes: [DetectionOutcome]) {
        items = outcomes.enumerated().map { DetectionResultDTO(index: $0.offset, $0.element) }
        accepted = items.filter { $0.status == "accepted" }.count
        duplicates = items.filter { $0.status == "duplicate" }.count
        errors = items.filter { $0.status == "error" }.count
    }

    /// 200 when any detection was accepted or a duplicate (or the batch was empty); 422 when every one failed.
    var status: HTTPResponseStatus { errors > 0 && accepted == 0 && duplicates == 0 ? .unprocessableEntity : .ok }
}

/// A camera incident as the API shows it, with its audit trail on `GET /api/v1/camera-incidents/:id`.
struct CameraIncidentDTO: Content, Equatable {
    struct Event: Content, Equatable {
        var at: Date
        var action: String
        var actor: String
        var note: String?
    }

    var id: Int64
    var cameraID: String
    var type: String
    var categoryCode: String
    var status: String
    /// False once it ended: a later sighting came more than the gap after its last one.
    var active: Bool
    var firstSeenAt: Date
    var lastSeenAt: Date
    var detectionCount: Int
    var maxConfidence: Double
    var algorithm: String
    var algorithmVersion: String
    var snapshotSHA256: String?
    var caseID: Int?
    var reportID: Int?
    var decidedBy: String?
    var decidedAt: Date?
    var endedAt: Date?
    var events: [Event]?

    enum CodingKeys: String, CodingKey {
        case id, type, status, active, algorithm, events
        case cameraID = "camera_id", categoryCode = "category_code", firstSeenAt = "first_seen_at"
        case lastSeenAt = "last_seen_at", detectionCount = "detection_count", maxConfidence = "max_confidence"
        case algorithmVersion = "algorithm_version", snapshotSHA256 = "snapshot_sha256", caseID = "case_id"
        case reportID = "report_id", decidedBy = "decided_by", decidedAt = "decided_at", endedAt = "ended_at"
    }

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: Int64.self)
        cameraID = try row.decode(column: "camera_id", as: String.self)
        type = try row.decode(column: "detection_type", as: String.self)
        categoryCode = try row.decode(column: "category_code", as: String.self)
        status = try row.decode(column: "status", as: String.self)
        let ended = try row.decode(column: "ended_at_ms", as: Int64?.self)
        active = ended == nil
        endedAt = ended.map(VitalsTime.date)
        firstSeenAt = VitalsTime.date(try row.decode(column: "first_seen_ms", as: Int64.self))
        lastSeenAt = VitalsTime.date(try row.decode(column: "last_seen_ms", as: Int64.self))
        detectionCount = try row.decode(column: "detection_count", as: Int.self)
        maxConfidence = try row.decode(column: "max_confidence", as: Double.self)
        algorithm = try row.decode(column: "algorithm", as: String.self)
        algorithmVersion = try row.decode(column: "algorithm_version", as: String.self)
        snapshotSHA256 = try row.decode(column: "snapshot_sha256", as: String?.self)
        caseID = try row.decode(column: "case_id", as: Int?.self)
        reportID = try row.decode(column: "report_id", as: Int?.self)
        decidedBy = try row.decode(column: "decided_by", as: String?.self)
        decidedAt = try row.decode(column: "decided_at_ms", as: Int64?.self).map(VitalsTime.date)
    }
}

/// Detection settings of a camera (or `*`, every camera) and type, as the API shows and takes them.
struct CameraSettingsDTO: Content, Equatable {
    var cameraID: String
    var type: String
    var gapSeconds: Int
    var persistSeconds: Int
    var minConfidence: Double
    var requiresConfirmation: Bool
    /// `stored` (a row of `camera_settings`) or `default` (``CityDomain/DetectionSettings/defaults(for:)``).
    var source: String
    var updatedBy: String?
    var updatedAt: Date?

    enum CodingKeys: String, CodingKey {
        case type, source
        case cameraID = "camera_id", gapSeconds = "gap_seconds", persistSeconds = "persist_seconds"
        case minConfidence = "min_confidence", requiresConfirmation = "requires_confirmation"
        case updatedBy = "updated_by", updatedAt = "updated_at"
    }

    init(
        cameraID: String, type: String, settings: DetectionSettings, source: String, updatedBy: String? = nil,
        updatedAt: Date? = nil
    ) {
        self.cameraID = cameraID
        self.type = type
        gapSeconds = settings.gapSeconds
        persistSeconds = settings.persistSeconds
        minConfidence = settings.minConfidence
        requiresConfirmation = settings.requiresConfirmation
        self.source = source
        self.updatedBy = updatedBy
        self.updatedAt = updatedAt
    }
}

/// False positives of one camera and algorithm version: incidents an operator rejected, beside those confirmed.
struct FalsePositiveDTO: Content, Equatable {
    var cameraID: String
    var algorithm: String
    var algorithmVersion: String
    /// Every incident of the camera and algorithm.
    var incidents: Int
    /// Confirmed by an operator.
    var confirmed: Int
    /// Rejected by an operator: false positives.
    var rejected: Int
    /// rejected / (confirmed + rejected), or nil before any decision.
    var falsePositiveRate: Double?

    enum CodingKeys: String, CodingKey {
        case algorithm, incidents, confirmed, rejected
        case cameraID = "camera_id", algorithmVersion = "algorithm_version", falsePositiveRate = "false_positive_rate"
    }
}
