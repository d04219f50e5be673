import CityDomain
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// Helpers for the e-licence suites: an approved application with its licence, the published documents, the
/// verification endpoint, and payloads with one bit flipped.
enum LicenceFixtures {
    struct ApplicationID: Decodable { var id: UUID }

    /// Submits the newborn household registration (SH-GA-0001, Pudong police) as a new citizen and approves it;
    /// returns the citizen's token, the operator's token and the application id.
    static func approvedNewborn(
        _ app: Application, number: String = GovFixtures.identityNumber(), worker: String = "pd.police.1"
    ) async throws -> (citizen: String, worker: String, application: UUID) {
        let citizen = try await GovFixtures.citizen(app, number: number)
        let operatorToken = try await TestApp.login(app, username: worker, unit: "310115.police", role: .caseworker)
        var id: UUID?
        try await GovFixtures.send(
            app, .POST, "/api/v1/me/applications", token: citizen, body: GovFixtures.newbornApplication()
        ) { res in
            #expect(res.status == .created, "\(res.body.string)")
            id = try res.content.decode(ApplicationID.self).id
        }
        let application = try #require(id)
        for action in ["accept", "review", "approve"] {
            try await act(app, action, on: application, token: operatorToken)
        }
        return (citizen, operatorToken, application)
    }

    static func act(_ app: Application, _ action: String, on id: UUID, token: String) async throws {
        try await GovFixtures.send(
            app, .POST, "/api/v1/gov/applications/\(id)/actions", token: token, body: ["action": action]
        ) { res in #expect(res.status == .ok, "\(action): \(res.body.string)") }
    }

    /// The citizen's licences.
    static func licences(_ app: Application, token: String) async throws -> [LicenceDTO] {
        var list: [LicenceDTO] = []
        try await GovFixtures.send(app, .GET, "/api/v1/me/licences", token: token) { res in
            #expect(res.status == .ok)
            list = try res.content.decode(LicenceListDTO.self).licences
        }
        return list
    }

    /// The answer of the verification endpoint.
    static func verify(_ app: Application, _ payload: String) async throws -> LicenceVerificationDTO {
        var result: LicenceVerificationDTO?
        try await app.testing().test(
            .POST, "/api/v1/licence-verifications",
            beforeRequest: { req in try req.content.encode(["payload": payload]) },
            afterResponse: { res in
                #expect(res.status == .ok, "\(res.body.string)")
                result = try res.content.decode(LicenceVerificationDTO.self)
            })
        return try #require(result)
    }

    /// The body of a public document (`/api/v1/licence-keys`, `/api/v1/licence-status-list`), written to a file
    /// for the offline command.
    static func download(_ app: Application, _ path: String) async throws -> URL {
        var data = Data()
        try await app.testing().test(.GET, path) { res in
            #expect(res.status == .ok)
            data = Data(buffer: res.body)
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("citynet-\(UUID().uuidString).json")
        try data.write(to: url)
        return url
    }

    /// Runs `citynet licence verify` offline; returns its exit status and output.
    static func cli(_ arguments: [String], now: Date = TestApp.friday) -> (status: Int32, output: String) {
        var printed: [String] = []
        let status = LicenceCommand.runIfNamed(
            ["licence", "verify"] + arguments, environment: [:], now: now, print: { printed.append($0) })
        return (status ?? -1, printed.joined(separator: "\n"))
    }

    /// `text` with bit `bit` of byte `byte` (counted from the start of payload ‖ signature) flipped.
    static func flipping(_ text: String, byte: Int, bit: Int = 0) throws -> String {
        var bytes = try Base45.decode(String(text.dropFirst(LicenceQR.prefix.count)))
        bytes[byte] ^= UInt8(1 << bit)
        return LicenceQR.prefix + Base45.encode(bytes)
    }
}
