import CityDomain
import Fluent
import Foundation
import Hotline
import Logging
import SQLKit
import Vapor

/// A report that passed validation, ready to become a case.
struct IntakeReport: Sendable {
    var source: ReportSource
    var categoryCode: String
    var description: String? = nil
    var address: String? = nil
    var addressID: String? = nil
    var point: GeoPoint? = nil
    var chosenRegionCode: String? = nil
    var reporterEmail: String? = nil
    var reporterPhone: String? = nil
    var reporterName: String? = nil
    var deviceID: String? = nil
    var accountID: String? = nil
    var mediaURL: String? = nil
    /// Open311 `attribute[CODE]` answers as JSON object text.
    var attributes: String? = nil
    var apiKeyID: UUID? = nil
    /// Who submitted it, for the audit trail: `open311:<key name>`, an operator's username, `12345:<key name>`.
    var actor: String
    /// The submitting operator's unit, if an operator submitted it.
    var actorUnitCode: String? = nil
    /// A learned router's preferred unit kind, if one was consulted; the dispatcher uses it only when the category
    /// allows that kind (``CityDomain/DispatchPreference``).
    var preference: DispatchPreference? = nil

    /// The name of the category field in the caller's terms, for error messages.
    var categoryField: String { source == .open311 ? "service_code" : "category_code" }
}

/// Why a report cannot become a case. Every case maps to a 4xx at the edge; nothing has been written.
enum IntakeError: Error, Equatable, CustomStringConvertible {
    /// The code and the field it came in (`service_code` for Open311, `category_code` elsewhere).
    case unknownCategory(String, field: String)
    case notDispatchable(String, field: String)
    case location(String)

    var description: String {
        switch self {
        case .unknownCategory(let code, let field): "unknown \(field) '\(code)'"
        case .notDispatchable(let code, let field):
            "\(field) '\(code)' is a group of categories; choose one of its sub-categories"
        case .location(let message): message
        }
    }
}

/// Accepts a report, registers and dispatches its case, and commits all of it in one transaction.
///
/// Steps (CJ/T 315-2009): 受理 accept → 立案 register → 派遣 dispatch down the chain of operations centres (city →
/// district → street/town → the acting unit, DESIGN.md §1), each hop written to the audit trail with the rule that
/// decided it. Locating, dispatch and time limits run in memory on ``CityReference`` before the
/// transaction, so the transaction holds only inserts. On return the report and its case are durably stored.
enum CaseIntake {
    /// - Parameters:
    ///   - intake: the validated report.
    ///   - reference: regions, units, taxonomy, calendar in force.
    ///   - gate: the app's ``WriteGate``; the writes run in one transaction (on SQLite possibly shared with other
    ///     intakes, group commit).
    ///   - now: the receipt instant (the report's `received_at`, the case's start of every clock).
    /// - Returns: the stored report and case (both with ids).
    /// - Throws: ``IntakeError`` for bad input (nothing written), database errors otherwise (nothing written).
    static func register(
        _ intake: IntakeReport, reference: CityReference, gate: WriteGate, now: Date, logger: Logger
    ) async throws -> (report: Report, case: Case) {
        let prepared = try prepare(intake, reference: reference, now: now)
        let report = makeReport(intake, regionCode: prepared.located.regionCode, now: now)
        let source = intake.source
        try await gate.intake(
            IntakeRowSet(record: prepared.record, report: report) { caseID, reportID in
                prepared.events(
                    caseID: caseID, acceptNote: acceptNote(reportID: reportID, source: source),
                    accept: acceptParts(reportID: reportID, source: source))
            })
        prepared.log(reportID: report.id, logger: logger)
        return (report, prepared.record)
    }

    /// Writes a prepared case with its report and intake's audit events inside the caller's transaction, ids from
    /// the database: for a case that must commit together with other rows (a 好差评 rating's rectification), where
    /// ``register(_:reference:gate:now:logger:)`` would commit it alone. The rows are those `register` writes.
    /// - Parameters: `prepared`, from ``prepare(_:located:category:reference:now:)`` for `intake`; `now`, the
    ///   receipt instant given to `prepare`.
    /// - Returns: the stored report and case (both with ids).
    /// - Throws: database errors (the caller's transaction is undone).
    static func insert(_ prepared: PreparedCase, intake: IntakeReport, now: Date, on sql: any SQLDatabase)
        async throws -> (report: Report, case: Case)
    {
        let caseID = try await IntakeRows.insert(prepared.record, on: sql)
        let report = makeReport(intake, regionCode: prepared.located.regionCode, now: now)
        report.caseID = caseID
        let reportID = try await IntakeRows.insert(report, on: sql)
        try await IntakeRows.insert(
            prepared.events(
                caseID: caseID, acceptNote: acceptNote(reportID: reportID, source: intake.source),
                accept: acceptParts(reportID: reportID, source: intake.source)),
            on: sql)
        return (report, prepared.record)
    }

    /// The note of intake's accept step: which report, through which channel.
    static func acceptNote(reportID: Int, source: ReportSource) -> String {
        "report #\(reportID) via \(source.rawValue)"
    }

    /// ``acceptNote(reportID:source:)`` as note parts, worded in the reader's language.
    static func acceptParts(reportID: Int, source: ReportSource) -> [Message] {
        [Message("note.accept", ["report": "\(reportID)", "term_source": source.rawValue])]
    }

    /// A case ready to insert: category checked, located, dispatched, time limits started; nothing written yet.
    struct PreparedCase: Sendable {
        let record: Case
        let located: LocatedRegion
        let decision: DispatchDecision
        let actor: String
        let actorUnitCode: String?
        let registerNote: String

        /// The operations centre that received the case: where the automatic chain starts.
        var centre: String { decision.hops.first?.fromUnitCode ?? decision.unitCode }

        /// The audit events of intake for case `caseID`: accept and register at the receiving centre, then one
        /// event per hop of the automatic chain, each with the rule that decided it: `forward` between centres
        /// (city → district → street, state stays registered) and `dispatch` to the unit that acts. Each note is kept
        /// as parts too (``MessageNote``): `accept` (how the report came), the register and hop sentences.
        func events(caseID: Int, acceptNote: String, accept: [Message]? = nil) -> [CaseEvent] {
            let at = record.createdAt
            var events = [
                CaseEvent(
                    caseID: caseID, at: at, action: .accept, from: nil, to: .accepted, actor: actor,
                    actorUnitCode: actorUnitCode, unitCode: centre, note: acceptNote, parts: accept),
                CaseEvent(
                    caseID: caseID, at: at, action: .workflow(.register), from: .accepted, to: .registered,
                    actor: "system", actorUnitCode: centre, unitCode: centre, note: registerNote,
                    parts: [
                        Message("note.register", ["category": record.categoryCode, "term_method": record.locateMethod])
                    ]),
            ]
            let hops =
                decision.hops.isEmpty
                ? [
                    DispatchHop(
                        fromUnitCode: centre, toUnitCode: decision.unitCode, rule: decision.rule,
                        reasonZh: decision.reasonZh, reasonEn: decision.reasonEn)
                ] : decision.hops
            for (index, hop) in hops.enumerated() {
                let last = index == hops.count - 1
                events.append(
                    CaseEvent(
                        caseID: caseID, at: at, action: last ? .workflow(.dispatch) : .forward, from: .registered,
                        to: last ? .dispatched : .registered, actor: "system", actorUnitCode: hop.fromUnitCode,
                        unitCode: hop.toUnitCode, note: "[\(hop.rule)] \(hop.reasonZh)",
                        parts: [
                            Message(
                                "note.dispatch_hop",
                                ["rule": hop.rule, "reason_zh": hop.reasonZh, "reason_en": hop.reasonEn])
                        ]))
            }
            return events
        }

        func log(reportID: Int?, logger: Logger) {
            logger.info(
                "case registered and dispatched",
                metadata: [
                    "case_id": "\(record.id ?? 0)", "report_id": "\(reportID ?? 0)",
                    "category": "\(record.categoryCode)",
                    "region": "\(located.regionCode)", "unit": "\(decision.unitCode)", "rule": "\(decision.rule)",
                    "basis": "\(decision.basis.code)", "hops": "\(decision.hops.count)",
                ])
        }
    }

    /// Checks the category, locates the report (or takes `located` as given), dispatches and starts the clocks.
    /// - Parameter located: a region already decided (a hotline message's places, an operator's choice); nil to
    ///   locate from the intake's point, address and chosen region.
    /// - Parameter category: a category defined outside the taxonomy (a 好差评 rectification); nil to look
    ///   `intake.categoryCode` up.
    /// - Throws: ``IntakeError`` for an unknown or group category or an unusable location.
    static func prepare(
        _ intake: IntakeReport, located given: LocatedRegion? = nil, category defined: Category? = nil,
        reference: CityReference, now: Date
    ) throws -> PreparedCase {
        guard let category = defined ?? reference.taxonomy[intake.categoryCode] else {
            throw IntakeError.unknownCategory(intake.categoryCode, field: intake.categoryField)
        }
        guard defined != nil || reference.isService(category) else {
            throw IntakeError.notDispatchable(intake.categoryCode, field: intake.categoryField)
        }
        let located: LocatedRegion
        if let given {
            located = given
        } else {
            do {
                located = try reference.locator.locate(
                    point: intake.point, addressText: intake.address, chosenRegionCode: intake.chosenRegionCode)
            } catch {
                throw IntakeError.location("\(error)")
            }
        }
        // Phrases of the taxonomy's alternatives are matched on the hotline's normal form (simplified, half-width).
        let decision = try reference.dispatcher.dispatch(
            category: category, regionCode: located.regionCode,
            text: intake.description.map(TextNormalizer.normalize), preference: intake.preference,
            receivedBy: intake.actorUnitCode)
        let record = makeCase(intake, category: category, located: located, decision: decision, now: now)
        var values = record.caseRecord
        values.startStep(category: category, deadlines: reference.deadlines, now: now)
        record.caseRecord = values
        return PreparedCase(
            record: record, located: located, decision: decision, actor: intake.actor,
            actorUnitCode: intake.actorUnitCode,
            registerNote: "\(category.code) \(category.nameZh); located by \(located.method.rawValue)")
    }

    private static func makeCase(
        _ intake: IntakeReport, category: Category, located: LocatedRegion, decision: DispatchDecision, now: Date
    ) -> Case {
        let record = Case()
        record.version = 0
        record.createdAt = now
        record.updatedAt = now
        record.categoryCode = category.code
        record.priority = category.priority
        record.description = intake.description
        record.address = intake.address
        record.latitude = intake.point?.latitude
        record.longitude = intake.point?.longitude
        record.regionCode = located.regionCode
        record.locateMethod = located.method.rawValue
        record.locateCandidates = located.candidates.joined(separator: ",")
        record.reportCount = 1
        record.state = .dispatched
        record.unitCode = decision.unitCode
        record.firstUnitCode = decision.unitCode
        record.dispatchRule = decision.rule
        record.dispatchReason = decision.reasonZh
        record.dispatchBasis = decision.basis.code
        record.escalationLevel = 0
        record.extensionRequested = false
        record.extensionDays = 0
        record.reopenCount = 0
        record.suspensions = "[]"
        record.stepStartedAt = now
        return record
    }

    static func makeReport(_ intake: IntakeReport, regionCode: String, now: Date) -> Report {
        let report = Report()
        report.receivedAt = now
        report.source = intake.source
        report.serviceCode = intake.categoryCode
        report.description = intake.description
        report.address = intake.address
        report.addressID = intake.addressID
        report.latitude = intake.point?.latitude
        report.longitude = intake.point?.longitude
        report.regionCode = regionCode
        report.reporterEmail = intake.reporterEmail
        report.reporterPhone = intake.reporterPhone
        report.reporterName = intake.reporterName
        report.deviceID = intake.deviceID
        report.accountID = intake.accountID
        report.mediaURL = intake.mediaURL
        report.attributes = intake.attributes
        report.apiKeyID = intake.apiKeyID
        return report
    }
}
