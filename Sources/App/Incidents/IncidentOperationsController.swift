import CityDomain
import Foundation
import SQLKit
import Vapor

/// Plans and resources of one incident (issue 15 §2–§3): `POST /api/v1/incidents/{id}/plans` starts a response
/// plan, `POST .../resource-requests` requests resources nearest first, `GET .../assignments` lists them and
/// `POST .../assignments/{dispatch|arrive|release}` moves them on. Commanders start plans and request; the unit
/// that requested an assignment (or a commander) moves it.
struct IncidentOperationsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let one = routes.grouped("incidents", ":id")
        one.on(.POST, "plans", body: .collect(maxSize: "4kb"), use: startPlan)
        one.on(.POST, "resource-requests", body: .collect(maxSize: "4kb"), use: requestResources)
        one.get("assignments", use: assignments)
        one.on(.POST, "assignments", ":step", body: .collect(maxSize: "64kb"), use: step)
    }

    struct PlanBody: Content {
        var planCode: String?
        enum CodingKeys: String, CodingKey { case planCode = "plan_code" }
    }

    /// `POST /api/v1/incidents/{id}/plans` — starts the plan named by `plan_code`, or without one the first plan for
    /// the incident's type and level: 201 with what it did; 200 with `started: false` when that plan was started
    /// for the incident before (nothing is done again). 422 when no plan applies or the named one is for another
    /// type or level; 409 for a closed incident.
    @Sendable func startPlan(req: Request) async throws -> Response {
        let (loaded, access) = try await req.commandedIncident("start_plans")
        try IncidentController.requireActive(loaded.incident)
        let body = (req.body.data?.readableBytes ?? 0) > 0 ? try req.decodeBody(PlanBody.self) : PlanBody()
        let incident = loaded.incident
        let plans = try await ResponsePlans.all(bundled: req.application.bundledResponsePlans, on: try req.db.sql())
        let plan: ResponsePlan
        if let code = body.planCode {
            guard let named = plans.first(where: { $0.code == code }) else {
                return try await Self.refuse("plan_code", "unknown_plan", "no response plan '\(code)'", req)
            }
            guard named.applies(to: incident.type, level: incident.level) else {
                return try await Self.refuse(
                    "plan_code", "does_not_apply",
                    "plan '\(code)' is for \(named.incidentType.rawValue) at levels "
                        + named.levels.map(\.rawValue).joined(separator: ", ")
                        + ", not \(incident.type.rawValue) at level \(incident.level.rawValue)", req)
            }
            plan = named
        } else {
            guard let first = plans.first(where: { $0.applies(to: incident.type, level: incident.level) }) else {
                return try await Self.refuse(
                    "plan_code", "no_plan",
                    "no response plan for \(incident.type.rawValue) at level \(incident.level.rawValue)", req)
            }
            plan = first
        }
        let reference = req.reference
        let actor = access.scope.actor
        let atMS = VitalsTime.ms(req.now)
        let outcome = try await req.application.writeGate.exclusive { db in
            try await IncidentStore(sql: try db.sql()).lockActive(incident.id)
            return try await PlanStart.start(
                plan, incident: incident, reference: reference, actor: actor, atMS: atMS, on: try db.sql())
        }
        let dto = PlanStartDTO(
            planCode: plan.code, started: outcome.started, tasksCreated: outcome.tasksCreated,
            unitsNotified: outcome.unitsNotified, unitsMissing: outcome.unitsMissing,
            resourcesRequested: outcome.assignments.map(\.requested).reduce(0, +),
            resourcesAssigned: outcome.assignments.map(\.assigned.count).reduce(0, +))
        return try await dto.encodeResponse(status: outcome.started ? .created : .ok, for: req)
    }

    static func refuse(_ field: String, _ code: String, _ message: String, _ req: Request) async throws -> Response {
        try await IncidentErrorsDTO(errors: [.init(field: field, code: code, message: message)])
            .encodeResponse(status: .unprocessableEntity, for: req)
    }

    struct RequestBody: Content {
        var kind: String?
        var count: Int?
        var unitCode: String?
        enum CodingKeys: String, CodingKey {
            case kind, count
            case unitCode = "unit_code"
        }
    }

    /// `POST /api/v1/incidents/{id}/resource-requests` — requests `count` (1–500) resources of `kind` for
    /// `unit_code` (a unit taking part; default the lead unit), assigned nearest first: 201 with the assignments
    /// made (fewer when the pool runs short). Commanders only; 422 naming refused fields.
    @Sendable func requestResources(req: Request) async throws -> Response {
        let (loaded, access) = try await req.commandedIncident("request_resources")
        try IncidentController.requireActive(loaded.incident)
        let body = try req.decodeBody(RequestBody.self)
        var errors: [IncidentFieldError] = []
        let kind = body.kind.flatMap(ResourceKind.init(rawValue:))
        if kind == nil {
            errors.append(
                .init(
                    field: "kind", code: body.kind == nil ? "missing" : "unknown_kind",
                    message: "kind must be one of " + ResourceKind.allCases.map(\.rawValue).joined(separator: ", ")))
        }
        let count = body.count ?? 0
        if !(1...ResponsePlan.maxResourceCount).contains(count) {
            errors.append(.init(field: "count", code: "out_of_range", message: "count must be 1–500"))
        }
        let unit = body.unitCode ?? loaded.incident.leadUnitCode
        if !loaded.units.contains(where: { $0.unitCode == unit }) {
            errors.append(
                .init(field: "unit_code", code: "not_taking_part", message: "unit '\(unit)' does not take part"))
        }
        guard errors.isEmpty, let kind else {
            return try await IncidentErrorsDTO(errors: errors).encodeResponse(status: .unprocessableEntity, for: req)
        }
        let actor = access.scope.actor
        let atMS = VitalsTime.ms(req.now)
        let made = try await req.application.writeGate.exclusive { db in
            try await IncidentStore(sql: try db.sql()).lockActive(loaded.incident.id)
            return try await ResourcePool(sql: try db.sql()).request(
                count, of: kind, for: loaded.incident, unitCode: unit, actor: actor, atMS: atMS
            ).assigned
        }
        return try await Self.describe(made, req: req).encodeResponse(status: .created, for: req)
    }

    /// `GET /api/v1/incidents/{id}/assignments` — every resource assignment of the incident, in request order.
    @Sendable func assignments(req: Request) async throws -> [AssignmentDTO] {
        let (loaded, _) = try await req.visibleIncident()
        return try await Self.describe(
            try await IncidentStore(sql: try req.db.sql()).assignments(loaded.incident.id), req: req)
    }

    struct StepBody: Content {
        var assignmentIds: [Int]?
        enum CodingKeys: String, CodingKey { case assignmentIds = "assignment_ids" }
    }

    /// `POST /api/v1/incidents/{id}/assignments/{dispatch|arrive|release}` with `assignment_ids` (1–500): marks
    /// them dispatched, arrived or released (a released resource is available again); ones already there stay as
    /// they are. Returns the assignments moved. 403 for an assignment of another unit (unless a commander); 404 for
    /// ids not of this incident; 409 for a step that does not follow (nothing moves).
    @Sendable func step(req: Request) async throws -> [AssignmentDTO] {
        let (loaded, access) = try await req.visibleIncident()
        let steps: [String: AssignmentState] = ["dispatch": .dispatched, "arrive": .arrived, "release": .released]
        guard let next = req.parameters.get("step").flatMap({ steps[$0] }) else {
            throw Abort(.notFound, reason: "step must be dispatch, arrive or release")
        }
        let ids = try req.decodeBody(StepBody.self).assignmentIds ?? []
        guard (1...500).contains(ids.count) else {
            throw LocalizedRefusal(
                .unprocessableEntity, "incident.no_assignments",
                apiReason: "assignment_ids must list 1–500 assignment ids")
        }
        let store = IncidentStore(sql: try req.db.sql())
        if !access.canCommand(loaded.incident, units: loaded.units) {
            let wanted = Set(ids)
            let others = try await store.assignments(loaded.incident.id).filter {
                wanted.contains($0.id) && $0.unitCode != access.scope.unitCode
            }
            if let other = others.first {
                throw LocalizedRefusal(
                    .forbidden, "incident.assignment_not_own", ["assignment": "\(other.id)", "unit": other.unitCode])
            }
        }
        let actor = access.scope.actor
        let atMS = VitalsTime.ms(req.now)
        let moved = try await req.application.writeGate.exclusive { db in
            try await IncidentStore(sql: try db.sql()).lockActive(loaded.incident.id)
            return try await ResourcePool(sql: try db.sql()).step(
                ids, of: loaded.incident.id, to: next, actor: actor, atMS: atMS)
        }
        return try await Self.describe(moved, req: req)
    }

    static func describe(_ rows: [AssignmentRow], req: Request) async throws -> [AssignmentDTO] {
        guard !rows.isEmpty else { return [] }
        let ids = Array(Set(rows.map(\.resourceId)))
        var resources: [String: ResourceRow] = [:]
        for start in stride(from: 0, to: ids.count, by: 500) {
            for row in try await req.db.sql().select().column("*").from("resources")
                .where("id", .in, Array(ids[start..<min(start + 500, ids.count)])).all()
            {
                let resource = try row.incidentDecode(ResourceRow.self)
                resources[resource.id] = resource
            }
        }
        return rows.map { AssignmentDTO($0, resource: resources[$0.resourceId]) }
    }
}
