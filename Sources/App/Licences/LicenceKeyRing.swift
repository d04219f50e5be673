import CityDomain
import Foundation
import Vapor

/// The issuer's e-licence keys: Ed25519 (RFC 8032) through swift-crypto's `Curve25519.Signing`.
///
/// Ed25519 rather than P-256: 32-byte public keys and 64-byte signatures keep the QR payload small, and its
/// signatures are deterministic (the same licence always gets the same bytes, so the canonical payload and its QR text
/// are stable), where swift-crypto's P-256 ECDSA signatures are randomised.
///
/// Several keys: each licence names the key that signed it (`key_id`); the last key configured is the current one
/// and signs new licences and status lists; earlier ones still verify. Rotation = append a new key
/// (`citynet licence new-key ID`) and restart.
struct LicenceKeyRing: LicenceSignatureChecker {
    struct Entry: Sendable {
        let id: String
        /// Nil for a verify-only ring built from published keys.
        let privateKey: Curve25519.Signing.PrivateKey?
        let publicKey: Curve25519.Signing.PublicKey
    }

    let entries: [Entry]
    private let byID: [String: Curve25519.Signing.PublicKey]

    /// - Precondition: `entries` is not empty and its ids are unique (``parse(_:source:)`` checks both).
    init(entries: [Entry]) {
        self.entries = entries
        byID = Dictionary(entries.map { ($0.id, $0.publicKey) }, uniquingKeysWith: { first, _ in first })
    }

    /// The key that signs: the last one.
    var current: Entry { entries[entries.count - 1] }

    /// Signs `message` with the current key.
    /// - Throws: when the ring has no private key (a verify-only ring) or the signing fails.
    func sign(_ message: [UInt8]) throws -> (keyID: String, signature: [UInt8]) {
        guard let key = current.privateKey else {
            throw Abort(.internalServerError, reason: "the licence key ring holds no private key")
        }
        return (current.id, Array(try key.signature(for: message)))
    }

    func isValid(signature: [UInt8], message: [UInt8], keyID: String) -> Bool? {
        guard let key = byID[keyID] else { return nil }
        return key.isValidSignature(signature, for: message)
    }

    /// The public halves, as published at `GET /api/v1/licence-keys`.
    var published: LicenceKeySet {
        LicenceKeySet(
            issuer: "citynet",
            keys: entries.map {
                LicenceKeySet.Key(
                    keyID: $0.id, publicKey: Base64URL.encode(Array($0.publicKey.rawRepresentation)),
                    current: $0.id == current.id)
            })
    }

    /// A verify-only ring from published keys (what `citynet licence verify --keys` reads).
    /// - Throws: ``ConfigError/invalid(_:)`` for an algorithm other than Ed25519 or a key that is not 32 bytes.
    init(published set: LicenceKeySet) throws {
        var entries: [Entry] = []
        for key in set.keys {
            guard key.algorithm == "Ed25519", let raw = Base64URL.decode(key.publicKey),
                let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: raw)
            else { throw ConfigError.invalid(["key \(key.keyID) is not an Ed25519 public key in base64url"]) }
            entries.append(Entry(id: key.keyID, privateKey: nil, publicKey: publicKey))
        }
        guard !entries.isEmpty else { throw ConfigError.invalid(["the key set holds no key"]) }
        self.init(entries: entries)
    }

    /// Parses keys text: one key a line (or separated by `;`), `KEY_ID BASE64`, the base64 being the 32-byte Ed25519
    /// private key (seed); `#` starts a comment. Key ids are 1–32 of `A-Z a-z 0-9 _ -`.
    /// - Parameter source: names the text in errors (`CITYNET_LICENCE_KEYS`, a file path).
    /// - Throws: ``ConfigError/invalid(_:)`` listing every bad line, a repeated id, or no key at all.
    static func parse(_ text: String, source: String, purpose: String = "licence") throws -> LicenceKeyRing {
        var entries: [Entry] = []
        var problems: [String] = []
        // Comments end at the line's end; `;` separates entries only outside them.
        let lines = text.split(separator: "\n").flatMap { line in
            (line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? "").split(
                separator: ";")
        }
        for (number, content) in lines.enumerated() {
            let words = content.split(whereSeparator: \.isWhitespace)
            if words.isEmpty { continue }
            guard words.count == 2, isKeyID(String(words[0])), let seed = Data(base64Encoded: String(words[1])),
                let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed), seed.count == 32
            else {
                problems.append("\(source) entry \(number + 1) is not 'KEY_ID BASE64_32_BYTES'")
                continue
            }
            if entries.contains(where: { $0.id == String(words[0]) }) {
                problems.append("\(source) names key \(words[0]) twice")
            }
            entries.append(Entry(id: String(words[0]), privateKey: key, publicKey: key.publicKey))
        }
        if entries.isEmpty, problems.isEmpty { problems.append("\(source) holds no \(purpose) key") }
        guard problems.isEmpty else { throw ConfigError.invalid(problems) }
        return LicenceKeyRing(entries: entries)
    }

    static func isKeyID(_ id: String) -> Bool {
        (1...32).contains(id.count)
            && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
    }

    /// The `new-key KEY_ID` verb of `citynet licence` and `citynet code`: prints ``newKeyLine(id:)`` for a valid id.
    /// - Parameters: `arguments` are those after the verb; `usage` is the command's own.
    /// - Returns: the exit status: 0, or 1 (with the usage and the id's rule) for a missing or invalid id.
    static func newKeyVerb(_ arguments: [String], usage: String, print output: (String) -> Void) -> Int32 {
        guard arguments.count == 1, isKeyID(arguments[0]) else {
            output(usage + "\nKEY_ID: 1–32 of A-Z a-z 0-9 _ -")
            return 1
        }
        output(newKeyLine(id: arguments[0]))
        return 0
    }

    /// A line of keys text holding a new random key with `id`.
    static func newKeyLine(id: String) -> String {
        "\(id) \(Curve25519.Signing.PrivateKey().rawRepresentation.base64EncodedString())"
    }

    /// Where a key ring is configured: the e-licence ring's settings, or another ring's of the same shape (the
    /// status-code ring, ``StatusCodeKeys``).
    struct Setting: Sendable {
        /// The variable holding keys text, and its value.
        var textVariable: String
        var text: String?
        /// The variable naming a keys file, and its value.
        var fileVariable: String
        var file: String?
        /// The suffix of the file beside an SQLite database (`.licence-keys`).
        var fileSuffix: String
        /// What the keys sign, singular (`licence`), used in messages.
        var purpose: String
        /// The command that prints a new key line.
        var newKeyCommand: String

        static func licence(_ config: AppConfig) -> Setting {
            Setting(
                textVariable: "CITYNET_LICENCE_KEYS", text: config.licenceKeys,
                fileVariable: "CITYNET_LICENCE_KEY_FILE", file: config.licenceKeyFile, fileSuffix: ".licence-keys",
                purpose: "licence", newKeyCommand: "citynet licence new-key k1")
        }
    }

    /// The ring to use: `CITYNET_LICENCE_KEYS`; else the file `CITYNET_LICENCE_KEY_FILE`; else for an SQLite file
    /// the file beside it (`<database>.licence-keys`, created with mode 0600 holding one key `k1` only when absent);
    /// else, for an in-memory database, one fresh key `k1` for this process.
    /// - Throws: ``ConfigError/invalid(_:)`` on PostgreSQL with neither setting (a per-node key would sign licences
    ///   other nodes cannot verify), or when the text or file is bad or cannot be read or written.
    static func load(config: AppConfig, logger: Logger) throws -> LicenceKeyRing {
        try load(.licence(config), storage: config.storage, logger: logger)
    }

    /// The ring `setting` names, found as ``load(config:logger:)`` describes for the licence ring.
    static func load(_ setting: Setting, storage: AppConfig.Storage, logger: Logger) throws -> LicenceKeyRing {
        if let text = setting.text { return try parse(text, source: setting.textVariable, purpose: setting.purpose) }
        if let path = setting.file {
            return try file(at: path, create: false, purpose: setting.purpose, logger: logger)
        }
        switch storage {
        case .postgres:
            throw ConfigError.invalid([
                "\(setting.textVariable) or \(setting.fileVariable) is required on PostgreSQL (lines 'KEY_ID BASE64': "
                    + "\(setting.newKeyCommand)), the same on every node: \(setting.purpose)s signed with a per-node key "
                    + "would not verify elsewhere"
            ])
        case .sqliteFile(let path):
            return try file(at: path + setting.fileSuffix, create: true, purpose: setting.purpose, logger: logger)
        case .sqliteMemory:
            return try parse(newKeyLine(id: "k1"), source: "generated key", purpose: setting.purpose)
        }
    }

    private static func file(at path: String, create: Bool, purpose: String, logger: Logger) throws -> LicenceKeyRing {
        if !FileManager.default.fileExists(atPath: path) {
            guard create else { throw ConfigError.invalid(["\(purpose) key file \(path) does not exist"]) }
            let text =
                "# CityNet \(purpose) keys: 'KEY_ID BASE64_SEED' a line; the last one signs.\n"
                + newKeyLine(id: "k1") + "\n"
            guard
                FileManager.default.createFile(
                    atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
            else { throw ConfigError.invalid(["\(purpose) key file \(path) cannot be written"]) }
            logger.notice("generated a development \(purpose) key", metadata: ["path": "\(path)"])
        }
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ConfigError.invalid(["\(purpose) key file \(path) cannot be read: \(error)"])
        }
        return try parse(text, source: path, purpose: purpose)
    }
}
