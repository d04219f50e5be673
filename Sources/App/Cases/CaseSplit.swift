import CityDomain
import Fluent
import SQLKit
import Vapor

/// Why a report cannot be split off. Mapped to 404/409 at the edge; nothing has been written.
enum CaseSplitError: Error, Equatable, CustomStringConvertible {
    case notInCase(reportID: Int, caseID: Int)
    case onlyReport(caseID: Int)
    case firstReport(reportID: Int, caseID: Int)

    var description: String {
        switch self {
        case .notInCase(let report, let caseID): "report \(report) is not attached to case \(caseID)"
        case .onlyReport(let caseID): "case \(caseID) has only one report; there is nothing to split off"
        case .firstReport(let report, let caseID):
            "report \(report) opened case \(caseID) and stays with it; split off the reports merged into it"
        }
    }
}

/// Splits a wrongly merged report off its case into a new, separately dispatched case (CityNet hotline issue
/// §4: "operators can split it off").
enum CaseSplit {
    /// - Parameters:
    ///   - reportID: a report merged into `record` (not the one that opened it).
    ///   - record: the case as the caller read it; its version guards the change.
    ///   - categoryCode: the new case's category; nil keeps the old case's.
    ///   - note: why (required by the caller, kept in both audit trails).
    /// - Returns: the new case.
    /// - Throws: ``CaseSplitError``, ``IntakeError`` for a bad category, ``CaseActionError/concurrentChange(_:)``
    ///   when the case changed since it was read.
    static func split(
        reportID: Int, from record: Case, categoryCode: String?, note: String, by actor: CaseActor,
        reference: CityReference, db: any Database, gate: WriteGate, now: Date
    ) async throws -> Case {
        let caseID = try record.requireID()
        let reports = try await Report.query(on: db).filter(\.$caseID == caseID).sort(\.$id).all()
        guard let report = reports.first(where: { $0.id == reportID }) else {
            throw CaseSplitError.notInCase(reportID: reportID, caseID: caseID)
        }
        guard reports.count > 1 else { throw CaseSplitError.onlyReport(caseID: caseID) }
        guard reports.first?.id != reportID else {
            throw CaseSplitError.firstReport(reportID: reportID, caseID: caseID)
        }
        let point = try report.latitude.flatMap { lat in
            try report.longitude.map { try GeoPoint(latitude: lat, longitude: $0) }
        }
        let intake = IntakeReport(
            source: report.source, categoryCode: categoryCode ?? record.categoryCode,
            description: report.description, address: report.address, point: point,
            reporterPhone: report.reporterPhone, reporterName: report.reporterName, actor: actor.name,
            actorUnitCode: actor.unitCode)
        // The report keeps the place it was located to (a hotline report: its triage; else the case's method).
        let triage = HotlineTriageRecord.read(report.triage)
        let method =
            triage.flatMap { LocateMethod(rawValue: $0.locateMethod) }
            ?? LocateMethod(rawValue: record.locateMethod) ?? .none
        let region = report.regionCode ?? record.regionCode
        let prepared = try CaseIntake.prepare(
            intake, located: LocatedRegion(regionCode: region, method: method), reference: reference, now: now)
        let oldVersion = record.version
        try await gate.exclusive(assignsIDs: true) { [triage] db in
            var triage = triage
            let sql = try db.sql()
            let changed = try await sql.update(Case.schema)
                .set(SQLIdentifier("report_count"), to: SQLRaw("\"report_count\" - 1"))
                .set("version", to: SQLBind(oldVersion + 1)).set("updated_at", to: IntakeRows.b(now))
                .where("id", .equal, caseID).where("version", .equal, oldVersion)
                .returning("id").first()
            guard changed != nil else { throw CaseActionError.concurrentChange(caseID) }
            let newID = try await IntakeRows.insert(prepared.record, on: sql)
            report.caseID = newID
            report.serviceCode = prepared.record.categoryCode
            let unit = prepared.decision.unitCode
            triage?.outcome = .dispatched(.init(caseID: newID, unitCode: unit, unitName: reference.units[unit]?.nameZh))
            triage?.categoryCode = prepared.record.categoryCode
            triage?.categoryName = reference.taxonomy[prepared.record.categoryCode]?.nameZh
            triage?.reason = "split off case #\(caseID) by \(actor.name): \(note)"
            try await sql.update(Report.schema).set("case_id", to: SQLBind(newID))
                .set("service_code", to: SQLBind(prepared.record.categoryCode))
                .set(
                    "triage_category",
                    to: IntakeRows.b(triage == nil ? report.triageCategory : prepared.record.categoryCode)
                )
                .set("triage", to: IntakeRows.b(try triage?.stored() ?? report.triage))
                .where("id", .equal, reportID).run()
            try await IntakeRows.insert(
                prepared.events(
                    caseID: newID, acceptNote: "report #\(reportID) split off case #\(caseID): \(note)",
                    accept: [
                        Message("note.accept_split", ["report": "\(reportID)", "case": "\(caseID)"]),
                        Message(MessageNote.words, ["text": note]),
                    ])
                    + [
                        CaseEvent(
                            caseID: caseID, at: now, action: .splitReport, from: record.state, to: record.state,
                            actor: actor.name, actorUnitCode: actor.unitCode, unitCode: record.unitCode,
                            note: "report #\(reportID) split off to case #\(newID): \(note)",
                            parts: [
                                Message("note.split_to", ["report": "\(reportID)", "case": "\(newID)"]),
                                Message(MessageNote.words, ["text": note]),
                            ])
                    ],
                on: sql)
        }
        record.reportCount -= 1
        record.version = oldVersion + 1
        return prepared.record
    }
}

extension CaseSplitError: AbortError {
    var status: HTTPResponseStatus {
        switch self {
        case .notInCase: .notFound
        case .onlyReport, .firstReport: .conflict
        }
    }
    var reason: String { description }
}
