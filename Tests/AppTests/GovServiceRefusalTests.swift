import CityDomain
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import App

/// Refusals: another citizen's data (hostile), bad identity numbers, missing materials, disguised and oversized
/// files, double submission, rating too early; identity numbers never stored or answered in clear.
@Suite struct GovServiceRefusalTests {
    struct Created: Decodable { var id: UUID }

    @Test func anotherCitizensApplicationIsRefusedAlikeAndAudited() async throws {
        try await TestApp.withApp { app, _ in
            let alice = try await GovFixtures.citizen(app, name: "李四")
            let mallory = try await GovFixtures.citizen(
                app, name: "王五", number: GovFixtures.identityNumber(birth: "19850101", sequence: "456"))
            var id = UUID()
            try await GovFixtures.send(
                app, .POST, "/api/v1/me/applications", token: alice, body: GovFixtures.newbornApplication()
            ) { res in id = try res.content.decode(Created.self).id }
            let missing = UUID()
            for path in [
                "/api/v1/me/applications/\(id)", "/api/v1/me/applications/\(missing)",
            ] {
                try await GovFixtures.send(app, .GET, path, token: mallory) { res in
                    #expect(res.status == .notFound)
                    #expect(res.body.string.contains("no such application"))
                }
            }
            try await GovFixtures.send(
                app, .POST, "/api/v1/me/applications/\(id)/completion", token: mallory,
                body: ["materials": [["code": "declaration", "content_base64": GovFixtures.pdf]]]
            ) { res in #expect(res.status == .notFound) }
            try await GovFixtures.send(
                app, .POST, "/api/v1/me/applications/\(id)/rating", token: mallory, body: ["level": "dissatisfied"]
            ) { res in #expect(res.status == .notFound) }
            try await GovFixtures.send(app, .GET, "/api/v1/me/applications", token: mallory) { res in
                #expect(!res.body.string.contains(id.uuidString))
            }
            // Mallory's own access log shows the refused attempts; Alice's shows none of Mallory's.
            try await GovFixtures.send(app, .GET, "/api/v1/me/access-log", token: mallory) { res in
                struct Log: Decodable { var entries: [CitizenController.AccessEntryDTO] }
                let refused = try res.content.decode(Log.self).entries.filter { $0.outcome == "refused" }
                #expect(refused.count == 4)
                #expect(refused.contains { $0.target == id.uuidString && $0.action == "rate" })
            }
            // An operator's token is not a citizen's session, and the reverse.
            let worker = try await TestApp.login(app, username: "pd.police.9", unit: "310115.police", role: .caseworker)
            try await GovFixtures.send(app, .GET, "/api/v1/me/applications", token: worker) { res in
                #expect(res.status == .unauthorized)
            }
            try await GovFixtures.send(app, .GET, "/api/v1/gov/desk", token: alice) { res in
                #expect(res.status == .unauthorized)
            }
            // Another department's caseworker gets 404 for the application.
            let other = try await TestApp.login(app, username: "xh.police.1", unit: "310104.police", role: .caseworker)
            try await GovFixtures.send(app, .GET, "/api/v1/gov/applications/\(id)", token: other) { res in
                #expect(res.status == .notFound)
            }
        }
    }

    /// Found by schemathesis: an empty `department` or `life_event` was taken as no filter (200).
    @Test func catalogueFiltersOutsideTheirListsAreRefused() async throws {
        try await TestApp.withApp { app, _ in
            // q is at most 100 code points, as the document's maxLength counts: 60 letters with a combining mark each
            // are 60 characters but 120 code points (found by schemathesis).
            let marked = String(repeating: "e\u{301}", count: 60).addingPercentEncoding(
                withAllowedCharacters: .alphanumerics)!
            for query in ["department=", "life_event=", "department=mayor", "life_event=moon_landing", "q=\(marked)"] {
                try await app.testing().test(.GET, "/api/v1/service-items?\(query)") { res in
                    #expect(res.status == .badRequest, "\(query)")
                }
            }
            try await app.testing().test(.GET, "/api/v1/service-items/SH-XX-0000") { res in
                #expect(res.status == .notFound)
            }
        }
    }

    @Test func identityNumbersAreCheckedSealedAndMasked() async throws {
        try await TestApp.withApp { app, _ in
            let bad = "310115199003071230"  // check character should be something else
            let good = GovFixtures.identityNumber()
            #expect(bad != good)
            try await app.testing().test(
                .POST, "/api/v1/citizens",
                beforeRequest: { req in
                    try req.content.encode([
                        "name": "赵六", "identity_number": bad, "phone": "13800138000", "password": "correct horse 1",
                    ])
                },
                afterResponse: { res in
                    #expect(res.status == .badRequest)
                    #expect(res.body.string.contains("check character"))
                })
            _ = try await GovFixtures.citizen(app, number: good)
            try await app.testing().test(
                .POST, "/api/v1/citizens",
                beforeRequest: { req in
                    try req.content.encode([
                        "name": "张三", "identity_number": good, "phone": "13800138000", "password": "correct horse 1",
                    ])
                },
                afterResponse: { res in
                    // As for a new account: registration does not tell that the number has one.
                    #expect(res.status == .accepted)
                    #expect(!res.body.string.contains("exists"))
                })
            // No column of the citizens table holds the number in clear.
            let sql = try #require(app.db as? any SQLDatabase)
            struct Row: Decodable {
                var name: String
                var idCipher: String
                var idHmac: String
                var idMasked: String

                enum CodingKeys: String, CodingKey {
                    case name
                    case idCipher = "id_cipher"
                    case idHmac = "id_hmac"
                    case idMasked = "id_masked"
                }
            }
            let rows = try await sql.raw("SELECT name, id_cipher, id_hmac, id_masked FROM citizens").all(
                decoding: Row.self)
            #expect(rows.count == 1)
            for row in rows {
                for value in [row.name, row.idCipher, row.idHmac, row.idMasked] { #expect(!value.contains(good)) }
                #expect(try app.govServices.vault.open(row.idCipher) == good)
            }
            // Wrong password: 401; too many: 429 through the operators' throttle.
            for attempt in 0..<11 {
                try await app.testing().test(
                    .POST, "/api/v1/citizen-sessions",
                    beforeRequest: { req in
                        try req.content.encode(["identity_number": good, "password": "wrong one!!"])
                    },
                    afterResponse: { res in
                        #expect(res.status == (attempt < 10 ? .unauthorized : .tooManyRequests))
                    })
            }
        }
    }

    @Test func badApplicationsGetPreciseErrorsAndStoreNothing() async throws {
        try await TestApp.withApp { app, _ in
            let citizen = try await GovFixtures.citizen(app)
            func expect(_ body: [String: Any], _ status: HTTPStatus, _ text: String, headers: HTTPHeaders = [:])
                async throws
            {
                try await GovFixtures.send(
                    app, .POST, "/api/v1/me/applications", token: citizen, body: body, headers: headers
                ) { res in
                    #expect(res.status == status, "\(body["item_code"] ?? ""): \(res.body.string)")
                    #expect(res.body.string.contains(text), "\(res.body.string)")
                }
            }
            var body = GovFixtures.newbornApplication(token: "a")
            body["materials"] = [[String: Any]]()
            try await expect(body, .badRequest, "missing required materials: declaration")
            body = GovFixtures.newbornApplication(token: "b")
            body["materials"] = [
                [
                    "code": "declaration", "file_name": "x.pdf",
                    "content_base64": Data("MZ\u{90}binary".utf8).base64EncodedString(),
                ]
            ]
            try await expect(body, .unsupportedMediaType, "not a PDF, JPEG or PNG file by its content")
            body = GovFixtures.newbornApplication(token: "c")
            let big = Data("%PDF-1.4\n".utf8) + Data(count: UploadContent.maxBytes) + Data("%%EOF".utf8)
            body["materials"] = [["code": "declaration", "content_base64": big.base64EncodedString()]]
            try await expect(body, .payloadTooLarge, "the largest accepted is 2097152 bytes")
            body = GovFixtures.newbornApplication(token: "d")
            body["region_code"] = "310115105"
            try await expect(body, .badRequest, "is not a Shanghai district")
            body = GovFixtures.newbornApplication(token: "e")
            body["item_code"] = "SH-XX-9999"
            try await expect(body, .badRequest, "unknown item_code")
            body = GovFixtures.newbornApplication(token: "f")
            body["materials"] = [["code": "household_register", "content_base64": GovFixtures.pdf]]
            try await expect(body, .badRequest, "e-licence")
            body = GovFixtures.newbornApplication(token: "g")
            body.removeValue(forKey: "client_token")
            try await expect(body, .badRequest, "Idempotency-Key")
            // Double submission: the same key for a different item.
            try await expect(GovFixtures.newbornApplication(token: "h"), .created, "SH-GA-0001")
            body = GovFixtures.newbornApplication(token: "h")
            body["item_code"] = "SH-YB-0003"
            try await expect(body, .conflict, "already used")
            // The Idempotency-Key header counts like client_token.
            body = GovFixtures.newbornApplication(token: "")
            body.removeValue(forKey: "client_token")
            try await expect(body, .ok, "SH-GA-0001", headers: ["Idempotency-Key": "h"])
            #expect(try await GovApplication.query(on: app.db).count() == 1)
            #expect(try await GovMaterial.query(on: app.db).filter(\.$supply == "upload").count() == 1)
            // Rating before completion.
            let id = try #require(try await GovApplication.query(on: app.db).first()?.id)
            try await GovFixtures.send(
                app, .POST, "/api/v1/me/applications/\(id)/rating", token: citizen, body: ["level": "satisfied"]
            ) { res in
                #expect(res.status == .conflict)
                #expect(res.body.string.contains("rated once it is done"))
            }
            try await GovFixtures.send(
                app, .POST, "/api/v1/me/applications/\(id)/rating", token: citizen, body: ["level": "meh"]
            ) { res in #expect(res.status == .badRequest) }
        }
    }

    /// The API's reasons for the refusals the catalogue words (gov.*) are its English sentences, as they were
    /// before the catalogue held them; the Chinese is the console's.
    @Test func catalogueWordedRefusalsKeepTheirAPIReasons() {
        let expected: [(GovApplicationError, String)] = [
            (.unknownItem("x.y"), "unknown item_code 'x.y' (see GET /api/v1/service-items)"),
            (.unknownMaterial("m"), "material 'm' is not one this item asks for"),
            (.repeatedMaterial("m"), "material 'm' is sent twice"),
            (.notAnUpload("m"), "material 'm' is an e-licence the government already holds; send no file for it"),
            (.badBase64("m"), "material 'm': content_base64 is not valid base64"),
            (
                .tokenRequired,
                "send an Idempotency-Key header (or client_token) so that a retry never makes a second application"
            ),
            (.tokenReused, "this Idempotency-Key was already used for a different application"),
            (.notFound, "no such application"),
            (.tooManyFiles(40), "40 files sent; at most \(GovSubmission.maxFiles)"),
        ]
        for (error, reason) in expected {
            #expect(error.reason == reason)
            #expect(error.message?.text(.zh).isEmpty == false)
        }
    }
}
