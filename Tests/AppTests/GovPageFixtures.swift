import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// Helpers for the government-services pages: a citizen registered and signed in through the page, multipart
/// forms, and the session's CSRF token.
enum GovPages {
    /// A signed-in citizen of the pages: the `Cookie` header value and the forms' CSRF token.
    struct Citizen {
        var cookie: String
        var csrf: String
    }

    /// The pre-login CSRF cookie and token of the sign-in and registration forms.
    static func formToken(_ app: Application) async throws -> String {
        var token = ""
        try await app.testing().test(.GET, "/console/citizen/register") { res in
            #expect(res.status == .ok)
            token = res.headers.setCookie?[CitizenPageSession.loginCookie]?.string ?? ""
        }
        return token
    }

    /// Posts the registration form; returns the response's status, body and the session cookie it set.
    static func register(
        _ app: Application, name: String = "张三", number: String = GovFixtures.identityNumber(),
        phone: String = "13800138000", password: String = "correct horse 1"
    ) async throws -> (status: HTTPStatus, body: String, session: String?) {
        let token = try await formToken(app)
        var result: (HTTPStatus, String, String?) = (.ok, "", nil)
        try await app.testing().test(
            .POST, "/console/citizen/register",
            beforeRequest: { req in
                req.headers.cookie = [CitizenPageSession.loginCookie: .init(string: token)]
                try req.content.encode(
                    [
                        "name": name, "identity_number": number, "phone": phone, "password": password,
                        "_csrf": token,
                    ], as: .urlEncodedForm)
            },
            afterResponse: { res in
                result = (res.status, res.body.string, res.headers.setCookie?[CitizenPageSession.cookie]?.string)
            })
        return result
    }

    /// Posts the sign-in form; returns the session cookie it set, or nil.
    static func signIn(_ app: Application, number: String, password: String = "correct horse 1") async throws
        -> String?
    {
        let token = try await formToken(app)
        var session: String?
        try await app.testing().test(
            .POST, "/console/citizen/login",
            beforeRequest: { req in
                req.headers.cookie = [CitizenPageSession.loginCookie: .init(string: token)]
                try req.content.encode(
                    ["identity_number": number, "password": password, "_csrf": token], as: .urlEncodedForm)
            },
            afterResponse: { res in session = res.headers.setCookie?[CitizenPageSession.cookie]?.string })
        return session
    }

    /// Registers through the page, signs in, and returns the signed-in citizen.
    static func citizen(_ app: Application, number: String = GovFixtures.identityNumber(), name: String = "张三")
        async throws -> Citizen
    {
        let result = try await register(app, name: name, number: number)
        #expect(result.status == .ok && result.body.contains("id=\"form-notice\""), "\(result.body)")
        let session = try #require(try await signIn(app, number: number))
        return Citizen(
            cookie: "\(CitizenPageSession.cookie)=\(session)", csrf: ConsoleSession.csrfToken(forSession: session))
    }

    /// A multipart body of `fields` and `files` (field name → (file name, bytes)).
    static func multipart(_ fields: [String: String], files: [String: (String, Data)]) -> (HTTPHeaders, ByteBuffer) {
        let boundary = "citynet-test-\(UUID().uuidString)"
        var body = Data()
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            body.append(
                Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        for (name, file) in files.sorted(by: { $0.key < $1.key }) {
            body.append(
                Data(
                    ("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(file.0)\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n").utf8))
            body.append(file.1)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        return (headers, ByteBuffer(data: body))
    }

    /// A small valid PDF.
    static let pdf = Data(base64Encoded: GovFixtures.pdf)!

    /// Sends a request with `cookie`; `form` as URL-encoded fields, or `multipart` as built by ``multipart(_:files:)``.
    static func send(
        _ app: Application, _ method: HTTPMethod, _ path: String, cookie: String, form: [String: String]? = nil,
        multipart: (HTTPHeaders, ByteBuffer)? = nil, _ check: (TestingHTTPResponse) async throws -> Void
    ) async throws {
        try await app.testing().test(
            method, path,
            beforeRequest: { req in
                req.headers.replaceOrAdd(name: .cookie, value: cookie)
                if let form { try req.content.encode(form, as: .urlEncodedForm) }
                if let multipart {
                    req.headers.add(contentsOf: multipart.0)
                    req.body = multipart.1
                }
            },
            afterResponse: { res in try await check(res) })
    }

    /// Applies for the newborn registration (SH-GA-0001) in Pudong with `files`; returns the redirect's location.
    static func apply(
        _ app: Application, _ citizen: Citizen, token: String = "page-1",
        files: [String: (String, Data)] = ["m_declaration": ("申报表.pdf", pdf)], csrf: String? = nil
    ) async throws -> (location: String, flash: String) {
        var result = ("", "")
        try await send(
            app, .POST, "/console/citizen/services/SH-GA-0001/apply", cookie: citizen.cookie,
            multipart: multipart(
                ["_csrf": csrf ?? citizen.csrf, "client_token": token, "region_code": "310115"], files: files)
        ) { res in
            #expect(res.status == .seeOther, "\(res.status) \(res.body.string)")
            result = (res.headers.first(name: .location) ?? "", ConsoleTests.flash(res))
        }
        return result
    }
}
