import CityDomain
import Foundation
import Testing
import Vapor

@testable import App

/// The identity vault and the government-services settings.
@Suite struct GovSettingsTests {
    @Test func theVaultSealsOpensAndLooksUpWithKeysFromOneMaster() throws {
        let number = try IdentityNumber(GovFixtures.identityNumber())
        let vault = IdentityVault(master: Data(repeating: 7, count: 32))
        let sealed = try vault.seal(number)
        #expect(!sealed.contains(number.value))
        #expect(try vault.open(sealed) == number.value)
        // A fresh nonce each time; the look-up hash stays the same for one key and differs for another.
        #expect(try vault.seal(number) != sealed)
        #expect(vault.lookup(number) == IdentityVault(master: Data(repeating: 7, count: 32)).lookup(number))
        #expect(vault.lookup(number) != IdentityVault(master: Data(repeating: 8, count: 32)).lookup(number))
        #expect(throws: (any Error).self) { try IdentityVault(master: Data(repeating: 8, count: 32)).open(sealed) }
    }

    @Test func settingsAreReadAndChecked() throws {
        let key = Data(repeating: 1, count: 32).base64EncodedString()
        let config = try AppConfig.load(
            flags: .init(), environment: ["CITYNET_IDENTITY_KEY": key, "CITYNET_RECTIFICATION_DAYS": "7"])
        #expect(config.identityKey == Data(repeating: 1, count: 32))
        #expect(config.rectificationDays == 7)
        #expect(try AppConfig.load(flags: .init(), environment: [:]).rectificationDays == 5)
        for environment in [
            ["CITYNET_IDENTITY_KEY": "c2hvcnQ="], ["CITYNET_IDENTITY_KEY": "not base64!"],
            ["CITYNET_RECTIFICATION_DAYS": "0"], ["CITYNET_RECTIFICATION_DAYS": "five"],
        ] {
            #expect(throws: ConfigError.self, "\(environment)") {
                try AppConfig.load(flags: .init(), environment: environment)
            }
        }
    }

    @Test func anSQLiteFileKeepsItsKeyBesideIt() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("govkey-\(UUID()).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path + ".identity-key") }
        let config = AppConfig(storage: .sqliteFile(path))
        let logger = Logger(label: "test")
        let first = try IdentityVault.masterKey(config: config, logger: logger)
        #expect(first.count == 32)
        #expect(try IdentityVault.masterKey(config: config, logger: logger) == first)
        let attributes = try FileManager.default.attributesOfItem(atPath: path + ".identity-key")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test func postgresWithoutAKeyRefusesToStart() throws {
        let config = AppConfig(storage: .postgres(url: "postgres://127.0.0.1/x", searchPath: nil))
        #expect {
            _ = try IdentityVault.masterKey(config: config, logger: Logger(label: "test"))
        } throws: { error in
            "\(error)".contains("CITYNET_IDENTITY_KEY is required on PostgreSQL")
        }
        var keyed = config
        keyed.identityKey = Data(repeating: 3, count: 32)
        #expect(try IdentityVault.masterKey(config: keyed, logger: Logger(label: "test")) == keyed.identityKey)
    }

    @Test func aCorruptKeyFileIsAnErrorAndIsNeverReplaced() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("govkey-\(UUID()).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path + ".identity-key") }
        try Data("not a key".utf8).write(to: URL(fileURLWithPath: path + ".identity-key"))
        let config = AppConfig(storage: .sqliteFile(path))
        #expect {
            _ = try IdentityVault.masterKey(config: config, logger: Logger(label: "test"))
        } throws: { error in
            "\(error)".contains("is not 32 bytes in base64")
        }
        #expect(try String(contentsOfFile: path + ".identity-key", encoding: .utf8) == "not a key")
    }

    @Test func aKeyFileThatCannotBeWrittenIsAnError() throws {
        let path = "/nonexistent-\(UUID())/city.sqlite"
        #expect {
            _ = try IdentityVault.masterKey(
                config: AppConfig(storage: .sqliteFile(path)), logger: Logger(label: "test"))
        } throws: { error in
            "\(error)".contains("cannot be written")
        }
    }
}
