import CityDomain
import Foundation
import SQLKit
import Vapor

/// Starting a response plan for an incident: one action that notifies the plan's units (adds them as assisting
/// units), creates their tasks with deadlines counted from the start, and requests their resources nearest first.
///
/// Idempotent: the start is claimed by inserting (incident, plan) into `incident_plan_starts`, whose unique key lets
/// one insert through; a second start — also one running at the same moment on another connection, which waits for
/// the first to commit — inserts nothing and changes nothing.
enum PlanStart {
    /// What a start did.
    struct Outcome: Sendable {
        /// False when the plan had been started for the incident before (nothing was done).
        var started: Bool
        var tasksCreated: Int
        var unitsNotified: [String]
        /// Units the plan names that the reference data does not hold for this area (skipped).
        var unitsMissing: [String]
        var assignments: [ResourcePool.Request]
    }

    /// Starts `plan` for `incident` inside the caller's transaction.
    static func start(
        _ plan: ResponsePlan, incident: IncidentRow, reference: CityReference, actor: CaseActor, atMS: Int64,
        on sql: any SQLDatabase
    ) async throws -> Outcome {
        let claimed = try await sql.insert(into: "incident_plan_starts")
            .columns("incident_id", "plan_code", "started_at_ms", "started_by")
            .values(SQLBind(incident.id), SQLBind(plan.code), SQLBind(atMS), SQLBind(actor.name))
            .ignoringConflicts(with: ["incident_id", "plan_code"]).returning("plan_code").first()
        guard claimed != nil else {
            return Outcome(started: false, tasksCreated: 0, unitsNotified: [], unitsMissing: [], assignments: [])
        }
        let store = IncidentStore(sql: sql)
        try await store.event(
            incident.id, atMS: atMS, kind: .decision, action: "plan_started", actor: actor, unitCode: nil,
            note: "\(plan.code): \(plan.nameZh)",
            parts: [Message("incident_note.plan", ["name_zh": plan.nameZh, "name_en": plan.nameEn])])
        var outcome = Outcome(started: true, tasksCreated: 0, unitsNotified: [], unitsMissing: [], assignments: [])
        for planUnit in plan.units {
            let codes =
                PlanUnitTemplate(planUnit.unit)?.unitCodes(regionCodes: incident.regions, in: reference.hierarchy)
                ?? [planUnit.unit]
            let present = codes.filter { reference.units[$0] != nil }
            if present.isEmpty { outcome.unitsMissing.append(planUnit.unit) }
            for code in present {
                if try await store.addUnit(incident.id, unitCode: code, role: .assist, actor: actor, atMS: atMS) {
                    outcome.unitsNotified.append(code)
                }
                for task in planUnit.tasks {
                    _ = try await store.addTask(
                        incident.id, unitCode: code, planCode: plan.code, task: task, actor: actor, atMS: atMS)
                    outcome.tasksCreated += 1
                }
                for resource in planUnit.resources {
                    outcome.assignments.append(
                        try await ResourcePool(sql: sql).request(
                            resource.count, of: resource.kind, for: incident, unitCode: code, actor: actor, atMS: atMS))
                }
            }
        }
        if !outcome.unitsMissing.isEmpty {
            try await store.event(
                incident.id, atMS: atMS, kind: .event, action: "plan_units_missing", actor: actor, unitCode: nil,
                note: outcome.unitsMissing.joined(separator: ", "),
                parts: [Message("incident_note.units_missing", ["units": outcome.unitsMissing.joined(separator: ",")])])
        }
        return outcome
    }
}
