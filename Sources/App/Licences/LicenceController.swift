import CityDomain
import Fluent
import Vapor

/// E-licence routes: the published keys and status list and the verification endpoint (public: checkpoints have no
/// account), the holder's licences (`/me/licences`), and revocation by the issuing department.
struct LicenceController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("licence-keys", use: keys)
        routes.get("licence-status-list", use: statusList)
        routes.post("licence-verifications", use: verify)
        routes.grouped(CitizenAuthenticator(), CitizenGuard()).get("me", "licences", use: mine)
        routes.grouped(OperatorAuthenticator(), SessionGuard())
            .post("gov", "licences", ":code", "revocation", use: revoke)
    }

    /// `GET /api/v1/licence-keys`: every issuer public key, the current one marked (cache 1 h).
    @Sendable func keys(req: Request) async throws -> Response {
        try licenceDocumentResponse(req.govServices.licenceKeys.published, maxAge: 3600)
    }

    /// `GET /api/v1/licence-status-list`: the status list, signed now with the current key (cache 5 min).
    @Sendable func statusList(req: Request) async throws -> Response {
        try licenceDocumentResponse(
            try await LicenceRegister.statusDocument(keys: req.govServices.licenceKeys, db: req.db, now: req.now),
            maxAge: 300)
    }

    struct VerifyBody: Content {
        var payload: String
    }

    /// `POST /api/v1/licence-verifications`: checks a pasted payload against the keys and the register (revocation
    /// as of now, and whether the issuer knows the number).
    @Sendable func verify(req: Request) async throws -> LicenceVerificationDTO {
        let body = try req.decodeBody(VerifyBody.self)
        guard body.payload.unicodeScalars.count <= 4096 else {
            throw Abort(.badRequest, reason: "payload must be at most 4096 bytes")
        }
        let check = try await LicenceRegister.check(
            body.payload, keys: req.govServices.licenceKeys, db: req.db, now: req.now)
        return LicenceVerificationDTO(check, kinds: req.govServices.catalogue.licenceKinds)
    }

    /// `GET /api/v1/me/licences`: the citizen's licences, newest first, with their QR payloads.
    @Sendable func mine(req: Request) async throws -> LicenceListDTO {
        let scope = try req.auth.require(CitizenScope.self)
        let rows = try await GovLicence.query(on: req.db).filter(\.$holderCitizenID == scope.citizenID)
            .sort(\.$issuedAt, .descending).limit(500).all()
        let kinds = req.govServices.catalogue.licenceKinds
        return LicenceListDTO(licences: rows.map { LicenceDTO($0, kinds: kinds) })
    }

    struct RevokeBody: Content {
        var reason: String
    }

    /// `POST /api/v1/gov/licences/{number}/revocation`: the issuing department revokes a licence, with a reason;
    /// audited on the application's trail. Another unit's licence answers 404; revoking twice answers 409.
    @Sendable func revoke(req: Request) async throws -> LicenceDTO {
        let scope = try req.auth.require(OperatorScope.self)
        let body = try req.decodeBody(RevokeBody.self)
        let reason = body.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.unicodeScalars.count <= 1000 else {
            throw Abort(.badRequest, reason: "reason must be 1 to 1000 characters")
        }
        guard let number = req.parameters.get("code"),
            let licence = try await GovLicence.query(on: req.db).filter(\.$number == number).first(),
            licence.issuerUnit == scope.unitCode
        else { throw Abort(.notFound, reason: "no licence of your unit with this number") }
        try await LicenceRegister.revoke(
            licence, by: scope.username, unit: scope.unitCode, reason: reason, gate: req.application.writeGate,
            db: req.db, now: req.now)
        return LicenceDTO(licence, kinds: req.govServices.catalogue.licenceKinds)
    }
}
