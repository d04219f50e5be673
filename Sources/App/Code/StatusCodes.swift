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
    /// Issues a code for `subject`'s current decision (``StatusStore/current(of:db:gate:now:)``). The code is
    /// recorded in the same transaction that checks, under the decision's lock, that the decision is still the latest:
    /// a code is never signed from a decision that an evaluation at the same moment has just replaced (it would carry
    /// the old category and escape that evaluation's revocation); the issue then starts again from the new decision.
    /// - Returns: the compact JWS and its claims.
    /// - Throws: signing and database errors; ``StatusBusy`` after ``StatusStore/attempts`` replaced decisions in a
    ///   row. The code expires after ``StatusCodeKeys/codeLifetime`` or with its decision, whichever comes first.
    static func issue(subject: String, keys: StatusCodeKeys, db: any Database, gate: WriteGate, now: Date)
        async throws -> (token: String, payload: StatusCodePayload)
    {
        var attempt = 0
        while true {
            attempt += 1
            let decision = try await StatusStore.current(of: subject, db: db, gate: gate, now: now)
            let decisionID = try decision.requireID()
            let issuedAt = Int64(now.timeIntervalSince1970)
            // Never valid past the decision it shows: a status that lapses with no new fact revokes nothing.
            let payload = StatusCodePayload(
                sub: StatusCodeKeys.newPseudonym(), st: decision.category, iat: issuedAt,
                exp: min(issuedAt + StatusCodeKeys.codeLifetime, Int64(decision.expiresAt.timeIntervalSince1970)))
            let token = try await keys.sign(payload)
            let row = StatusCodeRow()
            row.id = payload.sub
            row.subject = subject
            row.category = payload.st
            row.keyID = keys.ring.current.id
            row.issuedAt = now
            row.expiresAt = Date(timeIntervalSince1970: TimeInterval(payload.exp))
            do {
                try await gate.exclusive { db in
                    try await StatusStore.lock(decisions: [decisionID], on: db)
                    guard try await StatusStore.latest(of: subject, db: db)?.id == decisionID else {
                        throw Superseded()
                    }
                    try await row.create(on: db)
                }
                return (token, payload)
            } catch is Superseded {
                guard attempt < StatusStore.attempts else { throw StatusBusy() }
            }
        }
    }

    /// The decision a code was being issued from was replaced before the code was recorded.
    struct Superseded: Error {}

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
