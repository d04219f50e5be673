import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// Requests that /openapi.json forbids are refused with a 400, never a 500 or a silent success (each found by
/// schemathesis against a live server; `Tests/Schema/run_schemathesis.sh`).
@Suite struct RequestShapeTests {
    /// `POST /api/v1/cases/1/actions` with `Content-Type: multipart/form-data; boundary=b` and the body `--b--\r\n`
    /// (no part at all) was a 500 "syntax" from the multipart parser.
    @Test func aMultipartBodyWithoutPartsIs400() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await TestApp.login(
                app, username: "shape.city", unit: "310000.operations_centre", role: .cityOperator)
            let caseID = try await APIDescriptionTests.openCase(app, key: try await TestApp.apiKey(app))
            for body in ["--b--\r\n", "--b\r\ngarbage--b--\r\n", "--b\r\nContent-Disposition: form-data\r\n--b--\r\n"] {
                try await app.testing().test(
                    .POST, "/api/v1/cases/\(caseID)/actions", headers: .bearer(token),
                    beforeRequest: { req in
                        req.headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=b")
                        req.body = ByteBuffer(string: body)
                    }
                ) { res in
                    #expect(res.status == .badRequest, "\(body.debugDescription): \(res.body.string)")
                }
            }
        }
    }

    /// `GET /api/v1/cases?state=` names no state: a 400 like any other bad state (it listed nothing, with a 200).
    @Test func anEmptyStateFilterIs400() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await TestApp.login(
                app, username: "shape.city", unit: "310000.operations_centre", role: .cityOperator)
            for query in ["state=", "state=,", "state=dispatched,bogus"] {
                try await app.testing().test(.GET, "/api/v1/cases?\(query)", headers: .bearer(token)) { res in
                    #expect(res.status == .badRequest, "\(query)")
                    #expect(res.body.string.contains("state"))
                }
            }
            try await app.testing().test(.GET, "/api/v1/cases?state=dispatched,,closed", headers: .bearer(token)) {
                #expect($0.status == .ok)
            }
        }
    }

    /// `extension_days` outside 1…30 is bad input whatever the action: `{"action":"escalate","extension_days":0}` was
    /// carried out (a 200) though the document bounds the field.
    @Test func extensionDaysOutOfRangeIs400ForEveryAction() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await TestApp.login(
                app, username: "shape.city", unit: "310000.operations_centre", role: .cityOperator)
            let caseID = try await APIDescriptionTests.openCase(app, key: try await TestApp.apiKey(app))
            for days in [0, -3, CaseActions.maxExtensionDays + 1] {
                try await app.testing().test(
                    .POST, "/api/v1/cases/\(caseID)/actions", headers: .bearer(token),
                    beforeRequest: { req in
                        try req.content.encode(
                            CaseActionInput.ActionBody(action: "escalate", note: "催办", extensionDays: days))
                    }
                ) { res in
                    #expect(res.status == .badRequest, "\(days)")
                    #expect(res.body.string.contains("extension_days"))
                }
            }
            let record = try #require(try await Case.find(caseID, on: app.db))
            #expect(record.escalationLevel == 0)  // nothing was carried out
        }
    }
}
