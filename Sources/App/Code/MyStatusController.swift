import CityDomain
import Fluent
import Vapor

/// The citizen's own status (issue #16 §1, §2), behind their session: `GET /api/v1/me/status`,
/// `POST /api/v1/me/status/appeal`, `POST /api/v1/me/status-code`, `POST /api/v1/me/status-declarations`.
struct MyStatusController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let me = routes.grouped(CitizenAuthenticator(), CitizenGuard()).grouped("me")
        me.get("status", use: status)
        me.post("status", "appeal", use: appeal)
        me.post("status-code", use: code)
        me.post("status-declarations", use: declare)
    }

    /// The signed-in citizen's subject (their identity number's keyed hash).
    static func subject(_ req: Request) async throws -> (UUID, String) {
        let scope = try req.auth.require(CitizenScope.self)
        guard let citizen = try await Citizen.find(scope.citizenID, on: req.db) else { throw Abort(.unauthorized) }
        return (scope.citizenID, citizen.idHMAC)
    }

    /// `GET /api/v1/me/status` — the current status with its reason in both languages, until when, the rule set
    /// version, every source read for it (each read written to the citizen's data-access log as
    /// `status_source_read` with the source as target) and the appeal, if any.
    @Sendable func status(req: Request) async throws -> MyStatusDTO {
        let (citizen, subject) = try await Self.subject(req)
        let gate = req.application.writeGate
        let row = try await StatusStore.current(of: subject, db: req.db, gate: gate, now: req.now)
        let rules = try await StatusStore.rules(version: row.ruleSetVersion, db: req.db) ?? StatusRuleSet.bundled()
        let decision = StatusStore.decision(row)
        let facts = try await StatusStore.facts(of: subject, db: req.db)
        let now = Int64(req.now.timeIntervalSince1970)
        let used = Set(decision.factIDs)
        var sources: [MyStatusDTO.Source] = []
        for source in FactSource.allCases {
            let mine = facts.filter { $0.source == source.rawValue }
            guard !mine.isEmpty else { continue }
            let live = mine.compactMap(StatusStore.domainFact).filter { $0.isLive(at: now) }
            sources.append(
                MyStatusDTO.Source(
                    source: source.rawValue, nameZh: source.name(zh: true), nameEn: source.name(zh: false),
                    facts: live.count, used: live.contains { used.contains($0.id) }))
        }
        let entries = sources.map {
            req.accessEntry(citizen: citizen, action: "status_source_read", target: $0.source, allowed: true)
        }
        if !entries.isEmpty { try await gate.exclusive { db in try await entries.create(on: db) } }
        let appeal = try await StatusAppealRow.query(on: req.db).filter(\.$decisionID == row.requireID()).first()
        let category = rules.category(row.category)
        return MyStatusDTO(
            category: row.category, categoryNameZh: category?.nameZh ?? row.category,
            categoryNameEn: category?.nameEn ?? row.category, colour: category?.colour ?? "#777777",
            reasonCode: row.reasonCode, reasonZh: rules.reason(of: decision, zh: true),
            reasonEn: rules.reason(of: decision, zh: false), evaluatedAt: row.evaluatedAt, until: row.expiresAt,
            ruleSetVersion: row.ruleSetVersion, sources: sources, appeal: appeal.map(StatusAppealDTO.init))
    }

    struct AppealBody: Content {
        var statement: String?
    }

    /// `POST /api/v1/me/status/appeal` `{"statement": "…"}` — 201 with the appeal and its case (for the unit the
    /// rule set names, due in its working days); 400 for a missing or over-long statement; 409 when the current
    /// decision is already under appeal.
    @Sendable func appeal(req: Request) async throws -> Response {
        let (citizen, subject) = try await Self.subject(req)
        let body = try req.decodeBody(AppealBody.self)
        let gate = req.application.writeGate
        let row = try await StatusStore.current(of: subject, db: req.db, gate: gate, now: req.now)
        let rules = try await StatusStore.rules(version: row.ruleSetVersion, db: req.db) ?? StatusRuleSet.bundled()
        let appeal = try await StatusAppeals.appeal(
            row, citizen: citizen, statement: body.statement ?? "", rules: rules, reference: req.reference,
            gate: gate, db: req.db, now: req.now, logger: req.logger)
        return try await StatusAppealDTO(appeal).encodeResponse(status: .created, for: req)
    }

    /// `POST /api/v1/me/status-code` — a new code for the current status, valid five minutes (a POST: each call
    /// issues and records a code).
    @Sendable func code(req: Request) async throws -> StatusCodeDTO {
        let (_, subject) = try await Self.subject(req)
        let keys = req.application.statusCodeKeys
        let (token, payload) = try await StatusCodes.issue(
            subject: subject, keys: keys, db: req.db, gate: req.application.writeGate, now: req.now)
        let expires = Date(timeIntervalSince1970: TimeInterval(payload.exp))
        return StatusCodeDTO(
            code: token, category: payload.st, issuedAt: Date(timeIntervalSince1970: TimeInterval(payload.iat)),
            expiresAt: expires, refreshAt: expires.addingTimeInterval(-60), keyId: keys.ring.current.id)
    }

    /// `POST /api/v1/me/status-declarations` — the citizen's own declaration, one fact (`source_id`, `kind`,
    /// `value`, `observed_at`, optional `expires_at`; no identity number: it is about the signed-in citizen):
    /// 201 accepted, 200 duplicate (the same `source_id` again), 400 with the item's code.
    @Sendable func declare(req: Request) async throws -> Response {
        let (_, subject) = try await Self.subject(req)
        var input = try req.decodeBody(FactInput.self)
        input.identityNumber = nil
        let results = try await FactIngest.ingest(
            [input], source: .selfDeclaration, subject: subject, vault: req.govServices.vault, db: req.db,
            gate: req.application.writeGate, now: req.now)
        let result = results[0]
        if let error = result.error {
            let status: HTTPResponseStatus = error.code == "conflicts_with_stored" ? .conflict : .badRequest
            throw Abort(status, reason: "\(error.code): \(error.message)")
        }
        return try await result.encodeResponse(status: result.status == "accepted" ? .created : .ok, for: req)
    }
}
