import CityDomain
import Foundation
import Vapor

/// An incident's area as the API gives and takes it.
struct IncidentAreaDTO: Content {
    struct Point: Content {
        var lat: Double
        var long: Double
    }
    var regionCodes: [String]
    var point: Point?
    var radiusM: Double?

    enum CodingKeys: String, CodingKey {
        case point
        case regionCodes = "region_codes", radiusM = "radius_m"
    }
}

/// One incident in a list.
struct IncidentSummaryDTO: Content {
    var id: Int
    var type: String
    var level: String
    var title: String
    var state: String
    var leadUnitCode: String
    var regionCodes: [String]
    var declaredAt: Date
    var closedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, type, level, title, state
        case leadUnitCode = "lead_unit_code", regionCodes = "region_codes", declaredAt = "declared_at"
        case closedAt = "closed_at"
    }

    init(_ row: IncidentRow) {
        id = row.id
        type = row.type.rawValue
        level = row.level.rawValue
        title = row.title
        state = row.state.rawValue
        leadUnitCode = row.leadUnitCode
        regionCodes = row.regions
        declaredAt = row.declaredAt
        closedAt = row.closedAtMs.map(VitalsTime.date)
    }
}

/// A unit taking part.
struct IncidentUnitDTO: Content {
    var unitCode: String
    var unitNameZh: String
    var unitNameEn: String
    var role: String
    var joinedAt: Date

    enum CodingKeys: String, CodingKey {
        case role
        case unitCode = "unit_code", unitNameZh = "unit_name_zh", unitNameEn = "unit_name_en", joinedAt = "joined_at"
    }
}

/// A task of one unit.
struct IncidentTaskDTO: Content {
    var id: Int
    var unitCode: String
    var planCode: String?
    var code: String
    var titleZh: String
    var titleEn: String
    var state: String
    var createdAt: Date
    var deadline: Date
    var overdue: Bool
    var acceptedAt: Date?
    var acceptedBy: String?
    var doneAt: Date?
    var doneBy: String?
    var note: String?

    enum CodingKeys: String, CodingKey {
        case id, code, state, deadline, overdue, note
        case unitCode = "unit_code", planCode = "plan_code", titleZh = "title_zh", titleEn = "title_en"
        case createdAt = "created_at", acceptedAt = "accepted_at", acceptedBy = "accepted_by", doneAt = "done_at"
        case doneBy = "done_by"
    }

    init(_ row: IncidentTaskRow, now: Date) {
        id = row.id
        unitCode = row.unitCode
        planCode = row.planCode
        code = row.taskCode
        titleZh = row.titleZh
        titleEn = row.titleEn
        state = row.state.rawValue
        createdAt = VitalsTime.date(row.createdAtMs)
        deadline = VitalsTime.date(row.deadlineMs)
        // Late when not yet accepted by the deadline (the deadline is for the unit's response).
        let answered = row.acceptedAtMs ?? VitalsTime.ms(now)
        overdue = answered > row.deadlineMs
        acceptedAt = row.acceptedAtMs.map(VitalsTime.date)
        acceptedBy = row.acceptedBy
        doneAt = row.doneAtMs.map(VitalsTime.date)
        doneBy = row.doneBy
        note = row.note
    }
}

/// A case or alarm belonging to the incident.
struct IncidentLinkDTO: Content {
    var kind: String
    var id: Int
    var how: String
    var at: Date
}

/// One timeline entry.
struct IncidentEventDTO: Content {
    var id: Int
    var at: Date
    var kind: String
    var action: String
    var actor: String
    var actorUnitCode: String?
    var unitCode: String?
    var taskId: Int?
    var note: String?

    enum CodingKeys: String, CodingKey {
        case id, at, kind, action, actor, note
        case actorUnitCode = "actor_unit_code", unitCode = "unit_code", taskId = "task_id"
    }

    init(_ row: IncidentEventRow) {
        id = row.id
        at = VitalsTime.date(row.atMs)
        kind = row.kind.rawValue
        action = row.action
        actor = row.actor
        actorUnitCode = row.actorUnitCode
        unitCode = row.unitCode
        taskId = row.taskId
        note = row.note
    }
}

/// Counts of assignments by state.
struct AssignmentCountsDTO: Content {
    var requested = 0
    var dispatched = 0
    var arrived = 0
    var released = 0

    init(_ states: [AssignmentState]) {
        for state in states {
            switch state {
            case .requested: requested += 1
            case .dispatched: dispatched += 1
            case .arrived: arrived += 1
            case .released: released += 1
            }
        }
    }
}

/// An incident in full.
struct IncidentDTO: Content {
    var id: Int
    var type: String
    var level: String
    var levelNameZh: String
    var levelNameEn: String
    var title: String
    var state: String
    var source: String
    var area: IncidentAreaDTO
    var categoryCodes: [String]
    var leadUnitCode: String
    var declaredBy: String
    var declaredAt: Date
    var closedAt: Date?
    var closedBy: String?
    var closeNote: String?
    var units: [IncidentUnitDTO]
    var tasks: [IncidentTaskDTO]
    var links: [IncidentLinkDTO]
    var plansStarted: [String]
    var resources: AssignmentCountsDTO
    /// Whether the asking operator may command it (start plans, request resources, close).
    var canCommand: Bool

    enum CodingKeys: String, CodingKey {
        case id, type, level, title, state, source, area, units, tasks, links, resources
        case levelNameZh = "level_name_zh", levelNameEn = "level_name_en", categoryCodes = "category_codes"
        case leadUnitCode = "lead_unit_code", declaredBy = "declared_by", declaredAt = "declared_at"
        case closedAt = "closed_at", closedBy = "closed_by", closeNote = "close_note", plansStarted = "plans_started"
        case canCommand = "can_command"
    }

    /// Reads the incident's parts and describes it.
    static func load(
        _ loaded: LoadedIncident, access: IncidentAccess, reference: CityReference, store: IncidentStore, now: Date
    ) async throws -> IncidentDTO {
        let row = loaded.incident
        let tasks = try await store.tasks(row.id)
        let links = try await store.links(row.id)
        let assignments = try await store.assignments(row.id)
        return IncidentDTO(
            id: row.id, type: row.type.rawValue, level: row.level.rawValue, levelNameZh: row.level.nameZh,
            levelNameEn: row.level.nameEn, title: row.title, state: row.state.rawValue, source: row.source.rawValue,
            area: IncidentAreaDTO(
                regionCodes: row.regions, point: row.center.map { .init(lat: $0.latitude, long: $0.longitude) },
                radiusM: row.radiusM),
            categoryCodes: row.categories, leadUnitCode: row.leadUnitCode, declaredBy: row.declaredBy,
            declaredAt: row.declaredAt, closedAt: row.closedAtMs.map(VitalsTime.date), closedBy: row.closedBy,
            closeNote: row.closeNote,
            units: loaded.units.map { unit in
                IncidentUnitDTO(
                    unitCode: unit.unitCode, unitNameZh: reference.units[unit.unitCode]?.nameZh ?? unit.unitCode,
                    unitNameEn: reference.units[unit.unitCode]?.nameEn ?? unit.unitCode, role: unit.role.rawValue,
                    joinedAt: VitalsTime.date(unit.joinedAtMs))
            },
            tasks: tasks.map { IncidentTaskDTO($0, now: now) },
            links: links.map {
                IncidentLinkDTO(kind: $0.kind, id: $0.refId, how: $0.how, at: VitalsTime.date($0.atMs))
            },
            plansStarted: try await store.planStarts(row.id), resources: AssignmentCountsDTO(assignments.map(\.state)),
            canCommand: access.canCommand(row, units: loaded.units))
    }
}

/// One resource's assignment.
struct AssignmentDTO: Content {
    var id: Int
    var resourceId: String
    var kind: String
    var name: String
    var depot: String
    var demo: Bool
    var latitude: Double
    var longitude: Double
    var unitCode: String
    var state: String
    var distanceM: Double
    var requestedAt: Date
    var dispatchedAt: Date?
    var arrivedAt: Date?
    var releasedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, kind, name, depot, demo, latitude, longitude, state
        case resourceId = "resource_id", unitCode = "unit_code", distanceM = "distance_m"
        case requestedAt = "requested_at", dispatchedAt = "dispatched_at", arrivedAt = "arrived_at"
        case releasedAt = "released_at"
    }

    init(_ row: AssignmentRow, resource: ResourceRow?) {
        id = row.id
        resourceId = row.resourceId
        kind = resource?.kind.rawValue ?? ""
        name = resource?.name ?? row.resourceId
        depot = resource?.depot ?? ""
        demo = resource?.demo ?? true
        latitude = resource?.latitude ?? 0
        longitude = resource?.longitude ?? 0
        unitCode = row.unitCode
        state = row.state.rawValue
        distanceM = (row.distanceM * 10).rounded() / 10
        requestedAt = VitalsTime.date(row.requestedAtMs)
        dispatchedAt = row.dispatchedAtMs.map(VitalsTime.date)
        arrivedAt = row.arrivedAtMs.map(VitalsTime.date)
        releasedAt = row.releasedAtMs.map(VitalsTime.date)
    }
}

/// A pooled resource.
struct ResourceDTO: Content {
    var id: String
    var kind: String
    var name: String
    var depot: String
    var unitCode: String
    var latitude: Double
    var longitude: Double
    /// True for a made-up position (see `resource-pools.json`).
    var demo: Bool
    var state: String

    enum CodingKeys: String, CodingKey {
        case id, kind, name, depot, latitude, longitude, demo, state
        case unitCode = "unit_code"
    }

    init(_ row: ResourceRow) {
        id = row.id
        kind = row.kind.rawValue
        name = row.name
        depot = row.depot
        unitCode = row.unitCode
        latitude = row.latitude
        longitude = row.longitude
        demo = row.demo
        state = row.state
    }
}

/// What a plan start did.
struct PlanStartDTO: Content {
    var planCode: String
    var started: Bool
    var tasksCreated: Int
    var unitsNotified: [String]
    var unitsMissing: [String]
    var resourcesRequested: Int
    var resourcesAssigned: Int

    enum CodingKeys: String, CodingKey {
        case started
        case planCode = "plan_code", tasksCreated = "tasks_created", unitsNotified = "units_notified"
        case unitsMissing = "units_missing", resourcesRequested = "resources_requested"
        case resourcesAssigned = "resources_assigned"
    }
}

/// Refused fields (422).
struct IncidentErrorsDTO: Content {
    var errors: [IncidentFieldError]
}
