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
/// the Fluent models exactly; dates are stored at whole microseconds, as Fluent's writes store them
/// (``Timestamps/normaliseDates(of:)``).
///
/// Two ways to get ids: ``insert(_:on:)-(IntakeRowSet,_)`` asks the database (`RETURNING id`, SQLite ≥ 3.35 and
/// PostgreSQL), one intake at a time; ``insertGroup(_:from:on:)`` assigns consecutive ids after `MAX(id)` and writes a
/// whole group in three multi-row statements. The second is only correct where every insert into `cases` and
/// `reports` goes through one serial writer: CityNet's SQLite ``WriteGate``.
enum IntakeRows {
    /// Inserts one intake, ids from the database; sets `record.id`, `report.id`, `report.caseID`.
    ///
    /// The case is counted (``CaseCounters``) last: on PostgreSQL the upsert locks a counter row that concurrent
    /// intakes of the same region, unit and state share, so it is taken just before the commit that releases it.
    /// - Parameter counting: false when the caller counts the case itself (``CaseCounters/Deferred``), with the
    ///   other cases of its transaction, at its end.
    static func insert(_ rows: IntakeRowSet, on sql: any SQLDatabase, counting: Bool = true) async throws {
        let caseID = try await insertReturningID(into: Case.schema, caseValues(rows.record), on: sql)
        rows.record.id = caseID
        rows.report.caseID = caseID
        let reportID = try await insert(rows.report, on: sql)
        try await insert(rows.events(caseID, reportID), on: sql)
        if counting { try await count(rows.record, on: sql) }
    }

    /// Inserts a case on its own (ids from the database) and counts it (``CaseCounters``); sets and returns
    /// `record.id`.
    @discardableResult
    static func insert(_ record: Case, on sql: any SQLDatabase) async throws -> Int {
        let id = try await insertReturningID(into: Case.schema, caseValues(record), on: sql)
        record.id = id
        try await count(record, on: sql)
        return id
    }

    private static func count(_ record: Case, on sql: any SQLDatabase) async throws {
        var delta = CaseCounters.Delta()
        delta.add(record)
        try await CaseCounters.apply(delta, on: sql)
    }

    /// Inserts a report on its own (ids from the database); sets and returns `report.id`.
    @discardableResult
    static func insert(_ report: Report, on sql: any SQLDatabase) async throws -> Int {
        let id = try await insertReturningID(into: Report.schema, reportValues(report), on: sql)
        report.id = id
        try await SearchIndex.add([report], on: sql)
        return id
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

    /// Inserts a group of intakes with consecutive ids from `next` (serial writer only, see above) and counts their
    /// cases (``CaseCounters``).
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
        try await insertRows(
            into: Case.schema, group.map { [("id", b($0.record.id))] + caseValues($0.record) }, on: sql)
        var delta = CaseCounters.Delta()
        for rows in group { delta.add(rows.record) }
        try await CaseCounters.apply(delta, on: sql)
        try await insertRows(
            into: Report.schema, group.map { [("id", b($0.report.id))] + reportValues($0.report) }, on: sql)
        try await SearchIndex.add(group.map(\.report), on: sql)
        try await insert(events, on: sql)
        return NextIDs(caseID: nextCase + group.count, reportID: nextReport + group.count)
    }

    private static func maxID(of table: String, on sql: any SQLDatabase) async throws -> Int {
        let row = try await sql.raw("SELECT COALESCE(MAX(id), 0) AS max_id FROM \(ident: table)").first()
        return try row?.decode(column: "max_id", as: Int.self) ?? 0
    }

    private static func insertRows(
        into table: String, _ rows: [[(String, any SQLExpression)]], on sql: any SQLDatabase
    ) async throws {
        guard let first = rows.first else { return }
        var builder = sql.insert(into: table).columns(first.map(\.0))
        for row in rows { builder = builder.values(row.map(\.1)) }
        try await builder.run()
    }

    /// A bind for a value, or NULL: unwrapping here keeps drivers on their fast path for plain values (an
    /// `Optional` would go through the slower generic `Encoder`).
    static func b<Value: Encodable & Sendable>(_ value: Value?) -> any SQLExpression {
        value.map { SQLBind($0) } ?? SQLLiteral.null
    }

    /// A bind for a date at whole microseconds (``Timestamps/stored(_:)``), or NULL.
    static func b(_ value: Date?) -> any SQLExpression {
        value.map { SQLBind(Timestamps.stored($0)) } ?? SQLLiteral.null
    }

    /// Columns of `cases` an intake leaves to their NULL default: a new case has no closing, suspension, pending
    /// extension request, supervising centre or grid worker yet. ``caseValues(_:)`` names every other column.
    static let caseColumnsLeftNull: Set<String> = [
        "closed_at", "state_before_suspension", "supervising_unit_code", "requested_extension_days", "assignee",
        "suspended_since",
    ]

    /// The columns and binds of a new case's row (all but `id` and ``caseColumnsLeftNull``); its dates are first
    /// rounded to whole microseconds.
    static func caseValues(_ record: Case) -> [(String, any SQLExpression)] {
        Timestamps.normaliseDates(of: record)
        return [
            ("version", b(record.version)), ("created_at", b(record.createdAt)), ("updated_at", b(record.updatedAt)),
            ("category_code", b(record.categoryCode)), ("priority", b(record.priority.rawValue)),
            ("description", b(record.description)), ("address", b(record.address)), ("latitude", b(record.latitude)),
            ("longitude", b(record.longitude)), ("region_code", b(record.regionCode)),
            ("locate_method", b(record.locateMethod)), ("locate_candidates", b(record.locateCandidates)),
            ("report_count", b(record.reportCount)), ("state", b(record.state.rawValue)),
            ("unit_code", b(record.unitCode)),
            ("first_unit_code", b(record.firstUnitCode)), ("dispatch_rule", b(record.dispatchRule)),
            ("dispatch_reason", b(record.dispatchReason)), ("dispatch_basis", b(record.dispatchBasis)),
            ("escalation_level", b(record.escalationLevel)),
            ("extension_requested", b(record.extensionRequested)), ("extension_days", b(record.extensionDays)),
            ("reopen_count", b(record.reopenCount)), ("callback_result", b(record.callbackResult?.rawValue)),
            ("step", b(record.step?.rawValue)),
            ("step_started_at", b(record.stepStartedAt)),
            ("step_due_at", b(record.stepDueAt)), ("due_at", b(record.dueAt)), ("escalate_at", b(record.escalateAt)),
            ("suspensions", b(record.suspensions)), ("time_limit_problem", b(record.timeLimitProblem)),
        ]
    }

    /// The columns and binds of a report's row (all but `id`); its dates are first rounded to whole microseconds.
    static func reportValues(_ report: Report) -> [(String, any SQLExpression)] {
        Timestamps.normaliseDates(of: report)
        return [
            ("received_at", b(report.receivedAt)), ("source", b(report.source.rawValue)),
            ("service_code", b(report.serviceCode)),
            ("description", b(report.description)), ("address", b(report.address)), ("address_id", b(report.addressID)),
            ("latitude", b(report.latitude)), ("longitude", b(report.longitude)), ("region_code", b(report.regionCode)),
            ("reporter_email", b(report.reporterEmail)), ("reporter_phone", b(report.reporterPhone)),
            ("reporter_name", b(report.reporterName)), ("device_id", b(report.deviceID)),
            ("account_id", b(report.accountID)),
            ("media_url", b(report.mediaURL)), ("attributes", b(report.attributes)), ("api_key_id", b(report.apiKeyID)),
            ("case_id", b(report.caseID)), ("channel", b(report.channel?.rawValue)),
            ("triage_state", b(report.triageState?.rawValue)),
            ("triage", b(report.triage)), ("triage_category", b(report.triageCategory)), ("theme", b(report.theme)),
            ("confidence", b(report.confidence)),
            ("taken_by", b(report.takenBy)), ("triaged_by", b(report.triagedBy)),
        ]
    }

    /// Inserts audit events in one statement.
    static func insert(_ events: [CaseEvent], on sql: any SQLDatabase) async throws {
        guard !events.isEmpty else { return }
        var builder = sql.insert(into: CaseEvent.schema).columns(eventColumns)
        for event in events { builder = builder.values(eventValues(event)) }
        try await builder.run()
    }

    /// The columns of an audit event's row (all but `id`), in the order of ``eventValues(_:)``.
    static let eventColumns = [
        "case_id", "at", "action", "from_state", "to_state", "actor", "actor_unit_code", "unit_code", "note",
        "outcome", "note_parts",
    ]

    /// The binds of an audit event's row, in the order of ``eventColumns``; its date is first rounded to whole
    /// microseconds.
    static func eventValues(_ event: CaseEvent) -> [any SQLExpression] {
        Timestamps.normaliseDates(of: event)
        return [
            b(event.caseID), b(event.at), b(event.action.rawValue), b(event.fromState?.rawValue),
            b(event.toState.rawValue), b(event.actor), b(event.actorUnitCode), b(event.unitCode), b(event.note),
            b(event.outcome), b(event.noteParts),
        ]
    }

    private static func insertReturningID(
        into table: String, _ values: [(String, any SQLExpression)], on sql: any SQLDatabase
    ) async throws -> Int {
        let row = try await sql.insert(into: table)
            .columns(values.map(\.0))
            .values(values.map(\.1))
            .returning("id")
            .first()
        guard let row else { throw Abort(.internalServerError, reason: "insert into \(table) returned no id") }
        return try row.decode(column: "id", as: Int.self)
    }
}
