import Fluent
import SQLKit
import Vapor

/// Inserts for the intake hot path through SQLKit: explicit columns and binds, no model reflection, and the new
/// row's id from `RETURNING` (SQLite ≥ 3.35 and PostgreSQL alike). Columns match the Fluent models exactly.
enum IntakeRows {
    /// Inserts `record` and returns its new id.
    static func insert(_ record: Case, on sql: any SQLDatabase) async throws -> Int {
        let values: [(String, any Encodable & Sendable)] = [
            ("version", record.version), ("created_at", record.createdAt), ("updated_at", record.updatedAt),
            ("category_code", record.categoryCode), ("priority", record.priority),
            ("description", record.description), ("address", record.address), ("latitude", record.latitude),
            ("longitude", record.longitude), ("region_code", record.regionCode),
            ("locate_method", record.locateMethod), ("locate_candidates", record.locateCandidates),
            ("report_count", record.reportCount), ("state", record.state), ("unit_code", record.unitCode),
            ("first_unit_code", record.firstUnitCode), ("dispatch_rule", record.dispatchRule),
            ("dispatch_reason", record.dispatchReason), ("escalation_level", record.escalationLevel),
            ("extension_requested", record.extensionRequested), ("extension_days", record.extensionDays),
            ("reopen_count", record.reopenCount), ("step", record.step), ("step_started_at", record.stepStartedAt),
            ("step_due_at", record.stepDueAt), ("due_at", record.dueAt), ("escalate_at", record.escalateAt),
            ("suspensions", record.suspensions), ("time_limit_problem", record.timeLimitProblem),
        ]
        return try await insertReturningID(into: Case.schema, values, on: sql)
    }

    /// Inserts `report` and returns its new id.
    static func insert(_ report: Report, on sql: any SQLDatabase) async throws -> Int {
        let values: [(String, any Encodable & Sendable)] = [
            ("received_at", report.receivedAt), ("source", report.source), ("service_code", report.serviceCode),
            ("description", report.description), ("address", report.address), ("address_id", report.addressID),
            ("latitude", report.latitude), ("longitude", report.longitude), ("region_code", report.regionCode),
            ("reporter_email", report.reporterEmail), ("reporter_phone", report.reporterPhone),
            ("reporter_name", report.reporterName), ("device_id", report.deviceID), ("account_id", report.accountID),
            ("media_url", report.mediaURL), ("attributes", report.attributes), ("api_key_id", report.apiKeyID),
            ("case_id", report.caseID),
        ]
        return try await insertReturningID(into: Report.schema, values, on: sql)
    }

    /// Inserts audit events in one statement.
    static func insert(_ events: [CaseEvent], on sql: any SQLDatabase) async throws {
        guard !events.isEmpty else { return }
        var builder = sql.insert(into: CaseEvent.schema)
            .columns("case_id", "at", "action", "from_state", "to_state", "actor", "actor_unit_code", "unit_code", "note")
        for event in events {
            builder = builder.values(
                SQLBind(event.caseID), SQLBind(event.at), SQLBind(event.action), SQLBind(event.fromState),
                SQLBind(event.toState), SQLBind(event.actor), SQLBind(event.actorUnitCode), SQLBind(event.unitCode),
                SQLBind(event.note))
        }
        try await builder.run()
    }

    private static func insertReturningID(
        into table: String, _ values: [(String, any Encodable & Sendable)], on sql: any SQLDatabase
    ) async throws -> Int {
        let row = try await sql.insert(into: table)
            .columns(values.map(\.0))
            .values(values.map { SQLBind($0.1) })
            .returning("id")
            .first()
        guard let row else { throw Abort(.internalServerError, reason: "insert into \(table) returned no id") }
        return try row.decode(column: "id", as: Int.self)
    }
}
