import CityDomain
import Foundation
import SQLKit

/// An incident as stored (`incidents`).
struct IncidentRow: Codable, Sendable {
    var id: Int
    var type: IncidentType
    var level: IncidentLevel
    var title: String
    var state: IncidentState
    var source: IncidentSource
    /// Comma-separated region codes.
    var regionCodes: String
    var latitude: Double?
    var longitude: Double?
    var radiusM: Double?
    /// Comma-separated category codes.
    var categoryCodes: String
    var leadUnitCode: String
    var declaredBy: String
    var declaredAtMs: Int64
    var closedAtMs: Int64?
    var closedBy: String?
    var closeNote: String?

    var regions: [String] { regionCodes.split(separator: ",").map(String.init) }
    var categories: [String] { categoryCodes.split(separator: ",").map(String.init) }
    var center: GeoPoint? {
        guard let latitude, let longitude else { return nil }
        return try? GeoPoint(latitude: latitude, longitude: longitude)
    }
    var area: IncidentArea { IncidentArea(regionCodes: regions, center: center, radiusMeters: radiusM) }
    var declaredAt: Date { VitalsTime.date(declaredAtMs) }
}

/// A unit taking part in an incident (`incident_units`).
struct IncidentUnitRow: Codable, Sendable {
    var incidentId: Int
    var unitCode: String
    var role: IncidentUnitRole
    var joinedAtMs: Int64
}

/// A task of one unit (`incident_tasks`).
struct IncidentTaskRow: Codable, Sendable {
    var id: Int
    var incidentId: Int
    var unitCode: String
    var planCode: String?
    var taskCode: String
    var titleZh: String
    var titleEn: String
    var state: IncidentTaskState
    var createdAtMs: Int64
    var deadlineMs: Int64
    var acceptedAtMs: Int64?
    var acceptedBy: String?
    var doneAtMs: Int64?
    var doneBy: String?
    var note: String?
}

/// One timeline entry (`incident_events`): the incident's audit trail.
struct IncidentEventRow: Codable, Sendable {
    var id: Int
    var incidentId: Int
    var atMs: Int64
    var kind: IncidentEventKind
    var action: String
    var actor: String
    var actorUnitCode: String?
    var unitCode: String?
    var taskId: Int?
    /// The English text the API returns: a person's words, or the system's sentence.
    var note: String?
    /// The system's sentences as ``Message``s (``MessageNote``), worded when a page shows the entry; nil for a
    /// person's words only and for entries stored before the column.
    var noteParts: String?
}

/// A case or alarm belonging to an incident (`incident_links`).
struct IncidentLinkRow: Codable, Sendable {
    var incidentId: Int
    /// `case` or `alarm`.
    var kind: String
    var refId: Int
    /// `declared` (the incident came from it), `manual` or `auto` (joined by area and category).
    var how: String
    var atMs: Int64
}

/// A pooled resource (`resources`).
struct ResourceRow: Codable, Sendable {
    var id: String
    var kind: ResourceKind
    var name: String
    var depot: String
    var unitCode: String
    var latitude: Double
    var longitude: Double
    var demo: Bool
    /// `available` or `assigned`.
    var state: String
}

/// One resource's assignment to an incident (`resource_assignments`).
struct AssignmentRow: Codable, Sendable {
    var id: Int
    var incidentId: Int
    var resourceId: String
    var unitCode: String
    var state: AssignmentState
    var distanceM: Double
    var requestedAtMs: Int64
    var dispatchedAtMs: Int64?
    var arrivedAtMs: Int64?
    var releasedAtMs: Int64?
}

extension SQLRow {
    /// The row as `T`, its snake_case columns matched to camelCase properties.
    func incidentDecode<T: Decodable>(_ type: T.Type) throws -> T {
        try decode(model: T.self, keyDecodingStrategy: .convertFromSnakeCase)
    }
}
