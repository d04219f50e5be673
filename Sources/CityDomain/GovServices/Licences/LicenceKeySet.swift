import Foundation

/// Checks signatures with issuer public keys by key id. CityDomain has no cryptography; the app implements this
/// with swift-crypto's Ed25519 (`Curve25519.Signing`).
public protocol LicenceSignatureChecker: Sendable {
    /// Whether `signature` is a valid signature of `message` by the key `keyID`; nil when no key has that id.
    func isValid(signature: [UInt8], message: [UInt8], keyID: String) -> Bool?
}

/// The issuer's published public keys (`GET /api/v1/licence-keys`, the file `citynet licence verify --keys` reads):
/// every key that ever signed a licence still valid, the current one marked.
public struct LicenceKeySet: Codable, Hashable, Sendable {
    public struct Key: Codable, Hashable, Sendable {
        public var keyID: String
        /// Always `Ed25519`.
        public var algorithm: String
        /// The 32-byte raw public key (RFC 8032), base64url without padding.
        public var publicKey: String
        /// Whether new licences are signed with it.
        public var current: Bool

        public init(keyID: String, algorithm: String = "Ed25519", publicKey: String, current: Bool) {
            self.keyID = keyID
            self.algorithm = algorithm
            self.publicKey = publicKey
            self.current = current
        }

        enum CodingKeys: String, CodingKey {
            case keyID = "key_id"
            case algorithm
            case publicKey = "public_key"
            case current
        }
    }

    public var issuer: String
    public var keys: [Key]

    public init(issuer: String, keys: [Key]) {
        self.issuer = issuer
        self.keys = keys
    }
}
