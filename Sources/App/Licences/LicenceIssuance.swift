import CityDomain
import Fluent
import SQLKit
import Vapor

/// Issues e-licences: approving an application whose item ``ServiceItem/produces`` a licence kind writes the signed
/// licence in the approval's own transaction (``GovApplications/act(_:on:item:actor:actorUnit:reason:materials:deadlines:gate:now:access:licences:)``),
/// so an approval never lacks its licence and a licence never exists without its approval.
struct LicenceIssuer: Sendable {
    /// The status list new licences take their index in.
    static let statusListID = "citynet-1"
    let keys: LicenceKeyRing
    let kinds: [String: LicenceKind]

    /// What can be settled before the transaction: everything but the status index.
    struct Draft: Sendable {
        var number: String
        var kind: String
        var holderCitizenID: UUID
        var holderName: String
        var holderIDMasked: String
        var issuer: String
        var issuedAt: Date
        var validUntil: Date?
        var applicationID: UUID
    }

    /// The draft licence for approving `application`, or nil when its item produces none.
    /// - Throws: when the applicant's account is gone or the kind's type code makes no valid number.
    func draft(for application: GovApplication, item: ServiceItem, db: any Database, now: Date) async throws -> Draft? {
        guard let code = item.produces, let kind = kinds[code] else { return nil }
        guard let holder = try await Citizen.find(application.citizenID, on: db) else {
            throw Abort(.conflict, reason: "the applicant's account is gone; no licence can be issued")
        }
        // Whole seconds: the payload carries seconds, and the stored row must say the same.
        let issuedAt = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        let number = try LicenceNumber(
            typeCode: kind.typeCode, issuerCode: LicenceNumber.issuerCode(unitCode: application.unitCode),
            serial: Self.serial(issuedAt))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Timestamps.shanghai
        return Draft(
            number: number.description, kind: kind.code, holderCitizenID: application.citizenID,
            holderName: holder.name, holderIDMasked: holder.idMasked, issuer: application.unitCode, issuedAt: issuedAt,
            validUntil: kind.validityYears.flatMap { calendar.date(byAdding: .year, value: $0, to: issuedAt) },
            applicationID: try application.requireID())
    }

    /// A serial (流水号): the issue year (Asia/Shanghai) and 16 random characters of `0-9 A-Z`.
    static func serial(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Timestamps.shanghai
        let year = String(format: "%04d", calendar.component(.year, from: date))
        let symbols = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return year + String((0..<16).map { _ in symbols.randomElement()! })
    }

    /// Inside the approval's transaction: takes the next status index, signs and stores the licence.
    /// - Throws: database errors (the whole approval then rolls back).
    func issue(_ draft: Draft, on db: any Database) async throws -> GovLicence {
        guard let sql = db as? any SQLDatabase else {
            throw Abort(.internalServerError, reason: "SQL database required")
        }
        // One conditional UPDATE … RETURNING: the row lock makes concurrent approvals take distinct indexes.
        struct Next: Decodable {
            var nextIndex: Int
            enum CodingKeys: String, CodingKey { case nextIndex = "next_index" }
        }
        guard
            let next = try await sql.update("gov_licence_status_lists")
                .set(
                    SQLIdentifier("next_index"),
                    to: SQLBinaryExpression(SQLIdentifier("next_index"), .add, SQLLiteral.numeric("1"))
                )
                .where("id", .equal, Self.statusListID).returning("next_index").first(decoding: Next.self)
        else { throw Abort(.internalServerError, reason: "status list \(Self.statusListID) is missing") }
        let index = next.nextIndex - 1
        let payload = LicencePayload(
            number: draft.number, kind: draft.kind, holderName: draft.holderName, holderIdentity: draft.holderIDMasked,
            issuer: draft.issuer, keyID: keys.current.id, statusList: Self.statusListID, statusIndex: UInt32(index),
            issuedAt: Int64(draft.issuedAt.timeIntervalSince1970),
            validUntil: draft.validUntil.map { Int64($0.timeIntervalSince1970) })
        let bytes = try payload.encoded()
        let (keyID, signature) = try keys.sign(LicenceQR.signedMessage(bytes))
        let qr = try LicenceQR(payload: payload, signature: signature)
        let licence = GovLicence()
        licence.id = UUID()
        licence.number = draft.number
        licence.kind = draft.kind
        licence.applicationID = draft.applicationID
        licence.holderCitizenID = draft.holderCitizenID
        licence.holderName = draft.holderName
        licence.holderIDMasked = draft.holderIDMasked
        licence.issuerUnit = draft.issuer
        licence.issuedAt = draft.issuedAt
        licence.validUntil = draft.validUntil
        licence.keyID = keyID
        licence.statusList = Self.statusListID
        licence.statusIndex = index
        licence.payload = qr.text
        try await licence.create(on: db)
        return licence
    }
}
