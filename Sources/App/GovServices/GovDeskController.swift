import CityDomain
import Fluent
import Vapor

/// The caseworkers' desk for government-service applications, scoped like the operators' case desks: a
/// department's operators see and act on the applications their unit handles, and those escalated to it; other
/// operators see none (404). The desk shows the applicant's name and masked identity number, never who rated.
struct GovDeskController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let gov = routes.grouped("gov")
        gov.get("desk", use: desk)
        gov.get("applications", ":id", use: show)
        gov.post("applications", ":id", "actions", use: act)
        gov.get("rating-stats", use: stats)
    }

    struct DeskEntryDTO: Content {
        var application: GovApplicationDTO
        var applicantName: String
        var applicantIdentityNumber: String

        enum CodingKeys: String, CodingKey {
            case application
            case applicantName = "applicant_name"
            case applicantIdentityNumber = "applicant_identity_number"
        }
    }

    struct DeskDTO: Content {
        var applications: [DeskEntryDTO]
    }

    @Sendable func desk(req: Request) async throws -> DeskDTO {
        let scope = try req.auth.require(OperatorScope.self)
        let rows = try await GovApplication.query(on: req.db)
            .group(.or) { $0.filter(\.$unitCode == scope.unitCode).filter(\.$escalatedTo == scope.unitCode) }
            .filter(\.$state !~ [.done, .refused]).sort(\.$submittedAt).limit(500).all()
        return DeskDTO(applications: try await entries(rows, req: req))
    }

    private func entries(_ rows: [GovApplication], req: Request) async throws -> [DeskEntryDTO] {
        let citizens = try await Citizen.query(on: req.db).filter(\.$id ~~ Set(rows.map(\.citizenID))).all()
        let byID = Dictionary(uniqueKeysWithValues: citizens.compactMap { c in c.id.map { ($0, c) } })
        return rows.map {
            DeskEntryDTO(
                application: GovApplicationDTO(
                    $0, item: req.govServices.catalogue[$0.itemCode], materials: [], events: []),
                applicantName: byID[$0.citizenID]?.name ?? "",
                applicantIdentityNumber: byID[$0.citizenID]?.idMasked ?? "")
        }
    }

    /// The application if this operator's unit handles it or had it escalated to it; else 404.
    private func visible(_ req: Request) async throws -> (OperatorScope, GovApplication) {
        let scope = try req.auth.require(OperatorScope.self)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
            let application = try await GovApplication.find(id, on: req.db),
            application.unitCode == scope.unitCode || application.escalatedTo == scope.unitCode
        else { throw GovApplicationError.notFound }
        return (scope, application)
    }

    @Sendable func show(req: Request) async throws -> DeskEntryDTO {
        let (_, application) = try await visible(req)
        var detail = try await CitizenController().detail(application, req: req)
        // The department never learns who rated what: the rating step stays off its view of the application.
        detail.events.removeAll { $0.action == "rate" }
        let citizen = try await Citizen.find(application.citizenID, on: req.db)
        // A department's read of the applicant's data, in the applicant's access log (issue #14 §2).
        if let scope = req.auth.get(OperatorScope.self) {
            let entry = req.accessEntry(
                citizen: application.citizenID, action: "department_read_application",
                target: application.id?.uuidString,
                allowed: true)
            entry.reader = scope.username
            entry.readerUnit = scope.unitCode
            entry.applicationID = application.id
            try await req.application.writeGate.exclusive { db in try await entry.create(on: db) }
        }
        return DeskEntryDTO(
            application: detail, applicantName: citizen?.name ?? "",
            applicantIdentityNumber: citizen?.idMasked ?? "")
    }

    struct ActionBody: Content {
        var action: ApplicationAction
        var reason: String?
        /// The version the caseworker saw; a different stored one answers 409.
        var version: Int?
    }

    @Sendable func act(req: Request) async throws -> DeskEntryDTO {
        let (scope, application) = try await visible(req)
        let body = try req.decodeBody(ActionBody.self)
        guard application.unitCode == scope.unitCode else {
            throw Abort(.forbidden, reason: "only the handling department acts on an application; yours supervises it")
        }
        guard !body.action.byCitizen else {
            throw Abort(
                .forbidden, reason: "'complete' is the citizen's step (POST /api/v1/me/applications/{id}/completion)")
        }
        if let version = body.version, version != application.version { throw GovApplicationError.concurrentChange }
        if let reason = body.reason, reason.unicodeScalars.count > 1000 {
            throw Abort(.badRequest, reason: "reason must be at most 1000 characters")
        }
        guard let item = req.govServices.catalogue[application.itemCode] else { throw GovApplicationError.notFound }
        try await GovApplications.act(
            body.action, on: application, item: item, actor: scope.username, actorUnit: scope.unitCode,
            reason: body.reason, deadlines: req.reference.deadlines, gate: req.application.writeGate, now: req.now,
            licences: req.govServices.licenceIssuer, bundles: req.govServices.bundleReleaser)
        return try await show(req: req)
    }

    struct StatsRowDTO: Content {
        var code: String
        var completed: Int
        var rated: Int
        var ratingRate: Double
        var shareGood: Double
        var bad: Int
        var openRectifications: Int

        enum CodingKeys: String, CodingKey {
            case code, completed, rated, bad
            case ratingRate = "rating_rate"
            case shareGood = "share_good"
            case openRectifications = "open_rectifications"
        }
    }

    struct StatsDTO: Content {
        var items: [StatsRowDTO]
        var departments: [StatsRowDTO]
    }

    /// Rating statistics per item and per department (unit): completed applications, ratings, rating rate
    /// (rated ÷ completed), share good (top two levels ÷ rated), bad ratings and their rectification cases still
    /// open. Counts only, no citizen.
    @Sendable func stats(req: Request) async throws -> StatsDTO {
        _ = try req.auth.require(OperatorScope.self)
        let done = try await GovApplication.query(on: req.db).filter(\.$state == .done)
            .field(\.$id).field(\.$itemCode).field(\.$unitCode).all()
        let ratings = try await GovRating.query(on: req.db).all()
        let caseIDs = ratings.compactMap(\.caseID)
        let open = Set(
            caseIDs.isEmpty
                ? []
                : try await Case.query(on: req.db).filter(\.$id ~~ caseIDs).filter(\.$state != .closed).all()
                    .compactMap(\.id))
        func rows(_ key: (String, String) -> String) -> [StatsRowDTO] {
            var completed: [String: Int] = [:]
            for application in done { completed[key(application.itemCode, application.unitCode), default: 0] += 1 }
            var grouped: [String: [GovRating]] = [:]
            for rating in ratings { grouped[key(rating.itemCode, rating.unitCode), default: []].append(rating) }
            return Set(completed.keys).union(grouped.keys).sorted().map { code in
                let rated = grouped[code] ?? []
                let total = completed[code] ?? 0
                return StatsRowDTO(
                    code: code, completed: total, rated: rated.count,
                    ratingRate: total == 0 ? 0 : Double(rated.count) / Double(total),
                    shareGood: rated.isEmpty ? 0 : Double(rated.filter(\.level.isGood).count) / Double(rated.count),
                    bad: rated.filter(\.level.isBad).count,
                    openRectifications: rated.compactMap(\.caseID).filter(open.contains).count)
            }
        }
        return StatsDTO(items: rows { item, _ in item }, departments: rows { _, unit in unit })
    }
}

/// The government-services loop `serve` runs beside the escalation sweep: overdue applications escalate, the
/// outbox is delivered, and citizens whose rectification case closed get their callback notice.
enum GovServicesLoop {
    static func periodicTask(interval: TimeInterval) -> PeriodicTask {
        PeriodicTask(name: "government services", interval: interval, startsAtOnce: false) { application, _ in
            try await runOnce(application, now: application.clock.now())
        }
    }

    /// One pass (tests call it with a pinned clock).
    static func runOnce(_ application: Application, now: Date) async throws {
        let gate = application.writeGate
        _ = try await GovOverdue.sweep(reference: application.reference, gate: gate, db: application.db, now: now)
        _ = try await GovRatings.callBack(gate: gate, db: application.db, now: now)
        let outcome = try await GovOutbox.deliverPending(
            notifier: application.govServices.notifier, gate: gate, db: application.db, now: now)
        if outcome.failed > 0 {
            application.logger.warning(
                "notices not delivered; tried again on the next pass", metadata: ["failed": "\(outcome.failed)"])
        }
    }
}

/// Overdue applications escalate to the department head: a district department's applications to the city
/// department of the same kind, a city department's to the city operations centre. Run by the escalation loop and
/// by tests directly.
enum GovOverdue {
    /// Escalates every application whose promised date passed while its clock runs.
    /// - Returns: how many were escalated.
    static func sweep(reference: CityReference, gate: WriteGate, db: any Database, now: Date) async throws -> Int {
        let due = try await GovApplication.query(on: db)
            .filter(\.$state ~~ ApplicationState.allCases.filter(\.clockRuns))
            .filter(\.$escalatedAt == nil).filter(\.$promisedDueAt < now).limit(500).all()
        for application in due {
            guard let unit = reference.units[application.unitCode] else { continue }
            let root = reference.hierarchy.root.code
            let head =
                unit.regionCode == root
                ? CityDomain.Unit.code(regionCode: root, kind: .operationsCentre)
                : CityDomain.Unit.code(regionCode: root, kind: unit.kind)
            application.escalatedTo = head
            application.escalatedAt = now
            let event = GovApplicationEvent(
                applicationID: try application.requireID(), at: now, action: "escalate", from: application.state,
                to: application.state, actor: "system", unitCode: head, note: GovSystemNote.promisedDatePassed.stored)
            try await gate.exclusive { [application] db in
                try await application.update(on: db)
                try await event.create(on: db)
            }
        }
        return due.count
    }
}
