import CityDomain
import Fluent
import FluentSQL
import Vapor

/// The operators' case API: list and filter within the caller's scope, read one case with its timeline, act on it.
struct CaseController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let cases = routes.grouped("cases")
        cases.get(use: list)
        cases.get(":caseID", use: detail)
        cases.get(":caseID", "events", use: events)
        cases.on(.POST, ":caseID", "actions", body: .collect(maxSize: CaseActionInput.bodyLimit), use: act)
        cases.get(":caseID", "photos", ":photoID", use: photo)
        cases.post(":caseID", "reports", ":reportID", "split", use: split)
    }

    /// Query parameters of `GET /api/v1/cases`.
    struct ListQuery: Content {
        var region: String?
        var unit: String?
        var state: String?
        var category: String?
        /// A grid worker's username, or `me` for the caller.
        var assignee: String?
        var overdue: Bool?
        var limit: Int?
        var offset: Int?
    }

    struct ListResponse: Content {
        var items: [CaseSummaryDTO]
        var total: Int
        var limit: Int
        var offset: Int
    }

    /// `GET /api/v1/cases` — open cases first, earliest running step limit first (so overdue and due-soon lead),
    /// then newest. 400 for an unknown filter value, 403 for a region outside the caller's scope.
    @Sendable func list(req: Request) async throws -> ListResponse {
        let scope = try req.auth.require(OperatorScope.self)
        let params = try req.decodeQuery(ListQuery.self)
        let reference = req.reference
        let limit = params.limit ?? 50
        let offset = params.offset ?? 0
        guard (1...500).contains(limit) else { throw Abort(.badRequest, reason: "limit must be 1…500, got \(limit)") }
        guard (0...1_000_000).contains(offset) else {
            throw Abort(.badRequest, reason: "offset must be 0…1000000, got \(offset)")
        }

        let query = try Self.query(params, scope: scope, req: req)
        let now = req.now
        let total = try await query.copy().count()
        let rows = try await Self.inQueueOrder(query).offset(offset).limit(limit).all()
        return ListResponse(
            items: rows.map { CaseSummaryDTO($0, reference: reference, now: now) }, total: total, limit: limit,
            offset: offset)
    }

    /// `query` sorted as a work queue: open before closed, then the earliest running time limit first (cases
    /// without one last, on SQLite and PostgreSQL alike), then newest. The API's list and the console's desk.
    static func inQueueOrder(_ query: QueryBuilder<Case>) -> QueryBuilder<Case> {
        query
            .sort(.sql(unsafeRaw: #"CASE WHEN "state" = 'closed' THEN 1 ELSE 0 END"#))
            .sort(.sql(unsafeRaw: #"CASE WHEN "step_due_at" IS NULL THEN 1 ELSE 0 END"#))
            .sort(\.$stepDueAt, .ascending).sort(\.$id, .descending)
    }

    /// Cases the operator may see, filtered by `params` (region, unit, state, category, assignee, overdue); unsorted.
    /// - Throws: 400 for an unknown filter value, 403 for a region outside the caller's scope.
    static func query(_ params: ListQuery, scope: OperatorScope, req: Request) throws -> QueryBuilder<Case> {
        let reference = req.reference
        let query = Case.query(on: req.db)
        if let codes = scope.regionCodes(in: reference.hierarchy) { query.filter(\.$regionCode ~~ codes) }
        if let unit = scope.onlyUnit { query.filter(\.$unitCode == unit) }
        if let region = params.region {
            guard reference.hierarchy[region] != nil else {
                throw Abort(.badRequest, reason: "unknown region '\(region)'")
            }
            guard reference.hierarchy.isWithin(region, ancestor: scope.regionCode) else {
                throw Abort(.forbidden, reason: "region '\(region)' is outside your scope (\(scope.regionCode))")
            }
            if region != reference.hierarchy.root.code {
                query.filter(\.$regionCode ~~ reference.hierarchy.subtree(of: region))
            }
        }
        if let unit = params.unit {
            guard reference.units[unit] != nil else { throw Abort(.badRequest, reason: "unknown unit '\(unit)'") }
            query.filter(\.$unitCode == unit)
        }
        if let state = params.state {
            let states = state.split(separator: ",").map(String.init)
            let known = CaseState.allCases.map(\.rawValue).joined(separator: ", ")
            guard !states.isEmpty else {
                throw Abort(.badRequest, reason: "state names no state; give one or more of \(known), comma-separated")
            }
            for value in states where CaseState(rawValue: value) == nil {
                throw Abort(.badRequest, reason: "unknown state '\(value)'; one of \(known)")
            }
            query.filter(\.$state ~~ states)
        }
        if let category = params.category {
            guard reference.taxonomy[category] != nil else {
                throw Abort(.badRequest, reason: "unknown category '\(category)'")
            }
            let codes = reference.taxonomy.all.map(\.code).filter { $0 == category || $0.hasPrefix(category + ".") }
            query.filter(\.$categoryCode ~~ codes)
        }
        if let assignee = params.assignee.nonBlank {
            query.filter(\.$assignee == (assignee == "me" ? scope.username : assignee))
        }
        let now = req.now
        if params.overdue == true {
            query.filter(\.$state != CaseState.closed.rawValue).filter(\.$suspendedSince == nil)
                .group(.or) { $0.filter(\.$stepDueAt < now).filter(\.$dueAt < now) }
        }
        return query
    }

    /// `GET /api/v1/cases/:id` — 404 when outside the caller's scope, exactly as when it does not exist.
    @Sendable func detail(req: Request) async throws -> CaseDetailDTO {
        let scope = try req.auth.require(OperatorScope.self)
        let record = try await Self.visibleCase(req, scope: scope)
        return try await Self.detailDTO(record, scope: scope, reference: req.reference, db: req.db, now: req.now)
    }

    /// `GET /api/v1/cases/:id/events` — the append-only audit trail, oldest first.
    @Sendable func events(req: Request) async throws -> [CaseEventDTO] {
        let scope = try req.auth.require(OperatorScope.self)
        let record = try await Self.visibleCase(req, scope: scope)
        let id = try record.requireID()
        let photos = try await Self.photosByEvent(caseID: id, db: req.db)
        return try await CaseEvent.query(on: req.db).filter(\.$caseID == id).sort(\.$id).all()
            .map { CaseEventDTO($0, photos: photos[$0.id ?? 0] ?? []) }
    }

    /// `GET /api/v1/cases/:id/photos/:photoID` — a photo's bytes, with its content type.
    @Sendable func photo(req: Request) async throws -> Response {
        try await Self.photoResponse(req, scope: try req.auth.require(OperatorScope.self))
    }

    /// The photo named by `photoID` of the case named by `caseID`, if the operator may see the case: the bytes
    /// with their content type, `nosniff`, a sandboxing CSP, a strong ETag (the SHA-256; `If-None-Match` with it
    /// answers 304) and private caching (photos never change). 404 outside scope, for another case's photo or an
    /// unknown id; 400 for an id that is not a UUID.
    static func photoResponse(_ req: Request, scope: OperatorScope) async throws -> Response {
        let record = try await visibleCase(req, scope: scope)
        guard let photoID = req.parameters.get("photoID", as: UUID.self) else {
            throw Abort(.badRequest, reason: "photo id must be a UUID")
        }
        guard let photo = try await CasePhoto.find(photoID, on: req.db), photo.caseID == record.id else {
            throw Abort(.notFound, reason: "photo \(photoID) not found on case \(record.id ?? 0)")
        }
        let etag = "\"\(photo.sha256)\""
        let unchanged = req.headers[.ifNoneMatch].contains {
            $0.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == etag }
        }
        let response = Response(
            status: unchanged ? .notModified : .ok, body: unchanged ? .empty : .init(data: photo.data))
        let parts = photo.contentType.split(separator: "/").map(String.init)
        response.headers.contentType = HTTPMediaType(type: parts.first ?? "image", subType: parts.last ?? "jpeg")
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "Content-Security-Policy", value: "default-src 'none'; sandbox")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "inline")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, max-age=86400, immutable")
        response.headers.replaceOrAdd(name: .eTag, value: etag)
        return response
    }

    /// Photo metadata (never the bytes) of case `caseID`, keyed by the event they came with, oldest first.
    static func photosByEvent(caseID: Int, db: any Database) async throws -> [Int: [CasePhotoDTO]] {
        let rows = try await CasePhoto.query(on: db).filter(\.$caseID == caseID)
            .field(\.$id).field(\.$eventID).field(\.$position).field(\.$contentType).field(\.$byteCount)
            .field(\.$sha256).field(\.$uploadedBy)
            .sort(\.$eventID).sort(\.$position).all()
        return try Dictionary(grouping: rows, by: \.eventID).mapValues { photos in
            try photos.map {
                CasePhotoDTO(
                    caseID: caseID, id: try $0.requireID(), contentType: $0.contentType,
                    byteCount: $0.byteCount, sha256: $0.sha256, uploadedBy: $0.uploadedBy)
            }
        }
    }

    /// `POST /api/v1/cases/:id/actions` — JSON (``CaseActionInput/ActionBody``) or a multipart form with photos
    /// (``CaseActionInput/ActionForm``). 409 for an action the state does not allow, 403 for one the role does not
    /// allow, 400 for a missing note, unit or assignee or a bad photo, 413 for a body over 20 MiB, 404 outside scope.
    @Sendable func act(req: Request) async throws -> CaseDetailDTO {
        let scope = try req.auth.require(OperatorScope.self)
        let record = try await Self.visibleCase(req, scope: scope)  // before reading a large body: 404 first
        let command = try CaseActionInput.command(from: req)
        let action = command.action
        let updated = try await CaseActions.perform(
            command, on: record, by: scope.actor, reference: req.reference, on: req.db,
            gate: req.application.writeGate, now: req.now)
        req.logger.info(
            "case action",
            metadata: [
                "case_id": "\(updated.id ?? 0)", "action": "\(action.rawValue)",
                "actor": "\(scope.username)", "state": "\(updated.state)",
            ])
        return try await Self.detailDTO(updated, scope: scope, reference: req.reference, db: req.db, now: req.now)
    }

    /// Body of `POST /api/v1/cases/:id/reports/:reportID/split`.
    struct SplitBody: Content {
        var note: String
        var categoryCode: String?

        enum CodingKeys: String, CodingKey {
            case note
            case categoryCode = "category_code"
        }
    }

    /// `POST /api/v1/cases/:id/reports/:reportID/split` — moves a wrongly merged report to a new case, dispatched
    /// anew; answers 201 with the new case. 403 for caseworkers and grid workers, 404 outside scope or for a report
    /// not in the case, 409 for the case's first or only report or a concurrent change, 400 without a note.
    @Sendable func split(req: Request) async throws -> Response {
        let scope = try TriageController.triager(req)
        let body = try req.decodeBody(SplitBody.self)
        try TextRules.validate(body.note, field: "note", maxLength: 2000, allowEmpty: false)
        guard let reportID = req.parameters.get("reportID", as: Int.self) else {
            throw Abort(.badRequest, reason: "report id must be an integer")
        }
        let record = try await Self.visibleCase(req, scope: scope)
        let created = try await CaseSplit.split(
            reportID: reportID, from: record, categoryCode: body.categoryCode, note: body.note, by: scope.actor,
            reference: req.reference, db: req.db, gate: req.application.writeGate, now: req.now)
        req.logger.info(
            "report split off",
            metadata: [
                "case_id": "\(record.id ?? 0)", "report_id": "\(reportID)",
                "new_case_id": "\(created.id ?? 0)", "actor": "\(scope.username)",
            ])
        let dto = try await Self.detailDTO(created, scope: scope, reference: req.reference, db: req.db, now: req.now)
        return try await dto.encodeResponse(status: .created, for: req)
    }

    /// The case named by the `caseID` parameter if the operator may see it; 404 otherwise (as for a missing one).
    static func visibleCase(_ req: Request, scope: OperatorScope) async throws -> Case {
        guard let id = req.parameters.get("caseID", as: Int.self) else {
            throw Abort(.badRequest, reason: "case id must be an integer")
        }
        guard let record = try await Case.find(id, on: req.db),
            scope.canSee(regionCode: record.regionCode, unitCode: record.unitCode, in: req.reference.hierarchy)
        else { throw Abort(.notFound, reason: "case \(id) not found") }
        return record
    }

    static func detailDTO(
        _ record: Case, scope: OperatorScope, reference: CityReference, db: any Database, now: Date,
        language: DisplayLanguage = .zh
    ) async throws -> CaseDetailDTO {
        let id = try record.requireID()
        let reports = try await Report.query(on: db).filter(\.$caseID == id).sort(\.$id).all()
        let events = try await CaseEvent.query(on: db).filter(\.$caseID == id).sort(\.$id).all()
        let photos = try await photosByEvent(caseID: id, db: db)
        let maxLevel = CaseActions.maxEscalationLevel(for: record, reference: reference)
        var allowed = CaseWorkflow.allowedActions(in: record.snapshot, role: scope.role, maxEscalationLevel: maxLevel)
        // Whoever resolved the case may not verify it (CaseActions refuses it), so it is not offered either.
        if events.last(where: { $0.action == CaseAction.resolve.rawValue })?.actor == scope.username {
            allowed.removeAll { $0 == .verify || $0 == .failVerification }
        }
        return CaseDetailDTO(
            summary: CaseSummaryDTO(record, reference: reference, now: now, language: language),
            dispatchRule: record.dispatchRule,
            dispatchReason: record.dispatchReason, firstUnitCode: record.firstUnitCode,
            locateMethod: record.locateMethod,
            locateCandidates: record.locateCandidates.split(separator: ",").map(String.init),
            supervisingUnitCode: record.supervisingUnitCode, suspendedSince: record.suspendedSince,
            extensionRequested: record.extensionRequested, extensionDays: record.extensionDays,
            requestedExtensionDays: record.requestedExtensionDays,
            reopenCount: record.reopenCount, timeLimitProblem: record.timeLimitProblem, closedAt: record.closedAt,
            allowedActions: allowed.map(\.rawValue), reports: reports.map(ReportDTO.init),
            events: events.map { CaseEventDTO($0, photos: photos[$0.id ?? 0] ?? []) })
    }
}
