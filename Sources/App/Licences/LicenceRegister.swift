import CityDomain
import Fluent
import SQLKit
import Vapor

/// The issuer's register of licences: online checks, revocation and the status list built from it.
enum LicenceRegister {
    /// Checks `text` with `keys` and then against the register: unknown number → `unknown_licence`, revoked →
    /// `revoked` (as of now, not as of the last published list).
    static func check(_ text: String, keys: LicenceKeyRing, db: any Database, now: Date) async throws -> LicenceCheck {
        let seconds = Int64(now.timeIntervalSince1970.rounded(.down))
        let check = LicenceCheck.check(text, keys: keys, statusList: nil, now: seconds)
        guard let payload = check.payload, ![.malformed, .tampered, .unknownKey].contains(check.outcome) else {
            return check
        }
        let stored = try await GovLicence.query(on: db).filter(\.$number == payload.number).first()
        // The register's own payload must be the one presented: a second signed payload under a known number could
        // only come from a leaked key.
        let canonical = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let known = stored?.payload == canonical
        return check.withRegister(known: known, revoked: stored?.revokedAt != nil, now: seconds)
    }

    /// Revokes `licence` and writes a `licence_revoked` event on its application, in one transaction.
    /// - Throws: 409 when it is already revoked (also when another operator revoked it meanwhile).
    static func revoke(
        _ licence: GovLicence, by actor: String, unit: String, reason: String, gate: WriteGate, db: any Database,
        now: Date
    ) async throws {
        guard licence.revokedAt == nil else { throw Abort(.conflict, reason: "this licence is already revoked") }
        let id = try licence.requireID()
        let at = Timestamps.stored(now)
        let application = try await GovApplication.find(licence.applicationID, on: db)
        try await gate.exclusive { db in
            guard let sql = db as? any SQLDatabase else {
                throw Abort(.internalServerError, reason: "SQL database required")
            }
            // Claimed by a conditional UPDATE so that two revocations cannot both pass.
            let claimed = try await sql.update(GovLicence.schema).set("revoked_at", to: at).set("revoked_by", to: actor)
                .set("revoke_reason", to: reason).where("id", .equal, id).where("revoked_at", .is, SQLLiteral.null)
                .returning("id").all()
            guard !claimed.isEmpty else { throw Abort(.conflict, reason: "this licence is already revoked") }
            if let application {
                try await GovApplicationEvent(
                    applicationID: licence.applicationID, at: at, action: "licence_revoked", from: application.state,
                    to: application.state, actor: actor, unitCode: unit, note: "\(licence.number): \(reason)"
                ).create(on: db)
            }
        }
        licence.revokedAt = at
        licence.revokedBy = actor
        licence.revokeReason = reason
    }

    /// The status list as of now, signed with the current key: one bit per index handed out, set for revoked
    /// licences.
    static func statusDocument(keys: LicenceKeyRing, db: any Database, now: Date) async throws -> LicenceStatusDocument
    {
        let listID = LicenceIssuer.statusListID
        guard let sql = db as? any SQLDatabase else {
            throw Abort(.internalServerError, reason: "SQL database required")
        }
        struct Row: Decodable {
            var nextIndex: Int
            enum CodingKeys: String, CodingKey { case nextIndex = "next_index" }
        }
        let capacity =
            try await sql.select().column("next_index").from("gov_licence_status_lists").where("id", .equal, listID)
            .first(decoding: Row.self)?.nextIndex ?? 0
        let revoked = try await GovLicence.query(on: db).filter(\.$statusList == listID).filter(\.$revokedAt != nil)
            .all(\.$statusIndex)
        let list = LicenceStatusList(
            listID: listID, issuedAt: Int64(now.timeIntervalSince1970.rounded(.down)), keyID: keys.current.id,
            capacity: capacity, revoked: revoked.map { UInt32($0) })
        let (_, signature) = try keys.sign(list.signedMessage)
        return LicenceStatusDocument(list: list, signature: signature)
    }
}
