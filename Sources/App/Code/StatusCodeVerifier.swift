import CityDomain
import Foundation
import JWTKit

/// Checks status codes offline, with the issuer's published keys and a cached revocation list only — no database,
/// no server (`citynet code verify`, the checkpoint page when its script cannot run, the tests). The order of the
/// answers is ``CityDomain/StatusCodeCheck``'s. The checkpoint page's script (`Resources/Public/status-check.js`)
/// is the same check in the browser, over WebCrypto; change both together (the browser story compares them).
struct StatusCodeVerifier: Sendable {
    let keyIDs: Set<String>
    let collection: JWTKeyCollection
    /// The verified revocation list's ids, or nil without a usable list.
    let revoked: Set<String>?
    let revocation: StatusCodeCheck.Revocation
    let listExpiresAt: Int64?

    /// - Parameters:
    ///   - keys: the published key set (`GET /api/v1/status-code-keys`).
    ///   - revocationList: the list's compact JWS, or nil; its own signature is checked before any id is read.
    /// - Throws: ``ConfigError`` for a key set with no valid Ed25519 key.
    init(keys: LicenceKeySet, revocationList: String?) async throws {
        let ring = try LicenceKeyRing(published: keys)
        keyIDs = Set(ring.entries.map(\.id))
        collection = try await StatusCodeKeys.collection(ring)
        guard let revocationList else {
            (revoked, revocation, listExpiresAt) = (nil, .noList, nil)
            return
        }
        let text = revocationList.trimmingCharacters(in: .whitespacesAndNewlines)
        if let header = try? DefaultJWTParser().parse(Array(text.utf8), as: StatusRevocationPayload.self).header,
            header.alg == "EdDSA", let kid = header.kid, keyIDs.contains(kid),
            let list = try? await collection.verify(text, as: StatusRevocationPayload.self)
        {
            (revoked, revocation, listExpiresAt) = (Set(list.revoked), .checked, list.exp)
        } else {
            (revoked, revocation, listExpiresAt) = (nil, .listInvalid, nil)
        }
    }

    /// Checks one code at `now` (seconds since 1970, the checkpoint's clock).
    func check(_ text: String, now: Int64) async -> StatusCodeCheck {
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { return .refused(.malformed, detail: "empty text") }
        guard token.count <= 2048 else { return .refused(.malformed, detail: "longer than 2048 characters") }
        let parsed: (header: JWTHeader, payload: StatusCodePayload)
        do {
            let parts = try DefaultJWTParser().parse(Array(token.utf8), as: StatusCodePayload.self)
            parsed = (parts.header, parts.payload)
        } catch {
            return .refused(.malformed, detail: Self.malformedDetail(token))
        }
        guard parsed.header.alg == "EdDSA" else {
            return .refused(.malformed, detail: "algorithm '\(parsed.header.alg ?? "none")' is not EdDSA")
        }
        guard let kid = parsed.header.kid else { return .refused(.malformed, detail: "no key id (kid)") }
        guard keyIDs.contains(kid) else { return .refused(.unknownKey, detail: kid, claims: parsed.payload.claims) }
        do {
            _ = try await collection.verify(token, as: StatusCodePayload.self)
        } catch {
            return .refused(.tampered, detail: "", claims: parsed.payload.claims)
        }
        var state = revocation
        if state == .checked, let until = listExpiresAt, now > until { state = .stale }
        return StatusCodeCheck.judged(
            parsed.payload.claims, revoked: revoked?.contains(parsed.payload.sub) ?? false, revocation: state,
            now: now)
    }

    /// Why a text is not a compact JWS with the code's claims.
    static func malformedDetail(_ token: String) -> String {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            return "\(parts.count) part(s) separated by '.', a compact JWS has 3 (cut short?)"
        }
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        if let bad = token.first(where: { $0 != "." && !alphabet.contains($0) }) {
            return "character '\(bad)' is not base64url"
        }
        return "the header or the claims are not the status code's JSON (sub, st, iat, exp)"
    }
}
