import CityDomain
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
            for days in [0, -3, CaseRules.maxExtensionDays + 1] {
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

    /// A multipart part header whose name has a byte of 0x80 or more trapped in MultipartKit's parser and ended the
    /// process: `POST /api/v1/sessions` with `Content-Type: multipart/form-data; boundary=b` and the body
    /// `--b\r\nContent-Disposition: form-data; name="username"\r\né: x\r\n\r\nabc\r\n--b--\r\n`, no sign-in needed.
    /// Every route that reads a form now answers 400.
    @Test func aNonASCIIPartHeaderNameIs400NotACrash() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await TestApp.login(
                app, username: "shape.city", unit: "310000.operations_centre", role: .cityOperator)
            let caseID = try await APIDescriptionTests.openCase(app, key: try await TestApp.apiKey(app))
            var body = ByteBuffer(string: "--b\r\nContent-Disposition: form-data; name=\"username\"\r\n")
            body.writeBytes([0xC3, 0xA9])
            body.writeString(": x\r\n\r\nabc\r\n--b--\r\n")
            let targets: [(String, HTTPHeaders)] = [
                ("/api/v1/sessions", [:]), ("/console/login", [:]),
                ("/api/v1/cases/\(caseID)/actions", .bearer(token)), ("/api/v1/hotline/reports", .bearer(token)),
                ("/api/v1/triage/1", .bearer(token)), ("/api/v1/cases/\(caseID)/reports/1/split", .bearer(token)),
            ]
            for (path, headers) in targets {
                try await app.testing().test(
                    .POST, path, headers: headers,
                    beforeRequest: { req in
                        req.headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=b")
                        req.body = body
                    }
                ) { res in
                    #expect(res.status == .badRequest, "\(path): \(res.status)")
                }
            }
        }
    }

    @Test func theMultipartGuardPassesWellFormedBodiesAndStaysLinear() throws {
        let good = ByteBuffer(
            string: "preamble\r\n--b\r\nContent-Disposition: form-data; name=\"note\"; filename=\"照片.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n\u{00FF}\u{00FE}--b\r\n\r\n--b\r\nX: é\r\n\r\nv\r\n--b--\r\n")
        try MultipartGuard.check(good, boundary: "b")
        var bad = ByteBuffer(string: "--b\r\nA: 1\r\nB")
        bad.writeBytes([0x80])
        bad.writeString(": 2\r\n\r\n--b--")
        #expect(throws: LocalizedRefusal(.badRequest, "body.part_header")) {
            try MultipartGuard.check(bad, boundary: "b")
        }
        #expect(throws: LocalizedRefusal(.badRequest, "body.boundary_too_long")) {
            try MultipartGuard.check(good, boundary: String(repeating: "b", count: 71))
        }
        // Every line a header line holding the next delimiter: each line is still read once.
        let hostile = ByteBuffer(string: String(repeating: "a:--b\r\n", count: 200_000))
        let started = ContinuousClock.now
        try MultipartGuard.check(hostile, boundary: "b")
        // Linear work takes well under a second; a quadratic walk of these 200,000 lines would take minutes (the
        // bound is loose so that a loaded machine does not fail it).
        #expect(ContinuousClock.now - started < .seconds(60))
    }
}
