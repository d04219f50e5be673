import CityDomain
import Fluent
import Vapor

/// Once-only reuse with consent (issue #14 §2, as Singapore's Myinfo and the EU Once-Only Technical System's
/// preview do): the citizen sees which held licence would fill each e-licence material of an item, consents per
/// material, and the licence is attached without an upload. A department reads an attached licence only where the
/// citizen consented; every read, and every refused attempt, lands in the citizen's data-access log with the
/// operator, their unit and the application.
enum LicenceReuse {
    /// The citizen's licences that can fill `item`'s e-licence materials: per material code, the newest licence of
    /// its kind that is neither revoked nor expired at `now`.
    static func held(citizen: UUID, item: ServiceItem, db: any Database, now: Date) async throws -> [String: GovLicence]
    {
        let kinds = Set(item.materials.compactMap(\.elicence))
        guard !kinds.isEmpty else { return [:] }
        let rows = try await GovLicence.query(on: db).filter(\.$holderCitizenID == citizen).filter(\.$kind ~~ kinds)
            .filter(\.$revokedAt == nil).sort(\.$issuedAt, .descending).all()
            .filter { ($0.validUntil ?? .distantFuture) > now }
        var held: [String: GovLicence] = [:]
        for material in item.materials where material.supply == .elicence {
            if let licence = rows.first(where: { $0.kind == material.elicence }) { held[material.code] = licence }
        }
        return held
    }

    /// Why a consent was refused (nothing written).
    struct ConsentError: AbortError {
        let reason: String
        var status: HTTPResponseStatus { .badRequest }
    }

    /// The licences to attach for the material codes the citizen consented to.
    /// - Throws: ``ConsentError`` for a code that is not one of the item's e-licence materials, or whose licence
    ///   the citizen does not hold (the preview says which are held).
    static func attachments(consents: [String], item: ServiceItem, held: [String: GovLicence]) throws -> [String: UUID]
    {
        var attached: [String: UUID] = [:]
        for code in consents {
            guard let material = item.materials.first(where: { $0.code == code }), material.supply == .elicence else {
                throw ConsentError(reason: "consent '\(code)' is not an e-licence material of item \(item.code)")
            }
            guard let licence = held[code], let id = licence.id else {
                throw ConsentError(
                    reason:
                        "no valid \(material.elicence ?? "") licence is held for material '\(code)': nothing to reuse")
            }
            attached[code] = id
        }
        return attached
    }
}

/// `GET /api/v1/me/licence-reuse?item_code=…` (the citizen's preview) and
/// `GET /api/v1/gov/applications/{id}/licences/{code}` (a department reads an attached licence).
struct LicenceReuseController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(CitizenAuthenticator(), CitizenGuard()).get("me", "licence-reuse", use: preview)
        routes.grouped(OperatorAuthenticator(), SessionGuard())
            .get("gov", "applications", ":id", "licences", ":code", use: read)
    }

    struct MaterialDTO: Content {
        var code: String
        var nameZh: String
        var nameEn: String
        var elicence: String
        /// The licence that would be attached with consent; nil when none is held (a counter checks the original).
        var licence: LicenceDTO?

        enum CodingKeys: String, CodingKey {
            case code, elicence, licence
            case nameZh = "name_zh"
            case nameEn = "name_en"
        }
    }

    struct PreviewDTO: Content {
        var itemCode: String
        var materials: [MaterialDTO]

        enum CodingKeys: String, CodingKey {
            case materials
            case itemCode = "item_code"
        }
    }

    @Sendable func preview(req: Request) async throws -> PreviewDTO {
        let scope = try req.auth.require(CitizenScope.self)
        let code = req.query[String.self, at: "item_code"] ?? ""
        guard let item = req.govServices.catalogue[code] else { throw GovApplicationError.unknownItem(code) }
        let held = try await LicenceReuse.held(citizen: scope.citizenID, item: item, db: req.db, now: req.now)
        let kinds = req.govServices.catalogue.licenceKinds
        return PreviewDTO(
            itemCode: item.code,
            materials: item.materials.filter { $0.supply == .elicence }.map { material in
                MaterialDTO(
                    code: material.code, nameZh: material.nameZh, nameEn: material.nameEn,
                    elicence: material.elicence ?? "", licence: held[material.code].map { LicenceDTO($0, kinds: kinds) }
                )
            })
    }

    /// The licence attached to material `code` of an application the operator's unit handles (or supervises):
    /// 403 without the applicant's consent, and the read or the refusal is written to the applicant's log first.
    @Sendable func read(req: Request) async throws -> LicenceDTO {
        let scope = try req.auth.require(OperatorScope.self)
        let code = req.parameters.get("code") ?? ""
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
            let application = try await GovApplication.find(id, on: req.db),
            application.unitCode == scope.unitCode || application.escalatedTo == scope.unitCode
        else { throw GovApplicationError.notFound }
        let material = try await GovMaterial.query(on: req.db).filter(\.$applicationID == id)
            .filter(\.$materialCode == code).filter(\.$supply == "elicence").sort(\.$round, .descending).first()
        guard let material else {
            throw Abort(.notFound, reason: "no e-licence material '\(code)' in this application")
        }
        let entry = req.accessEntry(
            citizen: application.citizenID, action: "department_read_licence", target: code, allowed: false)
        entry.reader = scope.username
        entry.readerUnit = scope.unitCode
        entry.applicationID = id
        guard let licenceID = material.licenceID, material.consentedAt != nil,
            let licence = try await GovLicence.find(licenceID, on: req.db)
        else {
            try await req.application.writeGate.exclusive { db in try await entry.create(on: db) }
            throw Abort(.forbidden, reason: "the applicant did not consent to reuse a licence for '\(code)'")
        }
        entry.outcome = "allowed"
        entry.target = licence.number
        try await req.application.writeGate.exclusive { db in try await entry.create(on: db) }
        return LicenceDTO(licence, kinds: req.govServices.catalogue.licenceKinds)
    }
}
