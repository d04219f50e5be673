import CityDomain
import Foundation
import SQLKit
import Vapor

/// Closing an incident, and the claim every change takes on an active one (``IncidentStore``).
extension IncidentStore {
    /// Claims incident `id` for a change that needs it active, in the caller's transaction: on PostgreSQL the row stays
    /// locked until the commit, so a close and a change (a task, a plan, a resource request or step, a link, a unit)
    /// are done one after the other and a change never lands on an incident closed meanwhile.
    /// - Throws: 409 when the incident is closed (or gone).
    func lockActive(_ id: Int) async throws {
        let claimed = try await sql.update("incidents").set(SQLIdentifier("state"), to: SQLIdentifier("state"))
            .where("id", .equal, id).where("state", .equal, IncidentState.active.rawValue).returning("id").first()
        guard claimed != nil else { throw LocalizedRefusal(.conflict, "incident.closed", ["id": "\(id)"]) }
    }

    /// Closes the incident and releases every resource still assigned to it (back to its pool).
    /// - Parameter override: the reason to close with tasks still open; without it, open tasks refuse the close.
    /// - Throws: 409 when it is closed already, or naming every task still open (id, unit, code) when there is no
    ///   override.
    func close(_ incident: IncidentRow, actor: CaseActor, atMS: Int64, note: String?, override: String?) async throws {
        // First the row, so that the tasks read next are all there are: a change waits for this transaction.
        let closed = LocalizedRefusal(.conflict, "incident.already_closed", ["id": "\(incident.id)"])
        do { try await lockActive(incident.id) } catch { throw closed }
        let open = try await tasks(incident.id).filter { $0.state != .done }
        if !open.isEmpty && override == nil {
            let list = open.map { "#\($0.id) \($0.unitCode) \($0.taskCode) (\($0.state.rawValue))" }
            throw LocalizedRefusal(
                .conflict, "incident.open_tasks",
                [
                    "id": "\(incident.id)", "count": "\(open.count)",
                    "tasks_zh": open.map { "#\($0.id) \($0.titleZh)" }.joined(separator: "、"),
                    "tasks_en": open.map { "#\($0.id) \($0.titleEn)" }.joined(separator: ", "),
                ],
                apiReason: "incident \(incident.id) has \(open.count) task(s) not signed off: "
                    + list.joined(separator: ", ")
                    + "; sign them off, or close with override_reason to close anyway")
        }
        guard
            try await sql.update("incidents").set("state", to: IncidentState.closed.rawValue)
                .set("closed_at_ms", to: atMS).set("closed_by", to: actor.name)
                .set(SQLIdentifier("close_note"), to: IntakeRows.b(override ?? note))
                .where("id", .equal, incident.id).where("state", .equal, IncidentState.active.rawValue)
                .returning("id").first() != nil
        else { throw closed }
        let held = try await sql.select().column("id").from("resource_assignments")
            .where("incident_id", .equal, incident.id).where("state", .notEqual, AssignmentState.released.rawValue)
            .all().map { try $0.decode(column: "id", as: Int.self) }
        _ = try await ResourcePool(sql: sql).step(held, of: incident.id, to: .released, actor: actor, atMS: atMS)
        let what = override.map { "closed with \(open.count) task(s) open, override: \($0)" } ?? note
        try await event(
            incident.id, atMS: atMS, kind: .decision, action: override == nil ? "closed" : "closed_override",
            actor: actor, unitCode: nil, note: what,
            parts: override.map {
                [
                    Message("incident_note.closed_override", ["count": "\(open.count)"]),
                    Message(MessageNote.words, ["text": $0]),
                ]
            } ?? [])
    }
}
