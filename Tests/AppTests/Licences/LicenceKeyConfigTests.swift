import CityDomain
import Foundation
import Testing
import Vapor

@testable import App

/// Where the licence keys come from (issue #14 §1): explicit on PostgreSQL, a key file beside an SQLite file, and a
/// keys text whose every bad line is named.
@Suite struct LicenceKeyConfigTests {
    let logger = Logger(label: "test")

    @Test func postgresWithoutKeysRefusesToStart() throws {
        let config = AppConfig(storage: .postgres(url: "postgres://localhost/x", searchPath: nil))
        #expect(throws: ConfigError.self) { try LicenceKeyRing.load(config: config, logger: logger) }
        var keyed = config
        keyed.licenceKeys = TestApp.licenceKeys
        #expect(try LicenceKeyRing.load(config: keyed, logger: logger).current.id == "t1")
    }

    @Test func anSQLiteFileGetsAKeyFileBesideItOnceAndKeepsIt() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let database = folder.appendingPathComponent("city.sqlite").path
        let config = AppConfig(storage: .sqliteFile(database))
        let first = try LicenceKeyRing.load(config: config, logger: logger)
        let second = try LicenceKeyRing.load(config: config, logger: logger)
        #expect(first.published == second.published)
        let attributes = try FileManager.default.attributesOfItem(atPath: database + ".licence-keys")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        // Rotation: a new key appended becomes current; the old one still verifies.
        let line = LicenceKeyRing.newKeyLine(id: "k2")
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: database + ".licence-keys"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((line + "\n").utf8))
        try handle.close()
        let rotated = try LicenceKeyRing.load(config: config, logger: logger)
        #expect(rotated.published.keys.map(\.keyID) == ["k1", "k2"] && rotated.current.id == "k2")
        let message: [UInt8] = Array("x".utf8)
        let (_, signature) = try first.sign(message)
        #expect(rotated.isValid(signature: signature, message: message, keyID: "k1") == true)
    }

    @Test func keysTextNamesEveryBadEntryAndAllowsSemicolonsInComments() throws {
        let good = LicenceKeyRing.newKeyLine(id: "a")
        let ring = try LicenceKeyRing.parse("# keys; the last signs\n\(good) # first; kept\n", source: "text")
        #expect(ring.entries.map(\.id) == ["a"])
        #expect(
            try LicenceKeyRing.parse(good + ";" + LicenceKeyRing.newKeyLine(id: "b"), source: "t").current.id == "b")
        #expect(throws: ConfigError.invalid(["t entry 2 is not 'KEY_ID BASE64_32_BYTES'", "t names key a twice"])) {
            try LicenceKeyRing.parse(good + "\nb c2hvcnQ=\n" + good, source: "t")
        }
        #expect(throws: ConfigError.invalid(["t holds no licence key"])) {
            try LicenceKeyRing.parse("# none", source: "t")
        }
    }

    @Test func newKeyAndUsageExitCodes() {
        var printed: [String] = []
        #expect(
            LicenceCommand.runIfNamed(["licence", "new-key", "k3"], environment: [:], print: { printed.append($0) })
                == 0)
        #expect(printed.first?.hasPrefix("k3 ") == true)
        #expect(LicenceCommand.runIfNamed(["licence", "new-key", "bad id"], environment: [:], print: { _ in }) == 1)
        #expect(LicenceCommand.runIfNamed(["licence", "verify"], environment: [:], print: { _ in }) == 1)
        #expect(LicenceCommand.runIfNamed(["serve"], environment: [:], print: { _ in }) == nil)
        // No keys anywhere: a usage error, not a verdict.
        #expect(
            LicenceCommand.runIfNamed(
                ["licence", "verify", "CNL1:", "--keys", "/nonexistent.json"], environment: [:], print: { _ in }) == 1)
    }
}
