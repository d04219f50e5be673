import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// A method a path does not support answers 405 with an `Allow` header (RFC 9110 §15.5.6), not 404; OPTIONS answers
/// 204 with the same header; a path nothing serves stays a 404.
@Suite struct MethodNotAllowedTests {
    @Test func unsupportedMethodsAre405WithAllow() async throws {
        try await TestApp.withApp { app, _ in
            let cases: [(HTTPMethod, String, String)] = [
                (.TRACE, "/health", "GET"),
                (.POST, "/metrics", "GET"),
                (.TRACE, "/api/v1/cases", "GET"),  // no session needed to learn the methods
                (.DELETE, "/api/v1/cases/12", "GET"),
                (.PUT, "/api/v1/sessions", "POST, DELETE"),
                (.PATCH, "/api/v1/categories/noise", "GET, PUT"),
                (.TRACE, "/console/cases", "GET"),
            ]
            for (method, path, allow) in cases {
                try await app.testing().test(method, path) { res in
                    #expect(res.status == .methodNotAllowed, "\(method) \(path)")
                    #expect(res.headers.first(name: .allow) == allow, "\(method) \(path)")
                    #expect(res.headers.contentType == .json)
                    #expect(res.body.string.contains("\(method) is not allowed"))
                }
            }
        }
    }

    @Test func open311AnswersInItsOwnErrorFormat() async throws {
        try await TestApp.withApp { app, _ in
            try await app.testing().test(.TRACE, "/open311/v2/discovery.json") { res in
                #expect(res.status == .methodNotAllowed)
                #expect(res.headers.first(name: .allow) == "GET")
                #expect(res.body.string.contains("\"code\" : 405"))
            }
            try await app.testing().test(.TRACE, "/open311/v2/requests.xml") { res in
                #expect(res.status == .methodNotAllowed)
                #expect(res.headers.first(name: .allow) == "GET, POST")
                #expect(res.body.string.contains("<code>405</code>"))
            }
            try await app.testing().test(.OPTIONS, "/open311/v2/requests.json") { res in
                #expect(res.status == .noContent)
                #expect(res.headers.first(name: .allow) == "GET, POST")
            }
        }
    }

    @Test func optionsListsTheMethods() async throws {
        try await TestApp.withApp { app, _ in
            try await app.testing().test(.OPTIONS, "/api/v1/cases/7/actions") { res in
                #expect(res.status == .noContent)
                #expect(res.headers.first(name: .allow) == "POST")
            }
        }
    }

    @Test func unknownPathsStay404() async throws {
        try await TestApp.withApp { app, _ in
            for (method, path) in [
                (HTTPMethod.TRACE, "/no/such/path"), (.GET, "/api/v1/nothing"), (.OPTIONS, "/api/v2/cases"),
                (.DELETE, "/open311/v2/nothing.json"),
            ] {
                try await app.testing().test(method, path) { res in
                    #expect(res.status == .notFound, "\(method) \(path)")
                    #expect(res.headers.first(name: .allow) == nil)
                }
            }
        }
    }

    /// Every path of /openapi.json answers TRACE with 405 and exactly the methods the document lists for it.
    @Test func allowMatchesTheDocumentForEveryPath() async throws {
        try await TestApp.withApp { app, _ in
            let doc = try await APIDescriptionTests.document(app)
            let byPath = Dictionary(grouping: doc.operations, by: \.path)
            for (path, operations) in byPath.sorted(by: { $0.key < $1.key }) {
                let concrete = OpenAPIDocument.concretePath(path)
                try await app.testing().test(.TRACE, concrete) { res in
                    #expect(res.status == .methodNotAllowed, "\(concrete)")
                    let allowed = Set(
                        (res.headers.first(name: .allow) ?? "").split(separator: ",").map {
                            $0.trimmingCharacters(in: .whitespaces)
                        })
                    #expect(allowed == Set(operations.map(\.method)), "\(concrete)")
                }
            }
        }
    }
}
