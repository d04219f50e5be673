import CityDomain
import Fluent
import Hotline
import Vapor

/// The triage queue: hotline reports the classifier was unsure of, for operators of operations centres to
/// categorise by hand (each correction is kept as a training example) or dismiss.
struct TriageController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let triage = routes.grouped("triage")
        triage.get(use: list)
        triage.post(":reportID", use: decide)
    }

    struct ListQuery: Content {
        var limit: Int?
        var offset: Int?
    }

    struct ListResponse: Content {
        var items: [HotlineReportDTO]
        var total: Int
        var limit: Int
        var offset: Int
    }

    /// `GET /api/v1/triage` — queued reports in the caller's region subtree, oldest first. 403 for caseworkers and
    /// grid workers (triage is the operations centres' job).
    @Sendable func list(req: Request) async throws -> ListResponse {
        let scope = try Self.triager(req)
        let params = try req.decodeQuery(ListQuery.self)
        let limit = params.limit ?? 50
        let offset = params.offset ?? 0
        guard (1...500).contains(limit) else { throw Abort(.badRequest, reason: "limit must be 1…500, got \(limit)") }
        guard (0...1_000_000).contains(offset) else {
            throw Abort(.badRequest, reason: "offset must be 0…1000000, got \(offset)")
        }
        let query = Self.queued(for: scope, req: req)
        let total = try await query.copy().count()
        let rows = try await query.offset(offset).limit(limit).all()
        return ListResponse(items: rows.map(HotlineReportDTO.init), total: total, limit: limit, offset: offset)
    }

    /// Body of `POST /api/v1/triage/:id`: a category (and optionally a region) to dispatch, or a dismissal.
    struct DecisionBody: Content {
        var categoryCode: String?
        var regionCode: String?
        var dismiss: Bool?
        var note: String?

        enum CodingKeys: String, CodingKey {
            case dismiss, note
            case categoryCode = "category_code", regionCode = "region_code"
        }
    }

    /// `POST /api/v1/triage/:id` — with `category_code`: opens and dispatches the case and stores the correction as
    /// a training example; with `dismiss: true` and a `note`: closes the report without a case. 409 when the
    /// report is no longer queued, 404 outside scope, 400 for an unknown category or region.
    @Sendable func decide(req: Request) async throws -> HotlineReportDTO {
        try await decide(req: req, body: try req.decodeBody(DecisionBody.self))
    }

    /// The decision of `POST /api/v1/triage/:id` (also the console's triage form).
    func decide(req: Request, body: DecisionBody) async throws -> HotlineReportDTO {
        let scope = try Self.triager(req)
        if let note = body.note { try TextRules.validate(note, field: "note", maxLength: 2000) }
        guard let id = req.parameters.get("reportID", as: Int.self) else {
            throw Abort(.badRequest, reason: "report id must be an integer")
        }
        guard let report = try await Report.find(id, on: req.db), report.source == .hotline,
            scope.covers(report, in: req.reference.hierarchy)
        else { throw Abort(.notFound, reason: "hotline report \(id) not found") }
        guard report.triageState == .queued else {
            throw Abort(
                .conflict,
                reason:
                    "report \(id) is not in the triage queue (triage state \(report.triageState?.rawValue ?? "none"))")
        }
        let context = HotlineContext(req.application, now: req.now, logger: req.logger)
        if body.dismiss == true {
            guard body.categoryCode == nil else {
                throw Abort(.badRequest, reason: "give either category_code or dismiss, not both")
            }
            guard let note = body.note, !note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw Abort(.badRequest, reason: "dismissing a report needs a note giving the reason")
            }
            try await dismiss(report, note: note, by: scope, context: context)
        } else {
            guard let code = body.categoryCode else {
                throw Abort(.badRequest, reason: "give category_code (the fine category to dispatch) or dismiss: true")
            }
            try await categorise(
                report, as: code, regionCode: body.regionCode, note: body.note, by: scope, context: context)
        }
        return HotlineReportDTO(report)
    }

    private func categorise(
        _ report: Report, as code: String, regionCode: String?, note: String?, by scope: OperatorScope,
        context: HotlineContext
    ) async throws {
        let reference = context.reference
        guard var record = HotlineTriageRecord.read(report.triage) else {
            throw Abort(.internalServerError, reason: "hotline report \(report.id ?? 0) has no triage record")
        }
        let located: LocatedRegion
        if let regionCode {
            guard reference.hierarchy[regionCode] != nil else {
                throw Abort(.badRequest, reason: "unknown region_code '\(regionCode)'")
            }
            guard reference.hierarchy.isWithin(regionCode, ancestor: scope.regionCode) else {
                throw Abort(
                    .forbidden, reason: "region_code '\(regionCode)' is outside your scope (\(scope.regionCode))")
            }
            located = LocatedRegion(regionCode: regionCode, method: .operatorChoice)
        } else {
            located = LocatedRegion(
                regionCode: report.regionCode ?? reference.hierarchy.root.code,
                method: LocateMethod(rawValue: record.locateMethod) ?? .none, candidates: record.regionCandidates)
        }
        let prepared = try CaseIntake.prepare(
            HotlineIntake.caseIntake(for: report, categoryCode: code, actor: scope.actor), located: located,
            reference: reference, now: context.now)
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
        record.categoryCode = code
        record.categoryName = reference.taxonomy[code]?.nameZh
        record.regionCode = located.regionCode
        record.regionName = reference.hierarchy[located.regionCode]?.nameZh ?? located.regionCode
        record.locateMethod = located.method.rawValue
        record.reason = "categorised by \(scope.username)" + (note.map { ": \($0)" } ?? "")
        report.triagedBy = scope.username
        try await context.gate.exclusive(assignsIDs: true) { [record] db in
            try await HotlineIntake.insertCase(
                prepared, for: report, record: record, expecting: .queued,
                reference: reference, on: try db.sql())
            try await example.create(on: db)
        }
        prepared.log(reportID: report.id, logger: context.logger)
    }

    private func dismiss(_ report: Report, note: String, by scope: OperatorScope, context: HotlineContext) async throws
    {
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

    /// The caller, if allowed to triage: operators of operations centres and administrators.
    static func triager(_ req: Request) throws -> OperatorScope {
        let scope = try req.auth.require(OperatorScope.self)
        guard scope.worksForACentre else {
            throw Abort(
                .forbidden, reason: "role '\(scope.role.rawValue)' may not triage reports; operations centres do")
        }
        return scope
    }

    /// Hotline reports waiting in the queue within the operator's region subtree, oldest first; unlimited.
    static func queued(for scope: OperatorScope, req: Request) -> QueryBuilder<Report> {
        let query = Report.query(on: req.db).filter(\.$triageState == .queued)
            .filter(\.$source == .hotline)
        if let codes = scope.regionCodes(in: req.reference.hierarchy) { query.filter(\.$regionCode ~~ codes) }
        return query.sort(\.$receivedAt).sort(\.$id)
    }
}
