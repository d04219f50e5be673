import Fluent
import SQLKit
import Vapor

/// One intake's rows: the case, its first report and its three audit events (built once the ids are known).
struct IntakeRowSet: Sendable {
    let record: Case
    let report: Report
    let events: @Sendable (_ caseID: Int, _ reportID: Int) -> [CaseEvent]
}

/// Inserts for the intake hot path through SQLKit: explicit columns and binds, no model reflection. Columns match
/// the Fluent models exactly.
///
/// Two ways to get ids: ``insert(_:on:)-(IntakeRowSet,_)`` asks the database (`RETURNING id`, SQLite ≥ 3.35 and
/// PostgreSQL), one intake at a time; ``insertGroup(_:from:on:)`` assigns consecutive ids after `MAX(id)` and writes a
/// whole group in three multi-row statements. The second is only correct where every insert into `cases` and
/// `reports` goes through one serial writer: CityNet's SQLite ``WriteGate``.
enum IntakeRows {
    /// Inserts one intake, ids from the database; sets `record.id`, `report.id`, `report.caseID`.
    static func insert(_ rows: IntakeRowSet, on sql: any SQLDatabase) async throws {
        let caseID = try await insertReturningID(into: Case.schema, caseValues(rows.record), on: sql)
        rows.report.caseID = caseID
        let reportID = try await insertReturningID(into: Report.schema, reportValues(rows.report), on: sql)
        try await insert(rows.events(caseID, reportID), on: sql)
        rows.record.id = caseID
        rows.report.id = reportID
    }

    /// The next free ids of `cases` and `reports`.
    struct NextIDs: Sendable, Equatable {
        var caseID: Int
        var reportID: Int
    }

    /// Reads the next free ids from the tables (`MAX(id) + 1`).
    static func nextIDs(on sql: any SQLDatabase) async throws -> NextIDs {
        NextIDs(
            caseID: try await maxID(of: Case.schema, on: sql) + 1,
            reportID: try await maxID(of: Report.schema, on: sql) + 1)
    }

    /// Inserts a group of intakes with consecutive ids from `next` (serial writer only, see above).
    /// - Returns: the next free ids after the group.
    @discardableResult
    static func insertGroup(_ group: [IntakeRowSet], from next: NextIDs, on sql: any SQLDatabase) async throws
        -> NextIDs
    {
        guard !group.isEmpty else { return next }
        let nextCase = next.caseID
        let nextReport = next.reportID
        var events: [CaseEvent] = []
        for (offset, rows) in group.enumerated() {
            rows.record.id = nextCase + offset
            rows.report.id = nextReport + offset
            rows.report.caseID = nextCase + offset
            events += rows.events(nextCase + offset, nextReport + offset)
        }
        try await insertRows(into: Case.schema, group.map { [("id", $0.record.id)] + caseValues($0.record) }, on: sql)
        try await insertRows(into: Report.schema, group.map { [("id", $0.report.id)] + reportValues($0.report) }, on: sql)
        try await insert(events, on: sql)
        return NextIDs(caseID: nextCase + group.count, reportID: nextReport + group.count)
    }

    private static func maxID(of table: String, on sql: any SQLDatabase) async throws -> Int {
        let row = try await sql.raw("SELECT COALESCE(MAX(id), 0) AS max_id FROM \(ident: table)").first()
        return try row?.decode(column: "max_id", as: Int.self) ?? 0
    }

    private static func insertRows(
        into table: String, _ rows: [[(String, any Encodable & Sendable)]], on sql: any SQLDatabase
    ) async throws {
        guard let first = rows.first else { return }
        var builder = sql.insert(into: table).columns(first.map(\.0))
        for row in rows { builder = builder.values(row.map { SQLBind($0.1) }) }
        try await builder.run()
    }

    private static func caseValues(_ record: Case) -> [(String, any Encodable & Sendable)] {
        [
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
    }

    private static func reportValues(_ report: Report) -> [(String, any Encodable & Sendable)] {
        [
            ("received_at", report.receivedAt), ("source", report.source), ("service_code", report.serviceCode),
            ("description", report.description), ("address", report.address), ("address_id", report.addressID),
            ("latitude", report.latitude), ("longitude", report.longitude), ("region_code", report.regionCode),
            ("reporter_email", report.reporterEmail), ("reporter_phone", report.reporterPhone),
            ("reporter_name", report.reporterName), ("device_id", report.deviceID), ("account_id", report.accountID),
            ("media_url", report.mediaURL), ("attributes", report.attributes), ("api_key_id", report.apiKeyID),
            ("case_id", report.caseID),
        ]
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
