import CityDomain
import Foundation
import SQLKit
import Vapor

/// An incident's measured times (``IncidentMetrics``), in seconds from the declaration.
struct IncidentMetricsDTO: Content {
    struct UnitTimes: Content {
        var unitCode: String
        var tasks: Int
        var firstResponseSeconds: Double?
        var allAcceptedSeconds: Double?
        var allDoneSeconds: Double?

        enum CodingKeys: String, CodingKey {
            case tasks
            case unitCode = "unit_code", firstResponseSeconds = "first_response_seconds"
            case allAcceptedSeconds = "all_accepted_seconds", allDoneSeconds = "all_done_seconds"
        }
    }
    var incidentId: Int
    var declaredAt: Date
    var firstResponseSeconds: Double?
    var allAcceptedSeconds: Double?
    var resolutionSeconds: Double?
    /// Seconds from the declaration to the last resource's arrival, nil until every assigned one arrived.
    var allResourcesArrivedSeconds: Double?
    var units: [UnitTimes]

    enum CodingKeys: String, CodingKey {
        case units
        case incidentId = "incident_id", declaredAt = "declared_at", firstResponseSeconds = "first_response_seconds"
        case allAcceptedSeconds = "all_accepted_seconds", resolutionSeconds = "resolution_seconds"
        case allResourcesArrivedSeconds = "all_resources_arrived_seconds"
    }

    static func measure(_ incident: IncidentRow, store: IncidentStore) async throws -> IncidentMetricsDTO {
        let tasks = try await store.tasks(incident.id)
        let metrics = IncidentMetrics.measure(
            declaredAt: incident.declaredAt, closedAt: incident.closedAtMs.map(VitalsTime.date),
            tasks: tasks.map {
                .init(
                    unitCode: $0.unitCode, acceptedAt: $0.acceptedAtMs.map(VitalsTime.date),
                    doneAt: $0.doneAtMs.map(VitalsTime.date))
            })
        let arrivals = try await store.assignments(incident.id).map { $0.arrivedAtMs }
        let arrived: Double? =
            arrivals.isEmpty || arrivals.contains(nil)
            ? nil : Double((arrivals.compactMap { $0 }.max() ?? 0) - incident.declaredAtMs) / 1000
        return IncidentMetricsDTO(
            incidentId: incident.id, declaredAt: incident.declaredAt,
            firstResponseSeconds: metrics.firstResponseSeconds,
            allAcceptedSeconds: metrics.allAcceptedSeconds, resolutionSeconds: metrics.resolutionSeconds,
            allResourcesArrivedSeconds: arrived,
            units: metrics.units.map {
                UnitTimes(
                    unitCode: $0.unitCode, tasks: $0.tasks, firstResponseSeconds: $0.firstResponseSeconds,
                    allAcceptedSeconds: $0.allAcceptedSeconds, allDoneSeconds: $0.allDoneSeconds)
            })
    }
}

/// The timeline bucketed per minute from the declaration, and, for one minute, the state at its end.
struct IncidentReplayDTO: Content {
    struct Minute: Content {
        var minute: Int
        var events: [IncidentEventDTO]
    }
    /// The state at the end of a minute.
    struct State: Content {
        var minute: Int
        var at: Date
        var incidentState: String
        var units: Int
        var tasks: [String: Int]
        var assignments: AssignmentCountsDTO

        enum CodingKeys: String, CodingKey {
            case minute, at, units, tasks, assignments
            case incidentState = "incident_state"
        }
    }
    var incidentId: Int
    var declaredAt: Date
    /// Every minute from 0 to the last with an event, empty minutes included.
    var minutes: [Minute]
    /// With `?minute=m`: the state at the end of minute m; else nil.
    var state: State?

    enum CodingKeys: String, CodingKey {
        case minutes, state
        case incidentId = "incident_id", declaredAt = "declared_at"
    }
}

/// `GET /api/v1/incidents/{id}/metrics` and `GET /api/v1/incidents/{id}/replay[?minute=m]` (issue 15 §4).
struct IncidentMeasureController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let one = routes.grouped("incidents", ":id")
        one.get("metrics", use: metrics)
        one.get("replay", use: replay)
    }

    @Sendable func metrics(req: Request) async throws -> IncidentMetricsDTO {
        let (loaded, _) = try await req.visibleIncident()
        return try await IncidentMetricsDTO.measure(loaded.incident, store: IncidentStore(sql: try req.db.sql()))
    }

    struct ReplayQuery: Content {
        var minute: Int?
    }

    @Sendable func replay(req: Request) async throws -> IncidentReplayDTO {
        let (loaded, _) = try await req.visibleIncident()
        let minute = try req.decodeQuery(ReplayQuery.self).minute
        if let minute, minute < 0 || minute > 100_000 {
            throw Abort(.badRequest, reason: "minute must be 0–100000 (minutes from the declaration)")
        }
        let store = IncidentStore(sql: try req.db.sql())
        return try await Self.replay(loaded.incident, minute: minute, store: store)
    }

    /// The replay of `incident`; with `minute`, also the state at the end of that minute.
    static func replay(_ incident: IncidentRow, minute: Int?, store: IncidentStore) async throws -> IncidentReplayDTO {
        let events = try await store.events(incident.id)
        let declared = incident.declaredAt
        let buckets = IncidentReplay.buckets(events.map { VitalsTime.date($0.atMs) }, declaredAt: declared)
        var state: IncidentReplayDTO.State?
        if let minute {
            let endMS = incident.declaredAtMs + Int64(minute + 1) * 60_000
            let tasks = try await store.tasks(incident.id).filter { $0.createdAtMs < endMS }
            var byState = ["open": 0, "accepted": 0, "done": 0]
            for task in tasks {
                let key =
                    (task.doneAtMs ?? .max) < endMS ? "done" : (task.acceptedAtMs ?? .max) < endMS ? "accepted" : "open"
                byState[key, default: 0] += 1
            }
            let assignments = try await store.assignments(incident.id).filter { $0.requestedAtMs < endMS }.map {
                row -> AssignmentState in
                if (row.releasedAtMs ?? .max) < endMS { return .released }
                if (row.arrivedAtMs ?? .max) < endMS { return .arrived }
                if (row.dispatchedAtMs ?? .max) < endMS { return .dispatched }
                return .requested
            }
            let units = events.filter {
                $0.atMs < endMS && ($0.action == "lead_unit" || $0.action == "unit_notified")
            }.count
            state = .init(
                minute: minute, at: VitalsTime.date(endMS),
                incidentState: (incident.closedAtMs ?? .max) < endMS ? "closed" : "active", units: units,
                tasks: byState, assignments: AssignmentCountsDTO(assignments))
        }
        return IncidentReplayDTO(
            incidentId: incident.id, declaredAt: declared,
            minutes: buckets.enumerated().map { index, ids in
                .init(minute: index, events: ids.map { IncidentEventDTO(events[$0]) })
            }, state: state)
    }
}
