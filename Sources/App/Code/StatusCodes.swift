import CityDomain
import Fluent
import Foundation

/// Issues status codes and the revocation list (CityNet issue #16 §2).
///
/// Subject: a fresh pseudonym per code (``StatusCodeKeys/newPseudonym()``), not one per citizen. A stable pseudonym
/// would let checkpoints that pool what they scan follow one person from place to place; a per-code one links
/// nothing beyond the five minutes a code lives. Revocation still works: the issuer keeps which codes it gave whom
/// (`status_codes`), revokes all of a person's live codes when their category changes, and lists their ids until
/// they expire — so the list holds at most the codes of the last five minutes.
enum StatusCodes {
    /// Issues a code for `subject`'s current decision.
    /// - Returns: the compact JWS and its claims.
    static func issue(
        subject: String, decision: StatusDecisionRow, keys: StatusCodeKeys, db: any Database, gate: WriteGate,
        now: Date
    ) async throws -> (token: String, payload: StatusCodePayload) {
        let issuedAt = Int64(now.timeIntervalSince1970)
        let payload = StatusCodePayload(
            sub: StatusCodeKeys.newPseudonym(), st: decision.category, iat: issuedAt,
            exp: issuedAt + StatusCodeKeys.codeLifetime)
        let token = try await keys.sign(payload)
        let row = StatusCodeRow()
        row.id = payload.sub
        row.subject = subject
        row.category = payload.st
        row.keyID = keys.ring.current.id
        row.issuedAt = now
        row.expiresAt = Date(timeIntervalSince1970: TimeInterval(payload.exp))
        try await gate.exclusive { db in try await row.create(on: db) }
        return (token, payload)
    }

    /// The signed revocation list at `now`: every revoked code not yet expired (with the clock skew and refresh
    /// grace a checkpoint allows, so a revoked code stays listed as long as any checkpoint could take it).
    static func revocationList(keys: StatusCodeKeys, db: any Database, now: Date) async throws
        -> (token: String, payload: StatusRevocationPayload)
    {
        let horizon = now.addingTimeInterval(-TimeInterval(StatusCodeCheck.clockSkew + StatusCodeCheck.refreshGrace))
        let ids = try await StatusCodeRow.query(on: db).filter(\.$revokedAt != nil).filter(\.$expiresAt > horizon)
            .sort(\.$id).all().compactMap(\.id)
        let issuedAt = Int64(now.timeIntervalSince1970)
        let payload = StatusRevocationPayload(
            iss: "citynet-status-code", iat: issuedAt, exp: issuedAt + StatusCodeKeys.listLifetime, revoked: ids)
        return (try await keys.sign(payload), payload)
    }
}
