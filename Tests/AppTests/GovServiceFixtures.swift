import CityDomain
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// Helpers for the government-services suites: valid identity numbers, citizens signed in, tiny valid files.
enum GovFixtures {
    /// A valid GB 11643-1999 number for region 310115, born `birth` (YYYYMMDD), sequence `sequence` (3 digits).
    static func identityNumber(birth: String = "19900307", sequence: String = "123") -> String {
        let first17 = "310115" + birth + sequence
        return first17 + String(IdentityNumber.checkCharacter(for: first17))
    }

    /// A minimal PDF (header and end marker), base64.
    static let pdf = Data("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".utf8).base64EncodedString()

    /// Registers a citizen and signs in; returns the bearer token.
    static func citizen(
        _ app: Application, name: String = "张三", number: String = identityNumber(),
        password: String = "correct horse 1"
    ) async throws -> String {
        try await app.testing().test(
            .POST, "/api/v1/citizens",
            beforeRequest: { req in
                try req.content.encode([
                    "name": name, "identity_number": number, "phone": "13800138000", "password": password,
                ])
            },
            afterResponse: { res in #expect(res.status == .accepted, "\(res.body.string)") })
        var token = ""
        try await app.testing().test(
            .POST, "/api/v1/citizen-sessions",
            beforeRequest: { req in try req.content.encode(["identity_number": number, "password": password]) },
            afterResponse: { res in
                #expect(res.status == .ok)
                token = try res.content.decode(CitizenController.SessionDTO.self).token
            })
        return token
    }

    /// Signs a citizen in again (after a test moved the clock past the session's end).
    static func signIn(_ app: Application, number: String = identityNumber(), password: String = "correct horse 1")
        async throws -> String
    {
        var token = ""
        try await app.testing().test(
            .POST, "/api/v1/citizen-sessions",
            beforeRequest: { req in try req.content.encode(["identity_number": number, "password": password]) },
            afterResponse: { res in token = try res.content.decode(CitizenController.SessionDTO.self).token })
        return token
    }

    /// Signs an existing operator in again.
    static func operatorSignIn(_ app: Application, username: String, password: String = "correct horse 1")
        async throws -> String
    {
        var token = ""
        try await app.testing().test(
            .POST, "/api/v1/sessions",
            beforeRequest: { req in try req.content.encode(["username": username, "password": password]) },
            afterResponse: { res in token = try res.content.decode(SessionController.SessionDTO.self).token })
        return token
    }

    /// The JSON body of a newborn registration (SH-GA-0001) in Pudong with its one required upload.
    static func newbornApplication(token: String = "retry-1") -> [String: Any] {
        [
            "item_code": "SH-GA-0001", "region_code": "310115", "client_token": token,
            "materials": [["code": "declaration", "file_name": "申报表.pdf", "content_base64": pdf]],
        ]
    }

    static func json(_ object: [String: Any]) throws -> ByteBuffer {
        ByteBuffer(data: try JSONSerialization.data(withJSONObject: object))
    }

    /// Sends `object` as JSON with `token` as bearer.
    static func send(
        _ app: Application, _ method: HTTPMethod, _ path: String, token: String, body: [String: Any]? = nil,
        headers extra: HTTPHeaders = [:], _ check: (TestingHTTPResponse) async throws -> Void
    ) async throws {
        var headers = HTTPHeaders.bearer(token)
        headers.add(contentsOf: extra)
        if body != nil { headers.contentType = .json }
        try await app.testing().test(
            method, path, headers: headers, body: try body.map(json),
            afterResponse: { res in try await check(res) })
    }
}
