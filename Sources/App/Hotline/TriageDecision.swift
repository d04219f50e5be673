import CityDomain
import Fluent
import Hotline
import Vapor

/// An operator's decision on a queued hotline report: a category (and optionally a region) to dispatch, or a
/// dismissal with a note. The body of `POST /api/v1/triage/:id` and the fields of the console's triage form.
struct TriageDecision: Content {
    var categoryCode: String?
    var regionCode: String?
    var dismiss: Bool?
    var note: String?

    enum CodingKeys: String, CodingKey {
        case dismiss, note
        case categoryCode = "category_code", regionCode = "region_code"
    }
}

extension TriageDecision {
    /// Applies the decision to hotline report `id` as the operator of `scope`: with ``categoryCode`` opens and
    /// dispatches the case (in ``regionCode`` when given, else where triage located the call) and stores the
    /// correction as a training example; with ``dismiss`` and a ``note`` closes the report without a case.
    /// - Returns: the report as decided.
    /// - Throws: 404 when the report is not a hotline report in `scope`; 409 when it is no longer queued (another
    ///   operator decided first); 400 for an unknown category or region, for both or neither of category and
    ///   dismissal, or a dismissal without a note; 403 for a region outside `scope`.
    func apply(toReport id: Int, by scope: OperatorScope, context: HotlineContext) async throws -> Report {
        let report = try await Self.queuedReport(id, scope: scope, context: context)
        if dismiss == true {
            guard categoryCode == nil else {
                throw LocalizedRefusal(.badRequest, "triage.both")
            }
            guard let note, !note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw LocalizedRefusal(.badRequest, "triage.dismiss_note")
            }
            try await Self.dismiss(report, note: note, by: scope, context: context)
        } else {
            guard let code = categoryCode else {
                throw LocalizedRefusal(.badRequest, "triage.neither")
            }
            try await Self.categorise(
                report, as: code, regionCode: regionCode, note: note, by: scope, context: context)
        }
        return report
    }

    /// Hotline report `id` in `scope`, waiting in the queue.
    /// - Throws: 404 when it is not a hotline report in `scope`; 409 when it is no longer queued.
    static func queuedReport(_ id: Int, scope: OperatorScope, context: HotlineContext) async throws -> Report {
        guard
            let report = try await TriageQueries.hotlineReport(
                id, scope: scope, reference: context.reference, on: context.db)
        else { throw LocalizedRefusal(.notFound, "triage.not_found", ["id": "\(id)"]) }
        guard report.triageState == .queued else {
            throw LocalizedRefusal(
                .conflict, "triage.not_queued", ["id": "\(id)", "triage_state": report.triageState?.rawValue ?? "none"])
        }
        return report
    }

    /// Opens and dispatches the case of queued `report` under category `code` and keeps the training example; with
    /// `forward`, the case then goes to that unit by the rule every reassignment follows (``CaseRules``: the unit
    /// must serve the case's region) and a `transfer` event records actor, unit and reason (转办).
    /// - Throws: 400 for an unknown category or region; 403 for a region outside `scope`; the case rules' refusal
    ///   (``CaseActionError/rule(_:)``) when the forward's unit may not take the case; 409 when decided meanwhile.
    static func categorise(
        _ report: Report, as code: String, regionCode: String?, note: String?, by scope: OperatorScope,
        context: HotlineContext, forward: TriageForward.Target? = nil
    ) async throws {
        let reference = context.reference
        guard var record = HotlineTriageRecord.read(report.triage) else {
            throw Abort(.internalServerError, reason: "hotline report \(report.id ?? 0) has no triage record")
        }
        let located: LocatedRegion
        if let regionCode {
            guard reference.hierarchy[regionCode] != nil else {
                throw LocalizedRefusal(.badRequest, "triage.unknown_region", ["code": regionCode])
            }
            guard reference.hierarchy.isWithin(regionCode, ancestor: scope.regionCode) else {
                throw LocalizedRefusal(
                    .forbidden, "triage.region_outside", ["region": regionCode, "region_scope": scope.regionCode])
            }
            located = LocatedRegion(regionCode: regionCode, method: .operatorChoice)
        } else {
            located = LocatedRegion(
                regionCode: report.regionCode ?? reference.hierarchy.root.code,
                method: LocateMethod(rawValue: record.locateMethod) ?? .none, candidates: record.regionCandidates)
        }
        // Choosing the general request follows the routing suggestion the desk shows (the operator confirms it).
        let table = context.triage.router?.table
        let preference = code == table?.routerCategory ? table.flatMap { record.route?.preference(in: $0) } : nil
        let prepared = try CaseIntake.prepare(
            HotlineIntake.caseIntake(for: report, categoryCode: code, actor: scope.actor, preference: preference),
            located: located, reference: reference, now: context.now)
        var transfer: CaseEvent?
        if let forward {
            transfer = try forward.apply(to: prepared.record, by: scope.actor, reference: reference, now: context.now)
        }
        // Every hand categorisation is a labelled example: a correction of the model's guess, or a confirmation of
        // a guess it was unsure of.
        let example = TrainingExample()
        example.createdAt = context.now
        example.text = report.description ?? ""
        example.theme = context.triage.rules.theme(for: code)
        example.categoryCode = code
        example.modelTheme = record.theme
        example.modelCategoryCode = record.categoryCode
        example.reportID = try report.requireID()
        example.actor = scope.username
        // The kind of unit the operator's choice sends the case to is also a routing example (issue 10 §2).
        example.unitKind = RoutingExamples.label(
            forDispatchTo: prepared.record.unitCode, category: code, reference: reference)
        example.source = "triage"
        record.categoryCode = code
        record.categoryName = reference.taxonomy[code]?.nameZh
        record.regionCode = located.regionCode
        record.regionName = reference.hierarchy[located.regionCode]?.nameZh ?? located.regionCode
        record.locateMethod = located.method.rawValue
        record.reason =
            forward.map { "forwarded by \(scope.username) to \($0.unit.code): \($0.reason)" }
            ?? ("categorised by \(scope.username)" + (note.map { ": \($0)" } ?? ""))
        report.triagedBy = scope.username
        try await context.gate.exclusive(assignsIDs: true) { [record, transfer] db in
            try await HotlineIntake.insertCase(
                prepared, for: report, record: record, expecting: .queued,
                reference: reference, on: try db.sql()
            ) { caseID in
                guard let transfer else { return [] }
                transfer.caseID = caseID
                return [transfer]
            }
            try await example.create(on: db)
        }
        prepared.log(reportID: report.id, logger: context.logger)
    }

    private static func dismiss(
        _ report: Report, note: String, by scope: OperatorScope, context: HotlineContext
    ) async throws {
        if var record = HotlineTriageRecord.read(report.triage) {
            record.outcome = .dismissed
            record.reason = "dismissed by \(scope.username): \(note)"
            try report.setTriage(record)
        } else {
            report.triageState = HotlineTriageOutcome.dismissed.triageState
        }
        report.triagedBy = scope.username
        try await context.gate.exclusive { db in
            try await HotlineIntake.saveTriage(
                of: report, expecting: .queued, on: try db.sql())
        }
        context.logger.info(
            "hotline report dismissed", metadata: ["report_id": "\(report.id ?? 0)", "actor": "\(scope.username)"])
    }

}

extension Request {
    /// The signed-in operator, if allowed to triage: operators of operations centres and administrators.
    /// - Throws: 401 without a session; 403 for caseworkers and grid workers (triage is the centres' job).
    func triager() throws -> OperatorScope {
        let scope = try auth.require(OperatorScope.self)
        guard scope.worksForACentre else {
            throw LocalizedRefusal(.forbidden, "triage.not_triager", ["role": scope.role.rawValue])
        }
        return scope
    }

    /// Applies `decision` to the hotline report named by the `reportID` path parameter, as the signed-in operator
    /// (``TriageDecision/apply(toReport:by:context:)``): the API's triage decision and the console's triage form.
    /// - Throws: 403 for an operator who may not triage, 400 for a note over 2,000 characters or a report id that
    ///   is not an integer; then as ``TriageDecision/apply(toReport:by:context:)``.
    func decideTriage(_ decision: TriageDecision) async throws -> Report {
        let scope = try triager()
        if let note = decision.note { try TextRules.validate(note, field: "note", maxLength: 2000) }
        guard let id = parameters.get("reportID", as: Int.self) else {
            throw LocalizedRefusal(.badRequest, "report.id_not_integer")
        }
        return try await decision.apply(
            toReport: id, by: scope, context: HotlineContext(application, now: now, logger: logger))
    }

    /// Forwards the hotline report named by the `reportID` path parameter (``TriageForward``), as the signed-in
    /// operator.
    /// - Throws: 403 for an operator who may not triage, 400 for a report id that is not an integer; then as
    ///   ``TriageForward/apply(toReport:by:context:)``.
    func forwardTriage(_ forward: TriageForward) async throws -> Report {
        let scope = try triager()
        guard let id = parameters.get("reportID", as: Int.self) else {
            throw LocalizedRefusal(.badRequest, "report.id_not_integer")
        }
        return try await forward.apply(
            toReport: id, by: scope, context: HotlineContext(application, now: now, logger: logger))
    }

    /// Applies a bulk decision (``TriageBulk``) as the signed-in operator.
    /// - Throws: 403 for an operator who may not triage; then as ``TriageBulk/apply(by:context:)``.
    func bulkTriage(_ bulk: TriageBulk) async throws -> TriageBulk.Response {
        let scope = try triager()
        return try await bulk.apply(by: scope, context: HotlineContext(application, now: now, logger: logger))
    }
}
