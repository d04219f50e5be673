import CityDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// One form fans out to the bundle's departments: legs that wait for nothing are submitted at once, a leg fed by
/// another's licence waits and is released — prefilled, the licence attached — in the approval that issues it.
/// Runs on PostgreSQL with `TEST_DATABASE_URL`.
@Suite struct BundleFanOutTests {
    @Test func newbornFansOutAndReleasesEachWaitingLegOnceWithItsLicence() async throws {
        try await TestApp.withApp { app, _ in
            let citizen = try await GovFixtures.citizen(app)
            let started = try #require(
                try await BundleFixtures.start(app, citizen: citizen, body: BundleFixtures.newborn()))
            #expect(started.state == "in_progress")
            #expect(started.dueAt != nil)
            #expect(started.fields["child_name"] == "张小宝")
            #expect(
                BundleFixtures.states(started) == [
                    "SH-WJW-0001": "submitted", "SH-YB-0002": "submitted", "SH-WJW-0002": "waiting",
                    "SH-GA-0001": "waiting", "SH-RS-0001": "waiting", "SH-YB-0001": "waiting", "SH-YB-0003": "waiting",
                ])
            let desks = BundleFixtures.Desks(app)
            // The birth certificate's approval releases the vaccination certificate and the household registration.
            try await desks.approve(try BundleFixtures.leg(started, "SH-WJW-0001"))
            var now = try await BundleFixtures.read(app, citizen: citizen, id: started.id)
            #expect(BundleFixtures.states(now)["SH-WJW-0002"] == "submitted")
            #expect(BundleFixtures.states(now)["SH-GA-0001"] == "submitted")
            #expect(BundleFixtures.states(now)["SH-RS-0001"] == "waiting")
            let birth = try #require(
                try await GovLicence.query(on: app.db).filter(\.$kind == "birth_medical_certificate").first())
            // The licence the first leg issued verifies offline with the command, the published keys and status list.
            let keys = try await LicenceFixtures.download(app, "/api/v1/licence-keys")
            let list = try await LicenceFixtures.download(app, "/api/v1/licence-status-list")
            let offline = LicenceFixtures.cli([birth.payload, "--keys", keys.path, "--status-list", list.path])
            #expect(offline.status == 0 && offline.output.contains("outcome: valid"), "\(offline.output)")
            let registration = try #require(try BundleFixtures.leg(now, "SH-GA-0001").applicationId)
            let attached = try await GovMaterial.query(on: app.db).filter(\.$applicationID == registration)
                .filter(\.$materialCode == "birth_certificate").first()
            #expect(attached?.licenceID == birth.id)
            #expect(attached?.consentedAt != nil)
            // The pages name the attached licence by kind and number; e-licence materials with none attached say so.
            let item = app.govServices.catalogue.items.first { $0.code == "SH-GA-0001" }
            for language in [DisplayLanguage.zh, .en] {
                let listed = try await GovMaterialFiles.list(
                    registration, item: item, kinds: app.govServices.catalogue.licenceKinds, base: "/x",
                    language: language, on: app.db)
                let certificate = try #require(listed.first { $0.detail.contains(birth.number) })
                let kindName = language == .zh ? "出生医学证明" : "Medical Certificate of Birth"
                #expect(certificate.detail.hasPrefix(kindName), "\(certificate.detail)")
                #expect(!listed.contains { $0.detail.contains("birth_medical_certificate") }, "\(listed.map(\.detail))")
                let none = language == .zh ? "未附证照" : "No licence attached"
                #expect(listed.contains { $0.detail.hasSuffix(none) }, "\(listed.map(\.detail))")
            }
            // The caseworker's page says the application is a leg of the bundle, and the release note is in the
            // page's language (stored as stable English for the API).
            let registrationLeg = try BundleFixtures.leg(now, "SH-GA-0001")
            let worker = try await ConsoleTests.signIn(
                app, username: "pd.bundle.police", unit: registrationLeg.unitCode, role: .caseworker)
            for (query, expected) in [
                ("", ["所属一件事", "出生一件事 · 第 ", " 项，共 7 项", "出生一件事：前序事项「"]),
                ("?lang=en", ["Part of bundle", " of 7", ": submitted when "]),
            ] {
                try await GovPages.send(
                    app, .GET, "/console/gov/applications/\(registration)\(query)", cookie: worker
                ) { res in
                    #expect(res.status == .ok)
                    for text in expected { #expect(res.body.string.contains(text), "\(text)") }
                    #expect(!res.body.string.contains("released by the approval"))
                }
            }
            // The registration's shared upload came from the one form.
            let declaration = try await GovMaterial.query(on: app.db).filter(\.$applicationID == registration)
                .filter(\.$materialCode == "declaration").first()
            #expect(declaration?.byteCount ?? 0 > 0)
            // The household registration's approval releases the three legs that need the register.
            try await desks.approve(try BundleFixtures.leg(now, "SH-GA-0001"))
            now = try await BundleFixtures.read(app, citizen: citizen, id: started.id)
            for item in ["SH-RS-0001", "SH-YB-0001", "SH-YB-0003"] {
                #expect(BundleFixtures.states(now)[item] == "submitted", "\(item)")
            }
            let register = try #require(
                try await GovLicence.query(on: app.db).filter(\.$kind == "household_register").first())
            let insurance = try #require(try BundleFixtures.leg(now, "SH-YB-0001").applicationId)
            let licences = try await GovMaterial.query(on: app.db).filter(\.$applicationID == insurance)
                .filter(\.$supply == "elicence").all()
            #expect(Set(licences.compactMap(\.licenceID)) == [birth.id!, register.id!])
            // Every leg once: seven applications, seven distinct legs, none doubled.
            #expect(try await GovApplication.query(on: app.db).count() == 7)
            #expect(Set(now.legs.compactMap(\.applicationId)).count == 7)
            for item in ["SH-WJW-0002", "SH-RS-0001", "SH-YB-0001", "SH-YB-0003", "SH-YB-0002"] {
                try await desks.approve(try BundleFixtures.leg(now, item))
            }
            now = try await BundleFixtures.read(app, citizen: citizen, id: started.id)
            #expect(now.state == "completed")
            #expect(try await GovApplication.query(on: app.db).count() == 7)
        }
    }

    @Test func aRefusedLegIsResubmittedAloneAndTheOthersKeepTheirState() async throws {
        try await TestApp.withApp { app, _ in
            let citizen = try await GovFixtures.citizen(app)
            let started = try #require(
                try await BundleFixtures.start(app, citizen: citizen, body: BundleFixtures.restaurant()))
            #expect(BundleFixtures.states(started)["SH-SC-0001"] == "submitted")
            let desks = BundleFixtures.Desks(app)
            try await desks.approve(try BundleFixtures.leg(started, "SH-SC-0001"))
            var now = try await BundleFixtures.read(app, citizen: citizen, id: started.id)
            try await desks.act(try BundleFixtures.leg(now, "SH-SC-0003"), ["refuse"], reason: "布局图缺少排烟设施")
            try await desks.act(try BundleFixtures.leg(now, "SH-LH-0001"), ["accept"])
            now = try await BundleFixtures.read(app, citizen: citizen, id: started.id)
            #expect(now.state == "action_needed")
            let refused = try BundleFixtures.leg(now, "SH-SC-0003")
            #expect(refused.reason == "布局图缺少排烟设施")
            let path = "/api/v1/me/bundle-applications/\(started.id)/legs"
            // Only the refused leg is resubmitted.
            try await GovFixtures.send(app, .POST, "\(path)/SH-LH-0001/resubmission", token: citizen, body: [:]) {
                res in
                #expect(res.status == .conflict)
                #expect(res.body.string.contains("leg SH-LH-0001 is accepted, not refused"))
            }
            try await GovFixtures.send(app, .POST, "\(path)/SH-XX-0000/resubmission", token: citizen, body: [:]) {
                res in
                #expect(res.status == .notFound)
            }
            try await GovFixtures.send(
                app, .POST, "\(path)/SH-SC-0003/resubmission", token: citizen,
                body: ["materials": [BundleFixtures.file("layout")]]
            ) { res in
                #expect(res.status == .ok, "\(res.body.string)")
                let dto = try res.content.decode(BundleApplicationDTO.self)
                let leg = try BundleFixtures.leg(dto, "SH-SC-0003")
                #expect(leg.state == "submitted")
                #expect(leg.attempt == 2)
                #expect(leg.applicationId != refused.applicationId)
                #expect(BundleFixtures.states(dto)["SH-LH-0001"] == "accepted")
                #expect(BundleFixtures.states(dto)["SH-SC-0001"] == "approved")
                #expect(dto.state == "in_progress")
            }
            // A second resubmission finds the leg no longer refused; the refused application stays as it was.
            try await GovFixtures.send(app, .POST, "\(path)/SH-SC-0003/resubmission", token: citizen, body: [:]) {
                res in
                #expect(res.status == .conflict)
            }
            let old = try #require(try await GovApplication.find(refused.applicationId, on: app.db))
            #expect(old.state == .refused)
            // The new application again carries the business licence the first leg issued.
            now = try await BundleFixtures.read(app, citizen: citizen, id: started.id)
            let fresh = try #require(try BundleFixtures.leg(now, "SH-SC-0003").applicationId)
            let licence = try await GovMaterial.query(on: app.db).filter(\.$applicationID == fresh)
                .filter(\.$materialCode == "business_licence").first()
            #expect(licence?.licenceID != nil)
        }
    }
}
