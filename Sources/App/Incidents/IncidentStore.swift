import CityDomain
import Foundation
import SQLKit
import Vapor

/// Incident reads and writes on SQL. Writes run inside the caller's transaction (``WriteGate/exclusive(assignsIDs:_:)``)
/// and each state change appends its attributed timeline entry (`incident_events`), the incident's audit trail.
struct IncidentStore {
    let sql: any SQLDatabase

    /// What a declaration stores.
    struct Declaration: Sendable {
        var type: IncidentType
        var level: IncidentLevel
        var title: String
        var source: IncidentSource
        var area: IncidentArea
        var categoryCodes: [String]
        var leadUnitCode: String
        var assistingUnitCodes: [String]
        var caseID: Int?
        var alarmID: Int?
    }

    /// Stores a new active incident with its lead and assisting units and its source link, and records the
    /// declaration on the timeline.
    /// - Returns: the new incident's id.
    /// - Throws: 409 (``taken(_:_:)``) when the case or alarm already belongs to an incident.
    func declare(_ declaration: Declaration, by actor: CaseActor, atMS: Int64) async throws -> Int {
        let center = declaration.area.center
        let row = try await sql.insert(into: "incidents")
            .columns(
                "type", "level", "title", "state", "source", "region_codes", "latitude", "longitude", "radius_m",
                "category_codes", "lead_unit_code", "declared_by", "declared_at_ms"
            )
            .values(
                SQLBind(declaration.type.rawValue), SQLBind(declaration.level.rawValue), SQLBind(declaration.title),
                SQLBind(IncidentState.active.rawValue), SQLBind(declaration.source.rawValue),
                SQLBind(declaration.area.regionCodes.joined(separator: ",")), IntakeRows.b(center?.latitude),
                IntakeRows.b(center?.longitude), IntakeRows.b(declaration.area.radiusMeters),
                SQLBind(declaration.categoryCodes.joined(separator: ",")), SQLBind(declaration.leadUnitCode),
                SQLBind(actor.name), SQLBind(atMS)
            )
            .returning("id").first()
        guard let row else { throw Abort(.internalServerError, reason: "incident not stored") }
        let id = try row.decode(column: "id", as: Int.self)
        try await event(
            id, atMS: atMS, kind: .event, action: "declared", actor: actor, unitCode: declaration.leadUnitCode,
            note: "\(declaration.type.rawValue) level \(declaration.level.rawValue): \(declaration.title)",
            parts: [
                Message(
                    "incident_note.declared",
                    [
                        "type_zh": declaration.type.nameZh, "type_en": declaration.type.nameEn,
                        "level_zh": declaration.level.nameZh, "level_en": declaration.level.nameEn,
                        "code": declaration.level.rawValue,
                    ]),
                Message(MessageNote.words, ["text": declaration.title]),
            ])
        _ = try await addUnit(id, unitCode: declaration.leadUnitCode, role: .lead, actor: actor, atMS: atMS)
        for unit in declaration.assistingUnitCodes where unit != declaration.leadUnitCode {
            _ = try await addUnit(id, unitCode: unit, role: .assist, actor: actor, atMS: atMS)
        }
        for (kind, refID) in [("case", declaration.caseID), ("alarm", declaration.alarmID)] {
            guard let refID else { continue }
            guard try await link(id, kind: kind, refID: refID, how: "declared", actor: actor, atMS: atMS) else {
                throw Self.taken(kind, refID)
            }
        }
        return id
    }

    /// Adds a unit to the incident unless it takes part already.
    /// - Returns: whether it was added.
    func addUnit(_ incidentID: Int, unitCode: String, role: IncidentUnitRole, actor: CaseActor, atMS: Int64)
        async throws -> Bool
    {
        let row = try await sql.insert(into: "incident_units").columns(
            "incident_id", "unit_code", "role", "joined_at_ms"
        )
        .values(SQLBind(incidentID), SQLBind(unitCode), SQLBind(role.rawValue), SQLBind(atMS))
        .ignoringConflicts(with: ["incident_id", "unit_code"]).returning("unit_code").first()
        guard row != nil else { return false }
        try await event(
            incidentID, atMS: atMS, kind: .event, action: role == .lead ? "lead_unit" : "unit_notified", actor: actor,
            unitCode: unitCode, note: nil)
        return true
    }

    /// The refusal of linking case or alarm (`kind`) `refID`, which belongs to an incident already: 409.
    static func taken(_ kind: String, _ refID: Int) -> LocalizedRefusal {
        LocalizedRefusal(
            .conflict, kind == "case" ? "incident.case_taken" : "incident.alarm_taken", ["ref": "\(refID)"])
    }

    /// Links a case or alarm to the incident unless it belongs to one already.
    /// - Returns: whether it was linked.
    func link(_ incidentID: Int, kind: String, refID: Int, how: String, actor: CaseActor, atMS: Int64) async throws
        -> Bool
    {
        let row = try await sql.insert(into: "incident_links").columns("incident_id", "kind", "ref_id", "how", "at_ms")
            .values(SQLBind(incidentID), SQLBind(kind), SQLBind(refID), SQLBind(how), SQLBind(atMS))
            .ignoringConflicts(with: ["kind", "ref_id"]).returning("ref_id").first()
        guard row != nil else { return false }
        try await event(
            incidentID, atMS: atMS, kind: .event, action: "linked_\(kind)", actor: actor, unitCode: nil,
            note: "\(kind) #\(refID) (\(how))",
            parts: [
                Message(
                    "incident_note.linked",
                    ["phrase_kind": "incident.link.\(kind)", "ref": "\(refID)", "phrase_how": "incident.how.\(how)"])
            ])
        return true
    }

    /// Creates a task for a unit, deadline `deadlineMS`.
    /// - Returns: the task's id.
    func addTask(
        _ incidentID: Int, unitCode: String, planCode: String?, task: PlanTask, actor: CaseActor, atMS: Int64
    ) async throws -> Int {
        let deadline = atMS + Int64(task.deadlineMinutes) * 60_000
        let row = try await sql.insert(into: "incident_tasks")
            .columns(
                "incident_id", "unit_code", "plan_code", "task_code", "title_zh", "title_en", "state", "created_at_ms",
                "deadline_ms"
            )
            .values(
                SQLBind(incidentID), SQLBind(unitCode), IntakeRows.b(planCode), SQLBind(task.code),
                SQLBind(task.titleZh),
                SQLBind(task.titleEn), SQLBind(IncidentTaskState.open.rawValue), SQLBind(atMS), SQLBind(deadline)
            )
            .returning("id").first()
        guard let row else { throw Abort(.internalServerError, reason: "task not stored") }
        let id = try row.decode(column: "id", as: Int.self)
        try await event(
            incidentID, atMS: atMS, kind: .event, action: "task_created", actor: actor, unitCode: unitCode, taskID: id,
            note: "\(task.code): \(task.titleZh) (\(task.deadlineMinutes) min)",
            parts: [
                Message(
                    "incident_note.task_created",
                    ["title_zh": task.titleZh, "title_en": task.titleEn, "minutes": "\(task.deadlineMinutes)"])
            ])
        return id
    }

    /// Moves a task one step (open → accepted → done) in its unit's name.
    /// - Throws: 409 with the task's state when the step does not follow it.
    func step(task: IncidentTaskRow, to next: IncidentTaskState, actor: CaseActor, atMS: Int64, note: String?)
        async throws
    {
        let from: IncidentTaskState = next == .accepted ? .open : .accepted
        guard task.state == from else {
            let why =
                task.state == next || task.state == .done
                ? (task.state == .done ? "done" : "accepted") : "accept_first"
            throw LocalizedRefusal(
                .conflict, "incident.task_step",
                [
                    "task": "\(task.id)",
                    "phrase_verb": next == .accepted ? "incident.verb.accepted" : "incident.verb.signed_off",
                    "phrase_why": "incident.why.\(why)",
                ])
        }
        let update = sql.update("incident_tasks").set("state", to: next.rawValue)
            .where("id", .equal, task.id).where("state", .equal, from.rawValue)
        if next == .accepted {
            update.set("accepted_at_ms", to: atMS).set("accepted_by", to: actor.name)
        } else {
            update.set("done_at_ms", to: atMS).set("done_by", to: actor.name)
            if let note { update.set("note", to: note) }
        }
        guard try await update.returning("id").first() != nil else {
            throw LocalizedRefusal(.conflict, "incident.task_changed", ["task": "\(task.id)"])
        }
        try await event(
            task.incidentId, atMS: atMS, kind: .event, action: next == .accepted ? "task_accepted" : "task_done",
            actor: actor, unitCode: task.unitCode, taskID: task.id, note: note ?? task.taskCode,
            parts: [Message("incident_note.task", ["title_zh": task.titleZh, "title_en": task.titleEn])]
                + (note.map { [Message(MessageNote.words, ["text": $0])] } ?? []))
    }

    /// Appends a timeline entry, attributed to `actor`: `note` is the English text the API returns (a person's
    /// words, or the system's sentence), `parts` the system's sentences as catalogue messages with the person's
    /// words as `note.words` (``MessageNote``; none for a person's words only), worded when a page shows the entry.
    func event(
        _ incidentID: Int, atMS: Int64, kind: IncidentEventKind, action: String, actor: CaseActor, unitCode: String?,
        taskID: Int? = nil, note: String?, parts: [Message] = []
    ) async throws {
        try await sql.insert(into: "incident_events")
            .columns(
                "incident_id", "at_ms", "kind", "action", "actor", "actor_unit_code", "unit_code", "task_id", "note",
                "note_parts"
            )
            .values(
                SQLBind(incidentID), SQLBind(atMS), SQLBind(kind.rawValue), SQLBind(action), SQLBind(actor.name),
                IntakeRows.b(actor.unitCode), IntakeRows.b(unitCode), IntakeRows.b(taskID), IntakeRows.b(note),
                IntakeRows.b(MessageNote.stored(parts))
            ).run()
    }

    // MARK: reads

    func incident(_ id: Int) async throws -> IncidentRow? {
        try await sql.select().column("*").from("incidents").where("id", .equal, id).first()?
            .incidentDecode(IncidentRow.self)
    }

    func incidents(state: IncidentState?) async throws -> [IncidentRow] {
        let query = sql.select().column("*").from("incidents")
        if let state { query.where("state", .equal, state.rawValue) }
        return try await query.orderBy("id", .descending).limit(500).all().map {
            try $0.incidentDecode(IncidentRow.self)
        }
    }

    func units(_ id: Int) async throws -> [IncidentUnitRow] {
        try await sql.select().column("*").from("incident_units").where("incident_id", .equal, id)
            .orderBy("joined_at_ms").orderBy("unit_code").all().map { try $0.incidentDecode(IncidentUnitRow.self) }
    }

    func tasks(_ id: Int) async throws -> [IncidentTaskRow] {
        try await sql.select().column("*").from("incident_tasks").where("incident_id", .equal, id).orderBy("id").all()
            .map { try $0.incidentDecode(IncidentTaskRow.self) }
    }

    func task(_ id: Int, incidentID: Int) async throws -> IncidentTaskRow? {
        try await sql.select().column("*").from("incident_tasks").where("id", .equal, id)
            .where("incident_id", .equal, incidentID).first()?.incidentDecode(IncidentTaskRow.self)
    }

    func events(_ id: Int, afterID: Int = 0) async throws -> [IncidentEventRow] {
        try await sql.select().column("*").from("incident_events").where("incident_id", .equal, id)
            .where("id", .greaterThan, afterID).orderBy("id").all().map { try $0.incidentDecode(IncidentEventRow.self) }
    }

    func links(_ id: Int) async throws -> [IncidentLinkRow] {
        try await sql.select().column("*").from("incident_links").where("incident_id", .equal, id)
            .orderBy("at_ms").orderBy("ref_id").all().map { try $0.incidentDecode(IncidentLinkRow.self) }
    }

    func assignments(_ id: Int) async throws -> [AssignmentRow] {
        try await sql.select().column("*").from("resource_assignments").where("incident_id", .equal, id)
            .orderBy("id").all().map { try $0.incidentDecode(AssignmentRow.self) }
    }

    func planStarts(_ id: Int) async throws -> [String] {
        try await sql.select().column("plan_code").from("incident_plan_starts").where("incident_id", .equal, id)
            .orderBy("started_at_ms").all().map { try $0.decode(column: "plan_code", as: String.self) }
    }
}
