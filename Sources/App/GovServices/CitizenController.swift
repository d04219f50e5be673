import CityDomain
import Fluent
import SQLKit
import Vapor

/// Citizens' own routes: register, sign in and out, and everything under `/api/v1/me` (their account,
/// applications, completions, ratings, notifications and data-access log). A citizen reaches only their own data:
/// another person's application answers 404 exactly like one that does not exist, and the attempt is logged.
struct CitizenController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post("citizens", use: register)
        routes.post("citizen-sessions", use: login)
        let me = routes.grouped(CitizenAuthenticator(), CitizenGuard())
        me.delete("citizen-sessions", use: logout)
        me.get("me", use: account)
        me.get("me", "applications", use: applications)
        me.on(
            .POST, "me", "applications", body: .collect(maxSize: ByteCount(value: GovSubmission.maxBodyBytes)),
            use: submit)
        me.get("me", "applications", ":id", use: application)
        me.on(
            .POST, "me", "applications", ":id", "completion",
            body: .collect(maxSize: ByteCount(value: GovSubmission.maxBodyBytes)), use: complete)
        me.post("me", "applications", ":id", "rating", use: rate)
        me.get("me", "ratings", use: ratings)
        me.get("me", "notifications", use: notifications)
        me.get("me", "access-log", use: accessLog)
    }

    struct RegisterBody: Content {
        var name: String
        var identityNumber: String
        var phone: String
        var password: String

        enum CodingKeys: String, CodingKey {
            case name, phone, password
            case identityNumber = "identity_number"
        }
    }

    /// The answer to every registration that passed the checks, whether the number was new or already had an
    /// account: registration never tells whether someone has an account (the holder is told in their outbox).
    struct RegistrationDTO: Content {
        var status = "received"
        var messageZh = "如该身份证号尚未注册，账户已开通，请登录；如已注册，我们已通知账户本人，账户未作任何更改。"
        var messageEn =
            "If this identity number had no account, the account is ready: sign in. If it already had one, its holder has been told and nothing was changed."

        enum CodingKeys: String, CodingKey {
            case status
            case messageZh = "message_zh"
            case messageEn = "message_en"
        }
    }

    @Sendable func register(req: Request) async throws -> Response {
        let body = try req.decodeBody(RegisterBody.self)
        let pool = req.application.passwordPool
        do {
            let citizen = try await CitizenAccess.register(
                name: body.name, identityNumber: body.identityNumber, phone: body.phone, password: body.password,
                clientAddress: req.clientAddressKey, vault: req.govServices.vault, gate: req.application.writeGate,
                db: req.db, now: req.now,
                hash: { password in try await pool.runIfActive { try Bcrypt.hash(password, cost: 12) } })
            req.logger.info("citizen registered", metadata: ["identity": "\(citizen.idMasked)"])
        } catch CitizenAccountError.alreadyRegistered {
            req.logger.notice("registration for an identity number with an account; its holder was told")
        }
        return try await RegistrationDTO().encodeResponse(status: .accepted, for: req)
    }

    struct LoginBody: Content {
        var identityNumber: String
        var password: String

        enum CodingKeys: String, CodingKey {
            case password
            case identityNumber = "identity_number"
        }
    }

    struct SessionDTO: Content {
        var token: String
        var expiresAt: Date
        var citizen: CitizenDTO

        enum CodingKeys: String, CodingKey {
            case token, citizen
            case expiresAt = "expires_at"
        }
    }

    @Sendable func login(req: Request) async throws -> SessionDTO {
        let body = try req.decodeBody(LoginBody.self)
        let pool = req.application.passwordPool
        guard
            let session = try await CitizenAccess.login(
                identityNumber: body.identityNumber, password: body.password, clientAddress: req.clientAddressKey,
                lifetime: req.application.config.sessionLifetime, vault: req.govServices.vault,
                gate: req.application.writeGate, db: req.db, now: req.now,
                verify: { password, hash in try await pool.runIfActive { try Bcrypt.verify(password, created: hash) } }
            )
        else { throw Abort(.unauthorized, reason: "invalid identity number or password") }
        try await req.logAccess(citizen: session.citizen.requireID(), action: "sign_in", target: nil, allowed: true)
        return SessionDTO(token: session.token, expiresAt: session.expiresAt, citizen: CitizenDTO(session.citizen))
    }

    @Sendable func logout(req: Request) async throws -> HTTPStatus {
        let scope = try req.auth.require(CitizenScope.self)
        try await req.application.writeGate.exclusive { db in
            try await CitizenSession.query(on: db).filter(\.$tokenHash == scope.tokenHash).delete()
        }
        return .noContent
    }

    @Sendable func account(req: Request) async throws -> CitizenDTO {
        let scope = try req.auth.require(CitizenScope.self)
        guard let citizen = try await Citizen.find(scope.citizenID, on: req.db) else { throw Abort(.unauthorized) }
        return CitizenDTO(citizen)
    }

    struct ApplicationListDTO: Content {
        var applications: [GovApplicationDTO]
    }

    @Sendable func applications(req: Request) async throws -> ApplicationListDTO {
        let scope = try req.auth.require(CitizenScope.self)
        let rows = try await GovApplication.query(on: req.db).filter(\.$citizenID == scope.citizenID)
            .sort(\.$submittedAt, .descending).limit(200).all()
        return ApplicationListDTO(
            applications: rows.map {
                GovApplicationDTO($0, item: req.govServices.catalogue[$0.itemCode], materials: [], events: [])
            })
    }

    struct SubmitBody: Content {
        var itemCode: String
        var regionCode: String?
        var clientToken: String?
        var materials: [MaterialInput]
        /// The e-licence material codes whose held licence the citizen consents to reuse (``LicenceReuse``).
        var consents: [String]?

        enum CodingKeys: String, CodingKey {
            case materials, consents
            case itemCode = "item_code"
            case regionCode = "region_code"
            case clientToken = "client_token"
        }
    }

    @Sendable func submit(req: Request) async throws -> Response {
        let scope = try req.auth.require(CitizenScope.self)
        let body = try req.decodeBody(SubmitBody.self)
        guard let token = (req.headers.first(name: "Idempotency-Key") ?? body.clientToken).nonBlank,
            token.unicodeScalars.count <= 100
        else { throw GovApplicationError.tokenRequired }
        guard let item = req.govServices.catalogue[body.itemCode] else {
            throw GovApplicationError.unknownItem(body.itemCode)
        }
        let access = req.accessEntry(citizen: scope.citizenID, action: "submit", target: nil, allowed: true)
        var licences: [String: UUID] = [:]
        if let consents = body.consents, !consents.isEmpty {
            let held = try await LicenceReuse.held(citizen: scope.citizenID, item: item, db: req.db, now: req.now)
            licences = try LicenceReuse.attachments(consents: consents, item: item, held: held)
        }
        let submission = try await GovApplications.submission(
            citizen: scope.citizenID, item: item, regionCode: body.regionCode.nonBlank, token: token,
            materials: body.materials, access: access, licences: licences, reference: req.reference,
            gate: req.application.writeGate, db: req.db, now: req.now)
        guard submission.created else {
            try await req.logAccess(
                citizen: scope.citizenID, action: "submit", target: submission.application.id?.uuidString,
                allowed: true)
            return try await detail(submission.application, req: req).encodeResponse(status: .ok, for: req)
        }
        // The rows just written answer: no read after the write.
        return try await GovApplicationDTO(
            submission.application, item: item, materials: submission.materials, events: submission.events
        ).encodeResponse(status: .created, for: req)
    }

    /// The application `:id` if it is the signed-in citizen's; otherwise 404, and the attempt is logged.
    func owned(_ req: Request, action: String) async throws -> (CitizenScope, GovApplication) {
        let scope = try req.auth.require(CitizenScope.self)
        let text = req.parameters.get("id") ?? ""
        guard let id = UUID(uuidString: text),
            let application = try await GovApplications.own(id, citizen: scope.citizenID, on: req.db)
        else {
            try await req.logAccess(citizen: scope.citizenID, action: action, target: text, allowed: false)
            req.logger.warning(
                "citizen refused an application not their own", metadata: ["action": "\(action)", "target": "\(text)"])
            throw GovApplicationError.notFound
        }
        return (scope, application)
    }

    func detail(_ application: GovApplication, req: Request) async throws -> GovApplicationDTO {
        let id = try application.requireID()
        let materials = try await GovMaterial.query(on: req.db).filter(\.$applicationID == id)
            .field(\.$id).field(\.$materialCode).field(\.$round).field(\.$supply).field(\.$contentType)
            .field(\.$byteCount).field(\.$sha256).field(\.$elicence).field(\.$applicationID).field(\.$createdAt)
            .sort(\.$round).sort(\.$materialCode).all()
        let events = try await GovApplicationEvent.query(on: req.db).filter(\.$applicationID == id).sort(\.$at).all()
        return GovApplicationDTO(
            application, item: req.govServices.catalogue[application.itemCode], materials: materials, events: events)
    }

    @Sendable func application(req: Request) async throws -> GovApplicationDTO {
        let (scope, application) = try await owned(req, action: "read_application")
        try await req.logAccess(
            citizen: scope.citizenID, action: "read_application", target: application.id?.uuidString, allowed: true)
        return try await detail(application, req: req)
    }

    struct CompletionBody: Content {
        var materials: [MaterialInput]
        var note: String?
    }

    @Sendable func complete(req: Request) async throws -> GovApplicationDTO {
        let (scope, application) = try await owned(req, action: "complete")
        let body = try req.decodeBody(CompletionBody.self)
        guard let item = req.govServices.catalogue[application.itemCode] else { throw GovApplicationError.notFound }
        try await GovApplications.complete(
            application, item: item, materials: body.materials, note: body.note.nonBlank,
            deadlines: req.reference.deadlines, gate: req.application.writeGate, db: req.db, now: req.now,
            access: req.accessEntry(
                citizen: scope.citizenID, action: "complete", target: application.id?.uuidString, allowed: true))
        return try await detail(application, req: req)
    }

    struct RatingBody: Content {
        var level: RatingLevel
        var comment: String?
    }

    struct RatingDTO: Content {
        var applicationId: UUID
        var itemCode: String
        var level: String
        var comment: String?
        var at: Date
        var rectificationCaseId: Int?
        var rectificationState: String?

        enum CodingKeys: String, CodingKey {
            case level, comment, at
            case applicationId = "application_id"
            case itemCode = "item_code"
            case rectificationCaseId = "rectification_case_id"
            case rectificationState = "rectification_state"
        }
    }

    @Sendable func rate(req: Request) async throws -> Response {
        let (scope, application) = try await owned(req, action: "rate")
        let body = try req.decodeBody(RatingBody.self)
        guard let item = req.govServices.catalogue[application.itemCode] else { throw GovApplicationError.notFound }
        let rating = try await GovRatings.rate(
            application, item: item, level: body.level, comment: body.comment, days: req.govServices.rectificationDays,
            reference: req.reference, gate: req.application.writeGate, db: req.db, now: req.now, logger: req.logger,
            access: req.accessEntry(
                citizen: scope.citizenID, action: "rate", target: application.id?.uuidString, allowed: true))
        return try await RatingDTO(
            applicationId: rating.applicationID, itemCode: rating.itemCode, level: rating.level.rawValue,
            comment: rating.comment, at: rating.at, rectificationCaseId: rating.caseID,
            rectificationState: rating.caseID == nil ? nil : CaseState.dispatched.rawValue
        ).encodeResponse(status: .created, for: req)
    }

    struct RatingListDTO: Content {
        var ratings: [RatingDTO]
    }

    /// The citizen's ratings with the live state of each rectification case (the callback's view).
    @Sendable func ratings(req: Request) async throws -> RatingListDTO {
        let scope = try req.auth.require(CitizenScope.self)
        let rows = try await GovRating.query(on: req.db).filter(\.$citizenID == scope.citizenID).sort(\.$at).all()
        let caseIDs = rows.compactMap(\.caseID)
        let cases = caseIDs.isEmpty ? [] : try await Case.query(on: req.db).filter(\.$id ~~ caseIDs).all()
        let states = Dictionary(uniqueKeysWithValues: cases.compactMap { c in c.id.map { ($0, c.state.rawValue) } })
        return RatingListDTO(
            ratings: rows.map {
                RatingDTO(
                    applicationId: $0.applicationID, itemCode: $0.itemCode, level: $0.level.rawValue,
                    comment: $0.comment, at: $0.at, rectificationCaseId: $0.caseID,
                    rectificationState: $0.caseID.flatMap { states[$0] })
            })
    }

    struct NoticeListDTO: Content {
        var notifications: [GovNoticeDTO]
    }

    /// Notices not shown before (at most 100), oldest first; each is marked shown, so it appears once: the rows
    /// are claimed by one UPDATE … WHERE shown_at IS NULL … RETURNING, so two requests at once never both show one.
    @Sendable func notifications(req: Request) async throws -> NoticeListDTO {
        let scope = try req.auth.require(CitizenScope.self)
        let now = req.now
        let citizen = scope.citizenID
        let rows = try await req.application.writeGate.exclusive(returning: { db -> [GovNotification] in
            guard let sql = db as? any SQLDatabase else {
                throw Abort(.internalServerError, reason: "SQL database required")
            }
            let unseen = sql.select().column("id").from(GovNotification.schema)
                .where("citizen_id", .equal, citizen).where(SQLColumn("shown_at"), .is, SQLLiteral.null)
                .orderBy("at").limit(100)
            return try await sql.update(GovNotification.schema)
                .set("shown_at", to: IntakeRows.b(now)).set("delivered_at", to: IntakeRows.b(now))
                .where(SQLColumn("id"), .in, SQLGroupExpression(unseen.select))
                .where(SQLColumn("shown_at"), .is, SQLLiteral.null)
                .returning(SQLLiteral.all).all(decodingFluent: GovNotification.self)
        })
        return NoticeListDTO(
            notifications: rows.sorted { ($0.at, $0.id?.uuidString ?? "") < ($1.at, $1.id?.uuidString ?? "") }
                .map(GovNoticeDTO.init))
    }

    struct AccessEntryDTO: Content {
        var at: Date
        var action: String
        var target: String?
        var outcome: String
        /// For a department's read: the operator, their unit and the application.
        var reader: String?
        var readerUnit: String?
        var applicationId: UUID?

        enum CodingKeys: String, CodingKey {
            case at, action, target, outcome, reader
            case readerUnit = "reader_unit"
            case applicationId = "application_id"
        }
    }

    struct AccessLogDTO: Content {
        var entries: [AccessEntryDTO]
    }

    @Sendable func accessLog(req: Request) async throws -> AccessLogDTO {
        let scope = try req.auth.require(CitizenScope.self)
        let rows = try await GovAccessEntry.query(on: req.db).filter(\.$citizenID == scope.citizenID)
            .sort(\.$at, .descending).limit(200).all()
        return AccessLogDTO(
            entries: rows.map {
                AccessEntryDTO(
                    at: $0.at, action: $0.action, target: $0.target, outcome: $0.outcome, reader: $0.reader,
                    readerUnit: $0.readerUnit, applicationId: $0.applicationID)
            })
    }
}
