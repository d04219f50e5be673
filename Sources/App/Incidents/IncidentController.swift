import CityDomain
import Foundation
import SQLKit
import Vapor

/// Joint incidents for signed-in operators (issue 15 §1): declare, read, the shared timeline, messages, units,
/// tasks (accepted and signed off by their own unit), links to cases and alarms, and closing. Who may do what:
/// ``IncidentAccess``. Every change is one transaction through the write gate and leaves an attributed timeline
/// entry (`incident_events`), which the live feed carries to open consoles.
struct IncidentController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let incidents = routes.grouped("incidents")
        incidents.get(use: list)
        incidents.on(.POST, body: .collect(maxSize: "16kb"), use: declare)
        let one = incidents.grouped(":id")
        one.get(use: show)
        one.get("events", use: events)
        one.on(.POST, "messages", body: .collect(maxSize: "16kb"), use: message)
        one.on(.POST, "units", body: .collect(maxSize: "4kb"), use: addUnit)
        one.on(.POST, "tasks", body: .collect(maxSize: "8kb"), use: addTask)
        one.on(.POST, "tasks", ":task_id", "accept", body: .collect(maxSize: "4kb")) { req in
            try await Self.stepTask(req, to: .accepted)
        }
        one.on(.POST, "tasks", ":task_id", "done", body: .collect(maxSize: "8kb")) { req in
            try await Self.stepTask(req, to: .done)
        }
        one.on(.POST, "links", body: .collect(maxSize: "4kb"), use: link)
        one.on(.POST, "close", body: .collect(maxSize: "8kb"), use: close)
    }

    struct ListQuery: Content {
        var state: String?
    }

    /// `GET /api/v1/incidents[?state=active|closed]` — the incidents the operator may see, newest first (at most
    /// 500).
    @Sendable func list(req: Request) async throws -> [IncidentSummaryDTO] {
        let query = try req.decodeQuery(ListQuery.self)
        var state: IncidentState?
        if let text = query.state {
            guard let parsed = IncidentState(rawValue: text) else {
                throw Abort(.badRequest, reason: "state must be active or closed")
            }
            state = parsed
        }
        let scope = try req.auth.require(OperatorScope.self)
        let access = IncidentAccess(scope: scope, hierarchy: req.reference.hierarchy)
        let store = IncidentStore(sql: try req.db.sql())
        var visible: [IncidentSummaryDTO] = []
        for row in try await store.incidents(state: state)
        where access.canSee(row, units: try await store.units(row.id)) {
            visible.append(IncidentSummaryDTO(row))
        }
        return visible
    }

    /// `POST /api/v1/incidents` — declares an incident: 201 with it; 422 naming each refused field; 403 for an
    /// operator who is not an operations centre over the whole area; 409 when the case or alarm already belongs to
    /// an incident. New cases in the area and categories join it (``IncidentJoin``); existing open ones join now.
    @Sendable func declare(req: Request) async throws -> Response {
        let scope = try req.auth.require(OperatorScope.self)
        let body = try req.decodeBody(DeclareIncidentBody.self)
        let declaration: IncidentStore.Declaration
        switch try await IncidentDeclaration.check(body, scope: scope, reference: req.reference, on: req.db) {
        case .invalid(let errors):
            return try await IncidentErrorsDTO(errors: errors).encodeResponse(status: .unprocessableEntity, for: req)
        case .valid(let valid): declaration = valid
        }
        let atMS = VitalsTime.ms(req.now)
        let reference = req.reference
        let id = try await req.application.writeGate.exclusive { db in
            let sql = try db.sql()
            let id = try await IncidentStore(sql: sql).declare(declaration, by: scope.actor, atMS: atMS)
            try await IncidentJoin.joinOpenCases(incidentID: id, reference: reference, atMS: atMS, on: sql)
            return id
        }
        req.parameters.set("id", to: "\(id)")
        let (loaded, access) = try await req.visibleIncident()
        let dto = try await IncidentDTO.load(
            loaded, access: access, reference: req.reference, store: IncidentStore(sql: try req.db.sql()), now: req.now)
        return try await dto.encodeResponse(status: .created, for: req)
    }

    /// `GET /api/v1/incidents/{id}` — the incident with its units, tasks, links, started plans and resource counts.
    @Sendable func show(req: Request) async throws -> IncidentDTO {
        let (loaded, access) = try await req.visibleIncident()
        return try await IncidentDTO.load(
            loaded, access: access, reference: req.reference, store: IncidentStore(sql: try req.db.sql()), now: req.now)
    }

    struct EventsQuery: Content {
        var after: Int?
    }

    /// `GET /api/v1/incidents/{id}/events[?after=ID]` — the timeline, oldest first, after the given entry.
    @Sendable func events(req: Request) async throws -> [IncidentEventDTO] {
        let (loaded, _) = try await req.visibleIncident()
        let after = try req.decodeQuery(EventsQuery.self).after ?? 0
        return try await IncidentStore(sql: try req.db.sql()).events(loaded.incident.id, afterID: after)
            .map(IncidentEventDTO.init)
    }

    struct MessageBody: Content {
        var text: String?
        var kind: String?
    }

    /// `POST /api/v1/incidents/{id}/messages` — posts a message (or, with `kind: decision`, a decision, which only
    /// a commander may record) to the shared timeline: 201 with the entry. 422 for empty or over 2,000 characters.
    @Sendable func message(req: Request) async throws -> Response {
        let (loaded, access) = try await req.visibleIncident()
        let body = try req.decodeBody(MessageBody.self)
        let text = (body.text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var errors: [IncidentFieldError] = []
        if text.isEmpty || text.count > 2000 {
            errors.append(.init(field: "text", code: "bad_text", message: "text must be 1–2000 characters"))
        }
        let kind = IncidentEventKind(rawValue: body.kind ?? "message")
        if kind == nil || kind == .event {
            errors.append(.init(field: "kind", code: "bad_kind", message: "kind must be message or decision"))
        }
        guard errors.isEmpty, let kind else {
            return try await IncidentErrorsDTO(errors: errors).encodeResponse(status: .unprocessableEntity, for: req)
        }
        if kind == .decision, !access.canCommand(loaded.incident, units: loaded.units) {
            throw LocalizedRefusal(.forbidden, "incident.decision_forbidden")
        }
        let scope = access.scope
        let atMS = VitalsTime.ms(req.now)
        let id = loaded.incident.id
        try await req.application.writeGate.exclusive { db in
            try await IncidentStore(sql: try db.sql()).event(
                id, atMS: atMS, kind: kind, action: kind.rawValue, actor: scope.actor, unitCode: scope.unitCode,
                note: text)
        }
        let last = try await IncidentStore(sql: try req.db.sql()).events(id).last { $0.actor == scope.username }
        guard let last else { throw Abort(.internalServerError) }
        return try await IncidentEventDTO(last).encodeResponse(status: .created, for: req)
    }

    struct UnitBody: Content {
        var unitCode: String?
        enum CodingKeys: String, CodingKey { case unitCode = "unit_code" }
    }

    /// `POST /api/v1/incidents/{id}/units` — adds an assisting unit (协办); adding one already there changes
    /// nothing. Commanders only; 422 for an unknown unit.
    @Sendable func addUnit(req: Request) async throws -> IncidentDTO {
        let (loaded, access) = try await req.commandedIncident("add_units")
        let code = try req.decodeBody(UnitBody.self).unitCode ?? ""
        guard req.reference.units[code] != nil else {
            throw LocalizedRefusal(.unprocessableEntity, "incident.unknown_unit", ["code": code])
        }
        try Self.requireActive(loaded.incident)
        let atMS = VitalsTime.ms(req.now)
        let actor = access.scope.actor
        try await req.application.writeGate.exclusive { db in
            try await IncidentStore(sql: try db.sql()).lockActive(loaded.incident.id)
            _ = try await IncidentStore(sql: try db.sql()).addUnit(
                loaded.incident.id, unitCode: code, role: .assist, actor: actor, atMS: atMS)
        }
        return try await show(req: req)
    }

    struct TaskBody: Content {
        var unitCode: String?
        var code: String?
        var titleZh: String?
        var titleEn: String?
        var deadlineMinutes: Int?
        enum CodingKeys: String, CodingKey {
            case code
            case unitCode = "unit_code", titleZh = "title_zh", titleEn = "title_en", deadlineMinutes =
                "deadline_minutes"
        }
    }

    /// `POST /api/v1/incidents/{id}/tasks` — gives a unit taking part a task outside any plan: 201 with it.
    /// Commanders only; 422 naming refused fields (a unit not taking part is refused: add it first).
    @Sendable func addTask(req: Request) async throws -> Response {
        let (loaded, access) = try await req.commandedIncident("give_tasks")
        try Self.requireActive(loaded.incident)
        let body = try req.decodeBody(TaskBody.self)
        let task = PlanTask(
            code: body.code ?? "", titleZh: body.titleZh ?? "", titleEn: body.titleEn ?? body.titleZh ?? "",
            deadlineMinutes: body.deadlineMinutes ?? 0)
        let unit = body.unitCode ?? ""
        let probe = ResponsePlan(
            code: "adhoc", nameZh: "-", nameEn: "-", incidentType: loaded.incident.type, levels: [.general],
            units: [PlanUnit(unit: unit, tasks: [task])])
        var errors = probe.problems { req.reference.units[$0] != nil }.map { error in
            var error = error
            error.field = error.field.replacingOccurrences(of: "units[0].tasks[0].", with: "")
                .replacingOccurrences(of: "units[0].unit", with: "unit_code")
            return error
        }
        if errors.isEmpty, !loaded.units.contains(where: { $0.unitCode == unit }) {
            errors.append(
                .init(
                    field: "unit_code", code: "not_taking_part",
                    message: "unit '\(unit)' does not take part; add it first"))
        }
        guard errors.isEmpty else {
            return try await IncidentErrorsDTO(errors: errors).encodeResponse(status: .unprocessableEntity, for: req)
        }
        let atMS = VitalsTime.ms(req.now)
        let actor = access.scope.actor
        let id = try await req.application.writeGate.exclusive { db in
            try await IncidentStore(sql: try db.sql()).lockActive(loaded.incident.id)
            return try await IncidentStore(sql: try db.sql()).addTask(
                loaded.incident.id, unitCode: unit, planCode: nil, task: task, actor: actor, atMS: atMS)
        }
        guard let row = try await IncidentStore(sql: try req.db.sql()).task(id, incidentID: loaded.incident.id) else {
            throw Abort(.internalServerError)
        }
        return try await IncidentTaskDTO(row, now: req.now).encodeResponse(status: .created, for: req)
    }

    struct DoneBody: Content {
        var note: String?
    }

    /// `POST /api/v1/incidents/{id}/tasks/{task_id}/accept` and `.../done` — the task's own unit accepts it, then
    /// signs it off (with an optional note of at most 2,000 characters). 403 for an operator of another unit; 404
    /// for a task of another incident; 409 when the step does not follow the task's state or the incident is closed.
    static func stepTask(_ req: Request, to next: IncidentTaskState) async throws -> IncidentTaskDTO {
        let (loaded, access) = try await req.visibleIncident()
        guard let taskID = req.parameters.get("task_id", as: Int.self) else {
            throw LocalizedRefusal(.badRequest, "incident.task_id_not_integer")
        }
        let store = IncidentStore(sql: try req.db.sql())
        let notFound = LocalizedRefusal(
            .notFound, "incident.task_not_found", ["task": "\(taskID)", "id": "\(loaded.incident.id)"])
        guard let task = try await store.task(taskID, incidentID: loaded.incident.id) else { throw notFound }
        guard task.unitCode == access.scope.unitCode else {
            throw LocalizedRefusal(.forbidden, "incident.task_not_own", ["task": "\(taskID)", "unit": task.unitCode])
        }
        var given: String?
        if next == .done, (req.body.data?.readableBytes ?? 0) > 0 {
            given = try req.decodeBody(DoneBody.self).note?.trimmingCharacters(in: .whitespacesAndNewlines)
            if let text = given, text.count > 2000 { throw Self.noteTooLong }
        }
        let note = given?.isEmpty == true ? nil : given
        try requireActive(loaded.incident)
        let atMS = VitalsTime.ms(req.now)
        let actor = access.scope.actor
        try await req.application.writeGate.exclusive { db in
            let sql = try db.sql()
            let store = IncidentStore(sql: sql)
            try await store.lockActive(loaded.incident.id)
            guard let current = try await store.task(taskID, incidentID: loaded.incident.id) else { return }
            try await store.step(task: current, to: next, actor: actor, atMS: atMS, note: note)
        }
        guard let row = try await store.task(taskID, incidentID: loaded.incident.id) else { throw notFound }
        return IncidentTaskDTO(row, now: req.now)
    }

    struct LinkBody: Content {
        var caseId: Int?
        var alarmId: Int?
        enum CodingKeys: String, CodingKey {
            case caseId = "case_id", alarmId = "alarm_id"
        }
    }

    /// `POST /api/v1/incidents/{id}/links` — links a case (`case_id`, one the operator sees) or an alarm
    /// (`alarm_id`) by hand. Commanders only; 422 for neither or both or an unknown one; 409 when it belongs to an
    /// incident already.
    @Sendable func link(req: Request) async throws -> IncidentDTO {
        let (loaded, access) = try await req.commandedIncident("link")
        try Self.requireActive(loaded.incident)
        let body = try req.decodeBody(LinkBody.self)
        let kind: String
        let refID: Int
        switch (body.caseId, body.alarmId) {
        case (let id?, nil):
            guard try await CaseQueries.visible(id, scope: access.scope, reference: req.reference, on: req.db) != nil
            else { throw LocalizedRefusal(.unprocessableEntity, "incident.link_case_unknown", ["ref": "\(id)"]) }
            (kind, refID) = ("case", id)
        case (nil, let id?):
            guard
                try await IncidentDeclaration.alarmSensor(
                    id, scope: access.scope, reference: req.reference, on: try req.db.sql()) != nil
            else { throw LocalizedRefusal(.unprocessableEntity, "incident.link_alarm_unknown", ["ref": "\(id)"]) }
            (kind, refID) = ("alarm", id)
        default: throw LocalizedRefusal(.unprocessableEntity, "incident.link_one")
        }
        let atMS = VitalsTime.ms(req.now)
        let linked = try await req.application.writeGate.exclusive { db in
            try await IncidentStore(sql: try db.sql()).lockActive(loaded.incident.id)
            return try await IncidentStore(sql: try db.sql()).link(
                loaded.incident.id, kind: kind, refID: refID, how: "manual", actor: access.scope.actor, atMS: atMS)
        }
        guard linked else { throw IncidentStore.taken(kind, refID) }
        return try await show(req: req)
    }

    struct CloseBody: Content {
        var note: String?
        var overrideReason: String?
        enum CodingKeys: String, CodingKey {
            case note
            case overrideReason = "override_reason"
        }
    }

    /// `POST /api/v1/incidents/{id}/close` — closes the incident. With tasks not yet signed off it refuses (409
    /// listing each), unless `override_reason` (1–500 characters) says why it closes anyway, which the timeline
    /// keeps as a `closed_override` decision. Commanders only.
    @Sendable func close(req: Request) async throws -> IncidentDTO {
        let (loaded, access) = try await req.commandedIncident("close")
        let body =
            (req.body.data?.readableBytes ?? 0) > 0 ? try req.decodeBody(CloseBody.self) : CloseBody()
        let override = body.overrideReason?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let override, override.isEmpty || override.count > 500 {
            throw LocalizedRefusal(
                .unprocessableEntity, "incident.override_length", apiReason: "override_reason must be 1–500 characters")
        }
        if let note = body.note, note.count > 2000 { throw Self.noteTooLong }
        let atMS = VitalsTime.ms(req.now)
        try await req.application.writeGate.exclusive { db in
            let store = IncidentStore(sql: try db.sql())
            guard let current = try await store.incident(loaded.incident.id) else { return }
            try await store.close(current, actor: access.scope.actor, atMS: atMS, note: body.note, override: override)
        }
        return try await show(req: req)
    }

    /// - Throws: 409 when `incident` is closed.
    static func requireActive(_ incident: IncidentRow) throws {
        guard incident.state == .active else {
            throw LocalizedRefusal(.conflict, "incident.closed", ["id": "\(incident.id)"])
        }
    }

    /// A note over 2,000 characters (a task's sign-off, a close): 422.
    static let noteTooLong = LocalizedRefusal(.unprocessableEntity, "incident.note_too_long")
}
