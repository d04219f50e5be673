import Fluent
import Foundation
import SQLKit

/// `citynet seed-history`: writes a generated history (``HistoryGenerator``) in bulk, so that anyone can rebuild a
/// database of millions of cases to measure on (issue #17).
///
/// The bulk path writes the rows intake and the case actions would have written, in chunks of `chunk` cases, each
/// chunk one transaction through the ``WriteGate`` (`assignsIDs`: the gate reads the next ids again afterwards) with
/// multi-row literal inserts (``LiteralRows``). Case and report ids follow the largest stored ones, so a history
/// can be added to a database that already holds cases. Run it while no server writes to the database: on
/// PostgreSQL the id sequences are moved past the new ids only at the end of each chunk, so a concurrent intake
/// could take an id a chunk holds and fail (on SQLite the write gate of a server in another process does not
/// serialise with this command either).
enum HistorySeed {
    /// What a run wrote.
    struct Summary: Equatable, Sendable {
        var cases = 0
        var events = 0
    }

    /// - Parameters:
    ///   - cases: how many cases to add.
    ///   - days: the span of history, ending at `now`.
    ///   - seed: the generator's seed.
    ///   - chunk: cases per transaction.
    ///   - progress: called after each chunk with the cases written so far.
    /// - Returns: the cases and events written.
    /// - Throws: database errors (the chunk in progress is undone; earlier chunks stay).
    static func run(
        cases: Int, days: Int = 730, seed: UInt64 = 17, chunk: Int = 20_000, reference: CityReference,
        gate: WriteGate, now: Date, progress: @escaping @Sendable (Int) -> Void = { _ in }
    ) async throws -> Summary {
        let generator = HistoryGenerator(
            reference: reference, start: now.addingTimeInterval(-Double(days) * 86_400), end: now, total: cases,
            seed: seed)
        let box = GeneratorBox(generator)
        var summary = Summary()
        var done = 0
        while done < cases {
            let count = min(chunk, cases - done)
            let first = done
            let events = try await gate.exclusive(assignsIDs: true) { db in
                try await write(range: first..<(first + count), generator: box, on: db.sql())
            }
            done += count
            summary.cases = done
            summary.events += events
            progress(done)
        }
        return summary
    }

    /// Generates and inserts cases `range` of the history inside the caller's transaction.
    /// - Returns: the number of audit events written.
    private static func write(range: Range<Int>, generator box: GeneratorBox, on sql: any SQLDatabase)
        async throws -> Int
    {
        let next = try await IntakeRows.nextIDs(on: sql)
        let dialect = LiteralRows.Dialect(sql)
        var cases = LiteralRows(
            table: Case.schema, columns: ["id"] + IntakeRows.caseColumnsLeftNull.sorted() + caseColumns,
            dialect: dialect)
        var reports = LiteralRows(table: Report.schema, columns: reportColumns, dialect: dialect)
        var events = LiteralRows(table: CaseEvent.schema, columns: IntakeRows.eventColumns, dialect: dialect)
        var texts = LiteralRows(table: "search_texts", columns: ["report_id", "body", "phone"], dialect: dialect)
        var grams = LiteralRows(table: "search_grams", columns: ["gram", "report_id"], dialect: dialect)
        var eventCount = 0
        var delta = CaseCounters.Delta()
        for (offset, index) in range.enumerated() {
            let row = try box.make(index: index, caseID: next.caseID + offset, reportID: next.reportID + offset)
            cases.add(caseValues(row.record, cases))
            reports.add(reportValues(row.report, reports))
            SearchIndex.add(SearchIndex.Entry(row.report), texts: &texts, grams: &grams)
            for event in row.events { events.add(eventValues(event, events)) }
            eventCount += row.events.count
            delta.add(row.record)
            if events.rows.count >= 5_000 {
                try await cases.flush(on: sql)
                try await reports.flush(on: sql)
                try await events.flush(on: sql)
                try await texts.flush(on: sql)
                try await grams.flush(on: sql)
            }
        }
        try await cases.flush(on: sql)
        try await reports.flush(on: sql)
        try await events.flush(on: sql)
        try await texts.flush(on: sql)
        try await grams.flush(on: sql, perStatement: 2_000)
        try await CaseCounters.apply(delta, on: sql)
        if dialect == .postgres {
            for table in [Case.schema, Report.schema] {
                try await sql.raw(
                    "SELECT setval(pg_get_serial_sequence(\(bind: table), 'id'), (SELECT MAX(id) FROM \(ident: table)))"
                ).run()
            }
        }
        return eventCount
    }

    /// The columns of `cases` that ``IntakeRows/caseValues(_:)`` names, in its order.
    private static let caseColumns = [
        "version", "created_at", "updated_at", "category_code", "priority", "description", "address", "latitude",
        "longitude", "region_code", "locate_method", "locate_candidates", "report_count", "state", "unit_code",
        "first_unit_code", "dispatch_rule", "dispatch_reason", "dispatch_basis", "escalation_level",
        "extension_requested", "extension_days", "reopen_count", "step", "step_started_at", "step_due_at", "due_at",
        "escalate_at", "suspensions", "time_limit_problem",
    ]

    private static func caseValues(_ record: Case, _ r: LiteralRows) -> [String] {
        // The columns intake leaves NULL, in sorted order: assignee, closed_at, requested_extension_days,
        // state_before_suspension, supervising_unit_code, suspended_since.
        let leftNull = [
            r.text(record.assignee), r.date(record.closedAt), r.int(record.requestedExtensionDays),
            r.text(record.stateBeforeSuspension?.rawValue), r.text(record.supervisingUnitCode),
            r.date(record.suspendedSince),
        ]
        return [r.int(record.id)] + leftNull + [
            r.int(record.version), r.date(record.createdAt), r.date(record.updatedAt), r.text(record.categoryCode),
            r.text(record.priority.rawValue), r.text(record.description), r.text(record.address),
            r.double(record.latitude), r.double(record.longitude), r.text(record.regionCode),
            r.text(record.locateMethod), r.text(record.locateCandidates), r.int(record.reportCount),
            r.text(record.state.rawValue), r.text(record.unitCode), r.text(record.firstUnitCode),
            r.text(record.dispatchRule), r.text(record.dispatchReason), r.text(record.dispatchBasis),
            r.int(record.escalationLevel), r.bool(record.extensionRequested), r.int(record.extensionDays),
            r.int(record.reopenCount), r.text(record.step?.rawValue), r.date(record.stepStartedAt),
            r.date(record.stepDueAt), r.date(record.dueAt), r.date(record.escalateAt), r.text(record.suspensions),
            r.text(record.timeLimitProblem),
        ]
    }

    private static let reportColumns = [
        "id", "received_at", "source", "service_code", "description", "address", "latitude", "longitude",
        "region_code", "reporter_phone", "case_id", "channel", "triage_state", "taken_by",
    ]

    private static func reportValues(_ report: Report, _ r: LiteralRows) -> [String] {
        [
            r.int(report.id), r.date(report.receivedAt), r.text(report.source.rawValue), r.text(report.serviceCode),
            r.text(report.description), r.text(report.address), r.double(report.latitude), r.double(report.longitude),
            r.text(report.regionCode), r.text(report.reporterPhone), r.int(report.caseID),
            r.text(report.channel?.rawValue), r.text(report.triageState?.rawValue), r.text(report.takenBy),
        ]
    }

    private static func eventValues(_ event: CaseEvent, _ r: LiteralRows) -> [String] {
        [
            r.int(event.caseID), r.date(event.at), r.text(event.action.rawValue), r.text(event.fromState?.rawValue),
            r.text(event.toState.rawValue), r.text(event.actor), r.text(event.actorUnitCode), r.text(event.unitCode),
            r.text(event.note), r.text(event.outcome), r.text(event.noteParts),
        ]
    }
}

/// The generator, shared with the gate's transactions one chunk at a time (the gate runs them in order).
// @unchecked Sendable: only one chunk's transaction uses it at a time, the gate serialising them.
private final class GeneratorBox: @unchecked Sendable {
    private var generator: HistoryGenerator
    init(_ generator: HistoryGenerator) { self.generator = generator }
    func make(index: Int, caseID: Int, reportID: Int) throws -> HistoryGenerator.Row {
        try generator.make(index: index, caseID: caseID, reportID: reportID)
    }
}
