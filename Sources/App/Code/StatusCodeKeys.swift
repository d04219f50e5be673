import CityDomain
import Foundation
import JWTKit
import Vapor

/// The claims of a personal status code, and nothing else: a per-code pseudonym, the category and the validity.
/// Never a name, an identity number, a fact, a place or a trip (``StatusCodePrivacyTests``).
struct StatusCodePayload: JWTPayload, Equatable {
    /// A per-code pseudonym: 16 random bytes, base64url (22 characters); also the code's revocation id.
    var sub: String
    /// The status category's code (`green`, `yellow`, `red` in the default rules).
    var st: String
    /// Issued at, seconds since 1970 (RFC 7519 NumericDate).
    var iat: Int64
    /// Expires at, seconds since 1970.
    var exp: Int64

    /// Time claims are judged by ``CityDomain/StatusCodeCheck`` with the checkpoint's clock, not here.
    func verify(using algorithm: some JWTAlgorithm) async throws {}

    var claims: StatusCodeCheck.Claims {
        StatusCodeCheck.Claims(subject: sub, category: st, issuedAt: iat, expiresAt: exp)
    }
}

/// The signed revocation list: the ids of codes revoked and not yet expired.
struct StatusRevocationPayload: JWTPayload, Equatable {
    var iss: String
    var iat: Int64
    /// Until when a checkpoint may rely on this list; after it the list is stale (still used, flagged).
    var exp: Int64
    var revoked: [String]

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// The status-code issuer's keys (CityNet issue #16 §2).
///
/// Format: a compact JWS (RFC 7515) signed with EdDSA over Ed25519 (RFC 8037) through vapor/jwt-kit 5, rather than
/// the EU DCC's COSE_Sign1/CBOR/Base45: no CBOR library resolves on our build machines and we take a maintained
/// library before hand-written encoding; a JWS is verified by any JOSE library a checkpoint vendor already has;
/// and the code is short (about 250 characters, a version 10–11 QR at level M in byte mode) since it carries four
/// claims only. The keys are a ``LicenceKeyRing`` of their own (`CITYNET_STATUS_CODE_KEYS` /
/// `CITYNET_STATUS_CODE_KEY_FILE`, else `<database>.status-code-keys`), the same shape and rotation as the
/// licence keys: append a key, restart; the last signs, all verify; the public halves are published at
/// `GET /api/v1/status-code-keys`.
struct StatusCodeKeys: Sendable {
    let ring: LicenceKeyRing
    let collection: JWTKeyCollection

    /// How long a code is valid, in seconds: five minutes, so a screenshot soon stops passing; the page fetches a
    /// new code a minute before.
    static let codeLifetime: Int64 = 300
    /// How long a checkpoint may rely on one revocation list, in seconds.
    static let listLifetime: Int64 = 300

    init(ring: LicenceKeyRing) async throws {
        self.ring = ring
        collection = try await Self.collection(ring)
    }

    static func setting(_ config: AppConfig) -> LicenceKeyRing.Setting {
        LicenceKeyRing.Setting(
            textVariable: "CITYNET_STATUS_CODE_KEYS", text: config.statusCodeKeys,
            fileVariable: "CITYNET_STATUS_CODE_KEY_FILE", file: config.statusCodeKeyFile,
            fileSuffix: ".status-code-keys", purpose: "status code", newKeyCommand: "citynet code new-key k1")
    }

    /// The JWT key collection of `ring`: private keys where the ring has them (signing), public keys otherwise.
    static func collection(_ ring: LicenceKeyRing) async throws -> JWTKeyCollection {
        let keys = JWTKeyCollection()
        for entry in ring.entries {
            if let key = entry.privateKey {
                await keys.add(eddsa: EdDSA.PrivateKey(backing: key), kid: JWKIdentifier(string: entry.id))
            } else {
                await keys.add(eddsa: EdDSA.PublicKey(backing: entry.publicKey), kid: JWKIdentifier(string: entry.id))
            }
        }
        return keys
    }

    /// Signs `payload` with the current key.
    func sign(_ payload: some JWTPayload) async throws -> String {
        // jwt-kit's serializer adds `"typ": "JWT"`: the header is alg, kid and typ.
        try await collection.sign(payload, kid: JWKIdentifier(string: ring.current.id))
    }

    /// The public halves, as published.
    var published: LicenceKeySet {
        var set = ring.published
        set.issuer = "citynet-status-code"
        return set
    }

    /// A new per-code pseudonym: 16 bytes from the system's CSPRNG, base64url without padding.
    static func newPseudonym() -> String {
        Base64URL.encode([UInt8].random(count: 16))
    }
}

extension Application {
    private struct StatusCodeKeysKey: StorageKey { typealias Value = StatusCodeKeys }

    /// The status-code keys; tests replace them to rotate.
    var statusCodeKeys: StatusCodeKeys {
        get { storage.required(StatusCodeKeysKey.self) }
        set { storage[StatusCodeKeysKey.self] = newValue }
    }

    /// Loads the status-code key ring (``StatusCodeKeys/setting(_:)``).
    func installStatusCodes(config: AppConfig) async throws {
        statusCodeKeys = try await StatusCodeKeys(
            ring: try LicenceKeyRing.load(StatusCodeKeys.setting(config), storage: config.storage, logger: logger))
    }
}
