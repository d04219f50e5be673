import CityDomain
import Fluent
import Vapor

/// The status rules as data (issue #16 §1), for signed-in operators: `GET /api/v1/status-rules` (current),
/// `GET /api/v1/status-rules/versions` (all, oldest first), `GET /api/v1/status-rules/versions/{n}`,
/// `PUT /api/v1/status-rules` (a new version; city operators and administrators only),
/// `POST /api/v1/status-reevaluations` (run or resume re-evaluating everyone for the current version).
struct StatusRulesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let rules = routes.grouped("status-rules")
        rules.get(use: current)
        rules.on(.PUT, body: .collect(maxSize: "256kb"), use: put)
        rules.get("versions", use: versions)
        rules.get("versions", ":version", use: version)
        routes.post("status-reevaluations", use: reevaluate)
    }

    @Sendable func current(req: Request) async throws -> StatusRulesDTO {
        let (version, _) = try await StatusStore.currentRules(
            db: req.db, gate: req.application.writeGate, now: req.now)
        return try await Self.dto(version, req: req)
    }

    static func dto(_ version: Int, req: Request) async throws -> StatusRulesDTO {
        guard let row = try await StatusRuleSetRow.query(on: req.db).filter(\.$version == version).first() else {
            throw Abort(.notFound, reason: "status rule set version \(version) not found")
        }
        return StatusRulesDTO(
            version: row.version, createdAt: row.createdAt, createdBy: row.createdBy,
            rules: try JSONDecoder().decode(StatusRuleSet.self, from: Data(row.rules.utf8)))
    }

    @Sendable func versions(req: Request) async throws -> [StatusRuleVersionDTO] {
        _ = try await StatusStore.currentRules(db: req.db, gate: req.application.writeGate, now: req.now)
        return try await StatusRuleSetRow.query(on: req.db).sort(\.$version).all().map {
            StatusRuleVersionDTO(version: $0.version, createdAt: $0.createdAt, createdBy: $0.createdBy)
        }
    }

    @Sendable func version(req: Request) async throws -> StatusRulesDTO {
        guard let version = req.parameters.get("version", as: Int.self) else {
            throw Abort(.badRequest, reason: "version must be a whole number")
        }
        return try await Self.dto(version, req: req)
    }

    /// 200 with the new version (it applies to evaluations from now on; stored decisions keep theirs); 422 with
    /// every field error (``CityDomain/StatusRuleSet/problems()``); 403 for other roles; 409 when another change took
    /// the same version at that moment.
    @Sendable func put(req: Request) async throws -> Response {
        let scope = try Self.editor(req)
        let set = try req.decodeBody(StatusRuleSet.self)
        let problems = set.problems()
        guard problems.isEmpty else {
            return try await StatusRuleErrorsDTO(errors: problems).encodeResponse(
                status: .unprocessableEntity, for: req)
        }
        let version = try await StatusStore.putRules(
            set, by: scope.username, db: req.db, gate: req.application.writeGate, now: req.now)
        return try await Self.dto(version, req: req).encodeResponse(for: req)
    }

    /// `?batches=N` (1–1,000, default 10) batches of 1,000 subjects; 200 with the progress (`done` once everyone is).
    /// - Throws: 400 for `batches` that is not a whole number from 1 to 1,000 (as /openapi.json documents it); 409
    ///   while another request moves the same run (``StatusReevaluationError``).
    @Sendable func reevaluate(req: Request) async throws -> StatusReevaluationDTO {
        _ = try Self.editor(req)
        var batches = 10
        if let text = req.query[String.self, at: "batches"] {
            guard let number = Int(text), (1...1000).contains(number) else {
                throw Abort(.badRequest, reason: "batches must be a whole number from 1 to 1000, got '\(text)'")
            }
            batches = number
        }
        let run = try await StatusReevaluation.run(
            maxBatches: batches, db: req.db, gate: req.application.writeGate, now: req.now)
        return StatusReevaluationDTO(run)
    }

    static func editor(_ req: Request) throws -> OperatorScope {
        let scope = try req.auth.require(OperatorScope.self)
        guard scope.editsCityRules else {
            throw Abort(.forbidden, reason: "only city operators and administrators change status rules")
        }
        return scope
    }
}

/// What checkpoints fetch and cache (no sign-in): `GET /api/v1/status-code-keys` (the public keys) and
/// `GET /api/v1/status-code-revocations` (the signed list of revoked codes not yet expired).
struct StatusCodePublicController: RouteCollection {
    /// `Cache-Control` max-age of the keys, in seconds (rotation appends a key; checkpoints refetch hourly).
    static let keysMaxAge = 3600
    /// `Cache-Control` max-age of the revocation list, in seconds.
    static let listMaxAge = 60

    func boot(routes: any RoutesBuilder) throws {
        routes.get("status-code-keys", use: keys)
        routes.get("status-code-revocations", use: revocations)
    }

    @Sendable func keys(req: Request) async throws -> Response {
        try licenceDocumentResponse(req.application.statusCodeKeys.published, maxAge: Self.keysMaxAge)
    }

    @Sendable func revocations(req: Request) async throws -> Response {
        let (token, payload) = try await StatusCodes.revocationList(
            keys: req.application.statusCodeKeys, db: req.db, now: req.now)
        let dto = StatusRevocationsDTO(
            list: token, issuedAt: Date(timeIntervalSince1970: TimeInterval(payload.iat)),
            expiresAt: Date(timeIntervalSince1970: TimeInterval(payload.exp)), count: payload.revoked.count)
        let response = try await dto.encodeResponse(for: req)
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=\(Self.listMaxAge)")
        return response
    }
}
