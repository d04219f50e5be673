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

    /// The master key to use: the configured one; else for an SQLite file the key kept beside it
    /// (`<database>.identity-key`, base64, created with mode 0600 only when absent); else, for an in-memory
    /// database, a fresh random key for this process.
    /// - Throws: ``ConfigError/invalid(_:)`` on PostgreSQL without `CITYNET_IDENTITY_KEY` (a per-process key would
    ///   lock every citizen out after a restart), when the key file exists but cannot be read or is not 32 bytes in
    ///   base64 (never replaced: the sealed numbers need it), or when a new key file cannot be written.
    static func masterKey(config: AppConfig, logger: Logger) throws -> Data {
        if let key = config.identityKey { return key }
        switch config.storage {
        case .postgres:
            throw ConfigError.invalid([
                "CITYNET_IDENTITY_KEY is required on PostgreSQL (32 bytes in base64: openssl rand -base64 32), the "
                    + "same on every node: without it citizens could not sign in after a restart"
            ])
        case .sqliteFile(let path):
            return try fileKey(at: path + ".identity-key", logger: logger)
        case .sqliteMemory:
            return Data([UInt8].random(count: 32))
        }
    }

    /// The key in the file at `keyPath`, or a new one written there when no file exists.
    private static func fileKey(at keyPath: String, logger: Logger) throws -> Data {
        if FileManager.default.fileExists(atPath: keyPath) {
            let text: String
            do { text = try String(contentsOfFile: keyPath, encoding: .utf8) } catch {
                throw ConfigError.invalid(["identity key file \(keyPath) cannot be read: \(error)"])
            }
            guard let key = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), key.count == 32
            else {
                throw ConfigError.invalid([
                    "identity key file \(keyPath) is not 32 bytes in base64; restore it (the stored identity numbers "
                        + "are sealed with it) or set CITYNET_IDENTITY_KEY"
                ])
            }
            return key
        }
        let key = Data([UInt8].random(count: 32))
        guard
            FileManager.default.createFile(
                atPath: keyPath, contents: Data(key.base64EncodedString().utf8), attributes: [.posixPermissions: 0o600])
        else { throw ConfigError.invalid(["identity key file \(keyPath) cannot be written"]) }
        logger.notice("generated a development identity key", metadata: ["path": "\(keyPath)"])
        return key
    }
}
