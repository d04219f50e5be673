import CityDomain
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// `citynet code verify` offline, with the files a checkpoint downloaded.
@Suite struct CodeCommandTests {
    @Test func verifyReadsThePublishedKeysAndRevocationListWithoutAServer() async throws {
        try await TestApp.withApp { app, clock in
            let token = try await GovFixtures.citizen(app)
            let code = try await StatusFixtures.code(app, token: token)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("code-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let keys = folder.appendingPathComponent("keys.json").path
            let list = folder.appendingPathComponent("revocations.json").path
            try await app.testing().test(
                .GET, "/api/v1/status-code-keys",
                afterResponse: { res in try Data(buffer: res.body).write(to: URL(fileURLWithPath: keys)) })
            try await app.testing().test(
                .GET, "/api/v1/status-code-revocations",
                afterResponse: { res in try Data(buffer: res.body).write(to: URL(fileURLWithPath: list)) })
            func run(_ arguments: [String], at now: Date) async -> (Int32?, String) {
                var printed: [String] = []
                let status = await CodeCommand.runIfNamed(
                    ["code"] + arguments, now: now, readStandardInput: { code.code }, print: { printed.append($0) })
                return (status, printed.joined(separator: "\n"))
            }
            let valid = await run(["verify", code.code, "--keys", keys, "--revocations", list], at: clock.now)
            #expect(valid.0 == 0, "\(valid.1)")
            #expect(valid.1.contains("outcome: valid") && valid.1.contains("status: green"))
            #expect(await run(["verify", "-", "--keys", keys], at: clock.now).0 == 0)
            #expect(await run(["verify", "x.y", "--keys", keys], at: clock.now).0 == 2)
            #expect(await run(["verify", code.code + "A", "--keys", keys], at: clock.now).0 == 3)
            #expect(await run(["verify", code.code, "--keys", keys], at: clock.now.addingTimeInterval(400)).0 == 6)
            #expect(await run(["verify", code.code, "--keys", keys], at: clock.now.addingTimeInterval(4000)).0 == 9)
            #expect(await run(["verify", code.code], at: clock.now).0 == 1)
            // Revoked after a red fact: the new list says so.
            let keysByScope = try await StatusFixtures.sourceKeys(app)
            try await StatusFixtures.send(
                app, .govRegister, key: keysByScope[.govRegister],
                [StatusFixtures.fact("g-1", kind: "quarantine_order", value: "active", ago: 60, now: clock.now)])
            try await app.testing().test(
                .GET, "/api/v1/status-code-revocations",
                afterResponse: { res in try Data(buffer: res.body).write(to: URL(fileURLWithPath: list)) })
            let revoked = await run(["verify", code.code, "--keys", keys, "--revocations", list], at: clock.now)
            #expect(revoked.0 == 5, "\(revoked.1)")
            let line = await run(["new-key", "s2"], at: clock.now)
            #expect(line.0 == 0 && line.1.hasPrefix("s2 "))
            #expect(await CodeCommand.runIfNamed(["licence"]) == nil)
        }
    }
}
