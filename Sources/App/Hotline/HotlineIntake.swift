import CityDomain
import Fluent
import Hotline
import SQLKit
import Vapor

/// A validated 12345 call, ready to store.
struct HotlineCall: Sendable {
    var text: String
    var address: String?
    var callerName: String?
    var callerPhone: String?
    var channel: HotlineChannel
    var receivedAt: Date
    /// Who took the call in, for the audit trail: `12345:<API key name>` or an operator (with their unit).
    var actor: CaseActor
    var apiKeyID: UUID?
    /// The centre a message naming no place stays with: the receiving operator's region, else the city (the 12345
    /// centre).
    var fallbackRegion: String
}

/// A report's triage was decided by someone else between reading and writing it (409; nothing written).
struct HotlineTriageConflict: Error, AbortError {
    let reportID: Int
    var status: HTTPResponseStatus { .conflict }
    var reason: String { "hotline report \(reportID) was triaged by someone else meanwhile; reload it" }
}

/// What hotline intake needs from the app.
struct HotlineContext: Sendable {
    let reference: CityReference
    let triage: HotlineTriage
    let gate: WriteGate
    let db: any Database
    let now: Date
    let logger: Logger

    init(_ app: Application, now: Date, logger: Logger) {
        reference = app.reference
        triage = app.hotlineTriage
        gate = app.writeGate
        db = app.db
        self.now = now
        self.logger = logger
    }
}

/// Takes 12345 calls in: stores each report first, then triages it into a new case, a merge into an open case,
/// or the triage queue (CityNet hotline issue §1–§4).
///
/// The report is committed before triage starts, so an answer always means the report is stored; if triage then
/// fails (a database error), the report stays `pending` and ``HotlineRecovery`` triages it later. Every triage
/// write checks the report is still in the state it was read in, so two deciders never both win.
enum HotlineIntake {
    // Duplicates merge by ``CaseMerge`` (the one duplicate rule of every channel): same fine category, same region
    // (hotline calls carry no GPS point), within 24 h, similar text.

    /// Stores the call, then triages it.
    /// - Returns: the report as stored, with its triage state, case and triage record as committed.
    /// - Throws: database errors from the first insert only (then nothing was stored).
    static func receive(_ call: HotlineCall, context: HotlineContext) async throws -> Report {
        let report = Report()
        report.receivedAt = call.receivedAt
        report.source = .hotline
        report.description = call.text
        report.address = call.address
        report.reporterName = call.callerName
        report.reporterPhone = call.callerPhone
        report.channel = call.channel
        report.apiKeyID = call.apiKeyID
        report.takenBy = call.actor.name
        report.regionCode = call.fallbackRegion
        report.triageState = .pending
        _ = try await context.gate.exclusive(assignsIDs: true) { db in
            try await IntakeRows.insert(report, on: try db.sql())
        }
        context.logger.info("hotline report stored", metadata: ["report_id": "\(report.id ?? 0)"])
        do {
            try await triage(report, by: call.actor, context: context)
        } catch {
            // Show what is stored: the report, untriaged.
            report.triageState = .pending
            report.caseID = nil
            report.triage = nil
            context.logger.error(
                "hotline triage failed; the report stays pending and is retried",
                metadata: ["report_id": "\(report.id ?? 0)", "error": "\(error)"])
        }
        return report
    }

    /// Triages a stored `pending` report and commits the outcome; updates `report` to what was committed.
    /// - Parameter actor: who took the call in (the accept event's actor).
    static func triage(_ report: Report, by actor: CaseActor, context: HotlineContext) async throws {
        let result = context.triage.triage(text: report.description ?? "", address: report.address)
        let fallback = report.regionCode ?? context.reference.hierarchy.root.code
        let located = locate(result.place, fallback: fallback, hierarchy: context.reference.hierarchy)
        var record = HotlineTriageRecord(result, located: located, reference: context.reference)
        report.theme = result.theme
        report.confidence = result.category.confidence
        report.regionCode = located.regionCode
        let expected = report.triageState
        guard case .dispatch(let categoryCode) = result.decision else {
            record.outcome = .queued
            try report.setTriage(record)
            try await context.gate.exclusive { db in
                try await saveTriage(of: report, expecting: expected, on: try db.sql())
            }
            return
        }
        let prepared = try prepareCase(
            for: report, categoryCode: categoryCode, result: result, actor: actor, located: located,
            reference: context.reference, now: context.now)
        let now = context.now
        let generalCategory = context.triage.router?.table.routerCategory
        // One job: no other intake of the same category and region runs between finding the duplicate and attaching
        // to it (SQLite: the gate runs one job at a time; PostgreSQL: a transaction-scoped advisory lock).
        try await context.gate.exclusive(assignsIDs: true) { [record] db in
            let sql = try db.sql()
            try await CaseMerge.lock(categoryCode: categoryCode, regionCode: located.regionCode, on: sql)
            // The general request is a catch-all: two calls under it may be about anything, so they never merge.
            if categoryCode != generalCategory,
                let merged = try await merge(
                    report, record: record, categoryCode: categoryCode, by: actor, now: now,
                    reference: context.reference, on: db, expecting: expected)
            {
                context.logger.info(
                    "hotline report merged", metadata: ["report_id": "\(report.id ?? 0)", "case_id": "\(merged)"])
                return
            }
            try await insertCase(
                prepared, for: report, record: record, expecting: expected, reference: context.reference,
                on: sql)
        }
        if report.caseID == prepared.record.id { prepared.log(reportID: report.id, logger: context.logger) }
    }

    /// The case automatic triage opens for a report (no database: category, dispatcher, time limits); `route-eval`
    /// scores exactly this.
    /// - Parameters:
    ///   - categoryCode: the decision's category (``HotlineTriageResult/Decision/dispatch(categoryCode:)``).
    ///   - result: the triage; its router preference (``HotlineTriageResult/preference``) is offered to the
    ///     dispatcher.
    /// - Throws: as ``CaseIntake/prepare(_:located:reference:now:)`` (an unknown or non-dispatchable category).
    static func prepareCase(
        for report: Report, categoryCode: String, result: HotlineTriageResult, actor: CaseActor,
        located: LocatedRegion, reference: CityReference, now: Date
    ) throws -> CaseIntake.PreparedCase {
        try CaseIntake.prepare(
            caseIntake(for: report, categoryCode: categoryCode, actor: actor, preference: result.preference),
            located: located, reference: reference, now: now)
    }

    /// The intake a report's case is prepared from.
    /// - Parameter preference: the router's preferred unit kind when triage dispatches automatically; nil when an
    ///   operator chose the category (the operator's choice is not second-guessed by the router).
    static func caseIntake(
        for report: Report, categoryCode: String, actor: CaseActor, preference: DispatchPreference? = nil
    ) -> IntakeReport {
        IntakeReport(
            source: .hotline, categoryCode: categoryCode, description: report.description, address: report.address,
            reporterPhone: report.reporterPhone, reporterName: report.reporterName, actor: actor.name,
            actorUnitCode: actor.unitCode, preference: preference)
    }

    /// Inserts a prepared case for a stored report, links them and writes the triage record (outcome
    /// ``HotlineTriageOutcome/dispatched(_:)``, naming the unit holding the case), inside the caller's transaction.
    /// - Parameter more: audit events that follow intake's, for the new case's id (a 转办's `transfer`).
    /// - Throws: ``HotlineTriageConflict`` when the report is no longer in state `expected`.
    static func insertCase(
        _ prepared: CaseIntake.PreparedCase, for report: Report, record: HotlineTriageRecord,
        expecting expected: HotlineTriageState?,
        reference: CityReference, on sql: any SQLDatabase, then more: (Int) -> [CaseEvent] = { _ in [] }
    ) async throws {
        let reportID = try report.requireID()
        let caseID = try await IntakeRows.insert(prepared.record, on: sql)
        var stored = record
        let unit = prepared.record.unitCode
        stored.outcome = .dispatched(.init(caseID: caseID, unitCode: unit, unitName: reference.units[unit]?.nameZh))
        report.serviceCode = prepared.record.categoryCode
        report.regionCode = prepared.located.regionCode
        try report.setTriage(stored)
        try await saveTriage(of: report, expecting: expected, on: sql)
        let channel = report.channel?.rawValue ?? "hotline"
        try await IntakeRows.insert(
            prepared.events(caseID: caseID, acceptNote: "report #\(reportID) via 12345 \(channel)") + more(caseID),
            on: sql)
    }

    /// Attaches the report to the open case it duplicates, if any, inside the caller's transaction.
    /// - Returns: the case id it joined, or nil.
    private static func merge(
        _ report: Report, record: HotlineTriageRecord, categoryCode: String, by actor: CaseActor, now: Date,
        reference: CityReference, on db: any Database, expecting expected: HotlineTriageState?
    ) async throws -> Int? {
        guard let regionCode = report.regionCode,
            let match = try await CaseMerge.findDuplicate(
                categoryCode: categoryCode, regionCode: regionCode, point: nil, receivedAt: report.receivedAt,
                text: report.description ?? "", now: now, reference: reference, on: db)
        else { return nil }
        let sql = try db.sql()
        guard let (state, unit) = try await CaseMerge.attach(caseID: match.caseID, now: now, on: sql) else {
            return nil
        }
        var stored = record
        stored.outcome = .merged(
            .init(caseID: match.caseID, unitCode: unit, unitName: reference.units[unit]?.nameZh),
            reasons: match.reasons)
        report.serviceCode = categoryCode
        try report.setTriage(stored)
        try await saveTriage(of: report, expecting: expected, on: sql)
        let note =
            "report #\(try report.requireID()) via 12345 \(report.channel?.rawValue ?? "hotline") merged: "
            + match.reasons.joined(separator: "; ")
        try await IntakeRows.insert(
            [
                CaseEvent(
                    caseID: match.caseID, at: now, action: .mergeReport, from: state, to: state,
                    actor: actor.name, actorUnitCode: actor.unitCode, unitCode: unit, note: note,
                    parts: [
                        Message(
                            "note.merged",
                            [
                                "report": "\(try report.requireID())",
                                "term_channel": report.channel?.rawValue ?? "hotline",
                            ])
                    ] + match.why.map(\.message))
            ], on: sql)
        return match.caseID
    }

    /// The region a message's places resolve to, or `fallback` (not located) when they name none.
    static func locate(_ place: PlaceResult, fallback: String, hierarchy: RegionHierarchy) -> LocatedRegion {
        if let code = place.regionCode, hierarchy[code] != nil {
            return LocatedRegion(regionCode: code, method: .addressText, candidates: place.candidates)
        }
        return LocatedRegion(regionCode: fallback, method: .none, candidates: place.candidates)
    }

    /// Writes a report's triage columns (case, region, category, state, record, theme, confidence, triaged by),
    /// provided the stored report is still in triage state `expected`.
    /// - Throws: ``HotlineTriageConflict`` when it is not (someone else triaged it meanwhile): the caller's
    ///   transaction then rolls back.
    static func saveTriage(of report: Report, expecting expected: HotlineTriageState?, on sql: any SQLDatabase)
        async throws
    {
        let id = try report.requireID()
        let updated = try await sql.update(Report.schema)
            .set("case_id", to: IntakeRows.b(report.caseID))
            .set("region_code", to: IntakeRows.b(report.regionCode))
            .set("service_code", to: IntakeRows.b(report.serviceCode))
            .set("triage_state", to: IntakeRows.b(report.triageState?.rawValue))
            .set("triage", to: IntakeRows.b(report.triage))
            .set("triage_category", to: IntakeRows.b(report.triageCategory))
            .set("theme", to: IntakeRows.b(report.theme))
            .set("confidence", to: IntakeRows.b(report.confidence))
            .set("triaged_by", to: IntakeRows.b(report.triagedBy))
            .where("id", .equal, id).where("triage_state", .equal, (expected ?? .pending).rawValue)
            .returning("id").first()
        guard updated != nil else { throw HotlineTriageConflict(reportID: id) }
    }
}
