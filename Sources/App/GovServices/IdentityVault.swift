import CityDomain
import Foundation
import Vapor

/// Keeps identity numbers out of a database dump: AES-256-GCM encryption for storage and HMAC-SHA256 for look-up,
/// both with keys derived (HKDF-SHA256, RFC 5869) from one 32-byte master key from the configuration
/// (`CITYNET_IDENTITY_KEY`, base64).
struct IdentityVault: Sendable {
    private let sealKey: SymmetricKey
    private let lookupKey: SymmetricKey

    /// - Parameter master: 32 bytes.
    init(master: Data) {
        let input = SymmetricKey(data: master)
        sealKey = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: input, info: Data("citynet identity seal".utf8), outputByteCount: 32)
        lookupKey = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: input, info: Data("citynet identity lookup".utf8), outputByteCount: 32)
    }

    /// The sealed number (nonce, cipher text and tag), base64.
    func seal(_ number: IdentityNumber) throws -> String {
        guard let combined = try AES.GCM.seal(Data(number.value.utf8), using: sealKey).combined else {
            throw Abort(.internalServerError, reason: "AES-GCM gave no combined box")
        }
        return combined.base64EncodedString()
    }

    /// The number inside a sealed box.
    func open(_ sealed: String) throws -> String {
        guard let data = Data(base64Encoded: sealed) else { throw Abort(.internalServerError, reason: "bad box") }
        return String(decoding: try AES.GCM.open(try AES.GCM.SealedBox(combined: data), using: sealKey), as: UTF8.self)
    }

    /// HMAC-SHA256 of the number, lower-case hex.
    func lookup(_ number: IdentityNumber) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(number.value.utf8), using: lookupKey)
            .map { String(format: "%02x", $0) }.joined()
    }

    /// The master key to use: the configured one; else for an SQLite file a key kept beside it
    /// (`<database>.identity-key`, created on first start, mode 0600); else a fresh random key for this process
    /// (in-memory databases; a PostgreSQL deployment must configure one, or its citizens cannot sign in after a
    /// restart).
    static func masterKey(config: AppConfig, logger: Logger) throws -> Data {
        if let key = config.identityKey { return key }
        if case .sqliteFile(let path) = config.storage {
            let keyPath = path + ".identity-key"
            if let text = try? String(contentsOfFile: keyPath, encoding: .utf8),
                let key = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), key.count == 32
            {
                return key
            }
            let key = Data([UInt8].random(count: 32))
            FileManager.default.createFile(
                atPath: keyPath, contents: Data(key.base64EncodedString().utf8), attributes: [.posixPermissions: 0o600])
            logger.notice("generated a development identity key", metadata: ["path": "\(keyPath)"])
            return key
        }
        if case .postgres = config.storage {
            logger.warning(
                "CITYNET_IDENTITY_KEY is not set: identity numbers are sealed with a key of this process only")
        }
        return Data([UInt8].random(count: 32))
    }
}
