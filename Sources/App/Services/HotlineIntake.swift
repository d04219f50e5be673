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
    /// Who took it in, for the audit trail: `12345:<API key name>` or an operator's username.
    var actor: String
    var apiKeyID: UUID?
    /// Where a message naming no known place stays: the receiving operator's region, else the city (the 12345
    /// centre that received it).
    var fallbackRegion: String
}

/// A report's triage was decided by someone else between reading and writing it (409; nothing written).
struct HotlineTriageConflict: Error, AbortError {
    let reportID: Int
    var status: HTTPResponseStatus { .conflict }
    var reason: String { "hotline report \(reportID) was triaged by someone else meanwhile; reload it" }
}

/// Where a hotline report is in triage (`reports.triage_state`).
enum HotlineTriageState: String, Sendable {
    /// Stored; triage not finished (retried at the next start).
    case pending
    /// Waiting for a person in the triage queue.
    case queued
    /// Became a case or merged into one.
    case done
    /// A person decided it needs no case.
    case dismissed
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
/// fails (a database error), the report stays `pending` and ``retryPending(_:)`` triages it at the next start.
enum HotlineIntake {
    /// Duplicate rule: same fine category, same region (hotline calls carry no GPS point), within 24 h, similar
    /// text (``DuplicateDetector`` defaults).
    static let duplicates = DuplicateDetector()

    /// Stores the call, then triages it.
    /// - Returns: the report as stored, with its triage state, case and triage record as committed.
    /// - Throws: database errors from the first insert only (then nothing was stored).
    static func receive(_ call: HotlineCall, context: HotlineContext) async throws -> Report {
        let report = Report()
        report.receivedAt = call.receivedAt
        report.source = ReportSource.hotline.rawValue
        report.description = call.text
        report.address = call.address
        report.reporterName = call.callerName
        report.reporterPhone = call.callerPhone
        report.channel = call.channel.rawValue
        report.apiKeyID = call.apiKeyID
        report.regionCode = call.fallbackRegion
        report.triageState = HotlineTriageState.pending.rawValue
        try await context.gate.exclusive { db in try await IntakeRows.insert(report, on: try sql(db)) }
        context.logger.info("hotline report stored", metadata: ["report_id": "\(report.id ?? 0)"])
        do {
            try await triage(report, actor: call.actor, context: context)
        } catch {
            // Show what is stored: the report, untriaged.
            report.triageState = HotlineTriageState.pending.rawValue
            report.caseID = nil
            report.triage = nil
            context.logger.error(
                "hotline triage failed; the report stays pending and is retried at the next start",
                metadata: ["report_id": "\(report.id ?? 0)", "error": "\(error)"])
        }
        return report
    }

    /// Triages every report left `pending` (a crash or database error between storing and triage).
    /// - Returns: how many were triaged.
    @discardableResult
    static func retryPending(_ context: HotlineContext) async throws -> Int {
        let pending = try await Report.query(on: context.db)
            .filter(\.$triageState == HotlineTriageState.pending.rawValue).sort(\.$id).all()
        for report in pending { try await triage(report, actor: "hotline", context: context) }
        return pending.count
    }

    /// Triages a stored report and commits the outcome; updates `report` to what was committed.
    static func triage(_ report: Report, actor: String, context: HotlineContext) async throws {
        let result = context.triage.triage(text: report.description ?? "", address: report.address)
        let fallback = report.regionCode ?? context.reference.hierarchy.root.code
        let located = locate(result.place, fallback: fallback, hierarchy: context.reference.hierarchy)
        var record = HotlineTriageRecord(result, located: located, reference: context.reference)
        report.theme = result.theme
        report.confidence = result.category.confidence
        report.regionCode = located.regionCode
        guard case .dispatch(let categoryCode) = result.decision else {
            let expected = report.triageState
            record.outcome = "queued"
            report.triageState = HotlineTriageState.queued.rawValue
            report.triage = try record.stored()
            try await context.gate.exclusive { db in try await saveTriage(of: report, expecting: expected, on: try sql(db)) }
            return
        }
        report.serviceCode = categoryCode
        if try await merge(report, record: record, categoryCode: categoryCode, context: context) { return }
        _ = try await openCase(
            for: report, categoryCode: categoryCode, located: located, record: record, actor: actor,
            context: context)
    }

    /// Opens and dispatches a case for a stored report and links them, in one transaction with `also`.
    /// - Returns: the new case.
    /// - Throws: ``IntakeError`` for a category that cannot be dispatched; database errors.
    static func openCase(
        for report: Report, categoryCode: String, located: LocatedRegion, record: HotlineTriageRecord, actor: String,
        context: HotlineContext, also: (@Sendable (any Database) async throws -> Void)? = nil
    ) async throws -> Case {
        let intake = IntakeReport(
            source: .hotline, categoryCode: categoryCode, description: report.description, address: report.address,
            reporterPhone: report.reporterPhone, reporterName: report.reporterName, actor: actor)
        let prepared = try CaseIntake.prepare(intake, located: located, reference: context.reference, now: context.now)
        var dispatched = record
        dispatched.outcome = "dispatched"
        dispatched.reason = nil
        dispatched.unitCode = prepared.decision.unitCode
        dispatched.unitName = context.reference.units[prepared.decision.unitCode]?.nameZh
        let reportID = try report.requireID()
        let channel = report.channel ?? "hotline"
        let expected = report.triageState
        try await context.gate.exclusive { [dispatched] db in
            let sql = try sql(db)
            let caseID = try await IntakeRows.insert(prepared.record, on: sql)
            var stored = dispatched
            stored.caseID = caseID
            report.caseID = caseID
            report.serviceCode = categoryCode
            report.regionCode = located.regionCode
            report.triageState = HotlineTriageState.done.rawValue
            report.triage = try stored.stored()
            try await saveTriage(of: report, expecting: expected, on: sql)
            try await IntakeRows.insert(
                prepared.events(caseID: caseID, acceptNote: "report #\(reportID) via 12345 \(channel)"), on: sql)
            try await also?(db)
        }
        prepared.log(reportID: reportID, logger: context.logger)
        return prepared.record
    }

    /// Attaches the report to the open case it duplicates, if any. Returns whether it did.
    private static func merge(
        _ report: Report, record: HotlineTriageRecord, categoryCode: String, context: HotlineContext
    ) async throws -> Bool {
        guard let regionCode = report.regionCode else { return false }
        let since = context.now.addingTimeInterval(-duplicates.window)
        let open = try await Case.query(on: context.db)
            .filter(\.$categoryCode == categoryCode).filter(\.$regionCode == regionCode)
            .filter(\.$state != CaseState.closed.rawValue).filter(\.$createdAt >= since)
            .sort(\.$id, .descending).limit(200).all()
        let candidates = open.compactMap { record in
            record.id.map {
                DuplicateCandidate(
                    caseID: $0, categoryCode: record.categoryCode, regionCode: record.regionCode, point: nil,
                    openedAt: record.createdAt, text: record.description ?? "")
            }
        }
        guard let match = duplicates.bestMatch(
            for: DuplicateReport(
                categoryCode: categoryCode, regionCode: regionCode, point: nil, receivedAt: report.receivedAt,
                text: report.description ?? ""),
            among: candidates)
        else { return false }
        let reportID = try report.requireID()
        var merged = record
        merged.outcome = "merged"
        merged.reason = nil
        merged.caseID = match.caseID
        merged.mergeReasons = match.reasons
        let now = context.now
        let expected = report.triageState
        let attached = try await context.gate.exclusive(returning: { [merged] db -> Bool in
            let sql = try sql(db)
            // Still open? (It may have closed since it was read.) The version moves so concurrent actions see it.
            let row = try await sql.update(Case.schema)
                .set(SQLIdentifier("report_count"), to: SQLRaw("\"report_count\" + 1"))
                .set(SQLIdentifier("version"), to: SQLRaw("\"version\" + 1"))
                .set("updated_at", to: SQLBind(now))
                .where("id", .equal, match.caseID).where("state", .notEqual, CaseState.closed.rawValue)
                .returning("state", "unit_code").first()
            guard let row else { return false }
            let state = try row.decode(column: "state", as: String.self)
            let unit = try row.decode(column: "unit_code", as: String.self)
            var stored = merged
            stored.unitCode = unit
            stored.unitName = context.reference.units[unit]?.nameZh
            report.caseID = match.caseID
            report.triageState = HotlineTriageState.done.rawValue
            report.triage = try stored.stored()
            try await saveTriage(of: report, expecting: expected, on: sql)
            let note = "report #\(reportID) merged: " + match.reasons.joined(separator: "; ")
            try await IntakeRows.insert(
                [CaseEvent(caseID: match.caseID, at: now, action: "merge_report", from: state, to: state,
                           actor: "system", actorUnitCode: nil, unitCode: unit, note: note)], on: sql)
            return true
        })
        if attached {
            context.logger.info(
                "hotline report merged", metadata: ["report_id": "\(reportID)", "case_id": "\(match.caseID)"])
        }
        return attached
    }

    /// The region a message's places resolve to, or `fallback` (not located) when they name none.
    static func locate(_ place: PlaceResult, fallback: String, hierarchy: RegionHierarchy) -> LocatedRegion {
        if let code = place.regionCode, hierarchy[code] != nil {
            return LocatedRegion(regionCode: code, method: .addressText, candidates: place.candidates)
        }
        return LocatedRegion(regionCode: fallback, method: .none, candidates: place.candidates)
    }

    /// Writes a report's triage columns (case, region, category, state, record, theme, confidence), provided the
    /// stored report is still in triage state `expected`.
    /// - Throws: ``HotlineTriageConflict`` when it is not (someone else triaged it meanwhile): the caller's
    ///   transaction then rolls back.
    static func saveTriage(of report: Report, expecting expected: String?, on sql: any SQLDatabase) async throws {
        let id = try report.requireID()
        let updated = try await sql.update(Report.schema)
            .set("case_id", to: report.caseID.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null)
            .set("region_code", to: report.regionCode.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null)
            .set("service_code", to: report.serviceCode.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null)
            .set("triage_state", to: SQLBind(report.triageState ?? HotlineTriageState.pending.rawValue))
            .set("triage", to: report.triage.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null)
            .set("theme", to: report.theme.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null)
            .set("confidence", to: report.confidence.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null)
            .where("id", .equal, id).where("triage_state", .equal, expected ?? HotlineTriageState.pending.rawValue)
            .returning("id").first()
        guard updated != nil else { throw HotlineTriageConflict(reportID: id) }
    }

    static func sql(_ db: any Database) throws -> any SQLDatabase {
        guard let sql = db as? any SQLDatabase else {
            throw Abort(.internalServerError, reason: "CityNet needs an SQL database")
        }
        return sql
    }
}
