import CityDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// Once-only reuse with consent (issue #14 §2): the preview names the held licence, consent attaches it without an
/// upload, a department reads it only with consent, and every read or refused attempt is in the citizen's log with
/// who, which unit, what and for which application. Runs on PostgreSQL with `TEST_DATABASE_URL`.
@Suite struct LicenceReuseTests {
    struct Preview: Decodable {
        struct Material: Decodable {
            var code: String
            var licence: LicenceDTO?
        }
        var materials: [Material]
    }

    struct Log: Decodable { var entries: [CitizenController.AccessEntryDTO] }

    /// The children's hospitalisation fund (SH-YB-0003, Pudong medical insurance) needs the household register,
    /// which the approved newborn registration issued.
    static func fund(token: String, consents: [String]?) -> [String: Any] {
        var body: [String: Any] = [
            "item_code": "SH-YB-0003", "region_code": "310115", "client_token": token,
            "materials": [["code": "enrolment_form", "file_name": "表.pdf", "content_base64": GovFixtures.pdf]],
        ]
        if let consents { body["consents"] = consents }
        return body
    }

    static func submit(_ app: Application, citizen: String, body: [String: Any]) async throws -> UUID {
        var id: UUID?
        try await GovFixtures.send(app, .POST, "/api/v1/me/applications", token: citizen, body: body) { res in
            #expect(res.status == .created, "\(res.body.string)")
            id = try res.content.decode(LicenceFixtures.ApplicationID.self).id
        }
        return try #require(id)
    }

    static func log(_ app: Application, citizen: String) async throws -> [CitizenController.AccessEntryDTO] {
        var entries: [CitizenController.AccessEntryDTO] = []
        try await GovFixtures.send(app, .GET, "/api/v1/me/access-log", token: citizen) { res in
            entries = try res.content.decode(Log.self).entries
        }
        return entries
    }

    @Test func withConsentTheHeldLicenceIsAttachedAndEveryDepartmentReadIsLogged() async throws {
        try await TestApp.withApp { app, _ in
            let (citizen, _, _) = try await LicenceFixtures.approvedNewborn(app)
            let register = try #require(try await LicenceFixtures.licences(app, token: citizen).first)
            // The preview names the licence that would be used.
            try await GovFixtures.send(app, .GET, "/api/v1/me/licence-reuse?item_code=SH-YB-0003", token: citizen) {
                res in
                #expect(res.status == .ok)
                let preview = try res.content.decode(Preview.self)
                #expect(preview.materials.map(\.code) == ["household_register"])
                #expect(preview.materials.first?.licence?.number == register.number)
            }
            let id = try await Self.submit(
                app, citizen: citizen, body: Self.fund(token: "f1", consents: ["household_register"]))
            let row = try #require(
                try await GovMaterial.query(on: app.db).filter(\.$applicationID == id)
                    .filter(\.$materialCode == "household_register").first())
            #expect(row.licenceID != nil && row.consentedAt != nil && row.data == nil)
            // The handling department reads it.
            let worker = try await TestApp.login(
                app, username: "pd.yb.1", unit: "310115.medical_insurance", role: .caseworker)
            try await GovFixtures.send(
                app, .GET, "/api/v1/gov/applications/\(id)/licences/household_register", token: worker
            ) { res in
                #expect(res.status == .ok, "\(res.body.string)")
                let read = try res.content.decode(LicenceDTO.self)
                #expect(read.number == register.number)
                #expect(!res.body.string.contains(GovFixtures.identityNumber()))
            }
            // Shown to the citizen in one place: who, which unit, which data, which application, when.
            let read = try #require(
                try await Self.log(app, citizen: citizen).first { $0.action == "department_read_licence" })
            #expect(read.reader == "pd.yb.1" && read.readerUnit == "310115.medical_insurance")
            #expect(read.applicationId == id && read.target == register.number && read.outcome == "allowed")
            // Opening the application on the desk is a read of the applicant's data too.
            try await GovFixtures.send(app, .GET, "/api/v1/gov/applications/\(id)", token: worker) { res in
                #expect(res.status == .ok)
            }
            #expect(
                try await Self.log(app, citizen: citizen).contains {
                    $0.action == "department_read_application" && $0.reader == "pd.yb.1" && $0.applicationId == id
                })
        }
    }

    @Test func withoutConsentNothingIsReadAndTheAttemptIsLogged() async throws {
        try await TestApp.withApp { app, _ in
            let (citizen, _, _) = try await LicenceFixtures.approvedNewborn(app)
            let register = try #require(try await LicenceFixtures.licences(app, token: citizen).first)
            let id = try await Self.submit(app, citizen: citizen, body: Self.fund(token: "f2", consents: nil))
            let worker = try await TestApp.login(
                app, username: "pd.yb.1", unit: "310115.medical_insurance", role: .caseworker)
            let path = "/api/v1/gov/applications/\(id)/licences/household_register"
            try await GovFixtures.send(app, .GET, path, token: worker) { res in
                #expect(res.status == .forbidden)
                #expect(!res.body.string.contains(register.number) && !res.body.string.contains("张三"))
            }
            // Another department does not even see the application.
            let other = try await TestApp.login(app, username: "pd.police.9", unit: "310115.police", role: .caseworker)
            try await GovFixtures.send(app, .GET, path, token: other) { res in #expect(res.status == .notFound) }
            let refused = try #require(
                try await Self.log(app, citizen: citizen).first { $0.action == "department_read_licence" })
            #expect(refused.outcome == "refused" && refused.reader == "pd.yb.1" && refused.applicationId == id)
            #expect(refused.target == "household_register")
            // Consent to what is not held, or to an upload, is refused before anything is written.
            let before = try await GovApplication.query(on: app.db).count()
            try await GovFixtures.send(
                app, .POST, "/api/v1/me/applications", token: citizen,
                body: Self.fund(token: "f3", consents: ["enrolment_form"])
            ) { res in #expect(res.status == .badRequest) }
            var newborn = GovFixtures.newbornApplication(token: "f4")
            newborn["consents"] = ["birth_certificate"]
            try await GovFixtures.send(app, .POST, "/api/v1/me/applications", token: citizen, body: newborn) { res in
                #expect(res.status == .badRequest && res.body.string.contains("nothing to reuse"), "\(res.body.string)")
            }
            #expect(try await GovApplication.query(on: app.db).count() == before)
        }
    }

    @Test func aRevokedLicenceIsNotOfferedForReuse() async throws {
        try await TestApp.withApp { app, _ in
            let (citizen, worker, _) = try await LicenceFixtures.approvedNewborn(app)
            let register = try #require(try await LicenceFixtures.licences(app, token: citizen).first)
            try await GovFixtures.send(
                app, .POST, "/api/v1/gov/licences/\(register.number)/revocation", token: worker,
                body: ["reason": "错误"]
            ) { res in #expect(res.status == .ok) }
            try await GovFixtures.send(app, .GET, "/api/v1/me/licence-reuse?item_code=SH-YB-0003", token: citizen) {
                res in
                let preview = try res.content.decode(Preview.self)
                #expect(preview.materials.first?.licence == nil)
            }
            try await GovFixtures.send(
                app, .POST, "/api/v1/me/applications", token: citizen,
                body: Self.fund(token: "f5", consents: ["household_register"])
            ) { res in #expect(res.status == .badRequest) }
        }
    }
}
