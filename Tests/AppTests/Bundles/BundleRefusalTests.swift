import CityDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// Bad input to a bundle start is refused with a precise message and writes nothing; a repeated start answers with
/// the bundle already made; another citizen's bundle is 404. Runs on PostgreSQL with `TEST_DATABASE_URL`.
@Suite struct BundleRefusalTests {
    static func refused(
        _ app: Application, citizen: String, _ body: [String: Any], key: String? = "r-1",
        status: HTTPStatus = .badRequest,
        _ message: String
    ) async throws {
        try await GovFixtures.send(
            app, .POST, "/api/v1/me/bundle-applications", token: citizen, body: body,
            headers: key.map { ["Idempotency-Key": $0] } ?? [:]
        ) { res in
            #expect(res.status == status, "\(res.body.string)")
            #expect(res.body.string.contains(message), "\(res.body.string)")
        }
    }

    @Test func badFormsAreRefusedPreciselyAndWriteNothing() async throws {
        try await TestApp.withApp { app, _ in
            let citizen = try await GovFixtures.citizen(app)
            var body = BundleFixtures.newborn()
            try await Self.refused(app, citizen: citizen, body, key: nil, "send an Idempotency-Key header")
            body["bundle_code"] = "wedding"
            try await Self.refused(app, citizen: citizen, body, "unknown bundle_code 'wedding'")
            body = BundleFixtures.newborn()
            body["fields"] = ["child_name": "张小宝", "birth_date": " "]
            try await Self.refused(
                app, citizen: citizen, body, "missing shared fields: child_sex, birth_date, birth_place, guardian_phone"
            )
            body["fields"] = ["pet_name": "x"]
            try await Self.refused(app, citizen: citizen, body, "'pet_name' is not a shared field of this bundle")
            body = BundleFixtures.newborn()
            body["consent"] = false
            try await Self.refused(app, citizen: citizen, body, "consent not given")
            body = BundleFixtures.newborn()
            body.removeValue(forKey: "region_code")
            try await Self.refused(app, citizen: citizen, body, "is handled by a district: give region_code")
            body = BundleFixtures.newborn()
            body["materials"] = [BundleFixtures.file("birth_record")]
            try await Self.refused(app, citizen: citizen, body, "missing required materials: SH-GA-0001/declaration")
            body["materials"] = [BundleFixtures.file("tenancy")]
            try await Self.refused(app, citizen: citizen, body, "material 'tenancy' is not an upload any item")
            body = BundleFixtures.newborn()
            body["consents"] = ["invoices"]
            try await Self.refused(app, citizen: citizen, body, "consent 'invoices' is not an e-licence material")
            body["consents"] = ["marriage_certificate"]
            try await Self.refused(
                app, citizen: citizen, body, "no valid licence is held for material 'marriage_certificate'")
            #expect(try await GovBundle.query(on: app.db).count() == 0)
            #expect(try await GovBundleLeg.query(on: app.db).count() == 0)
            #expect(try await GovApplication.query(on: app.db).count() == 0)
        }
    }

    @Test func aRepeatedStartAnswersWithTheSameBundleAndAnotherBodyIsAConflict() async throws {
        try await TestApp.withApp { app, _ in
            let citizen = try await GovFixtures.citizen(app)
            let first = try #require(
                try await BundleFixtures.start(app, citizen: citizen, body: BundleFixtures.newborn()))
            let again = try #require(
                try await BundleFixtures.start(app, citizen: citizen, body: BundleFixtures.newborn(), status: .ok))
            #expect(again.id == first.id)
            var other = BundleFixtures.newborn()
            other["fields"] = (other["fields"] as? [String: String] ?? [:]).merging(["child_name": "李小宝"]) { $1 }
            try await Self.refused(
                app, citizen: citizen, other, key: "b-1", status: .conflict,
                "already used for a bundle application with a different body")
            #expect(try await GovBundle.query(on: app.db).count() == 1)
            #expect(try await GovBundleLeg.query(on: app.db).count() == 7)
            #expect(try await GovApplication.query(on: app.db).count() == 2)
            // The client token in the body is an alternative to the header.
            try await GovFixtures.send(
                app, .POST, "/api/v1/me/bundle-applications", token: citizen, body: BundleFixtures.newborn(token: "b-1")
            ) { res in #expect(res.status == .ok, "\(res.body.string)") }
        }
    }

    @Test func anotherCitizenGets404AndTheAttemptIsLogged() async throws {
        try await TestApp.withApp { app, _ in
            let owner = try await GovFixtures.citizen(app)
            let started = try #require(
                try await BundleFixtures.start(app, citizen: owner, body: BundleFixtures.newborn()))
            let other = try await GovFixtures.citizen(
                app, name: "李四", number: GovFixtures.identityNumber(birth: "19851111", sequence: "456"))
            try await GovFixtures.send(app, .GET, "/api/v1/me/bundle-applications/\(started.id)", token: other) { res in
                #expect(res.status == .notFound)
            }
            try await GovFixtures.send(
                app, .POST, "/api/v1/me/bundle-applications/\(started.id)/legs/SH-YB-0002/resubmission", token: other,
                body: [:]
            ) { res in #expect(res.status == .notFound) }
            try await GovFixtures.send(app, .GET, "/api/v1/me/bundle-applications/not-a-uuid", token: owner) { res in
                #expect(res.status == .notFound)
            }
            let refusals = try await GovAccessEntry.query(on: app.db).filter(\.$action == "read_bundle")
                .filter(\.$outcome == "refused").count()
            #expect(refusals == 2)
        }
    }

    @Test func theCatalogueListsBundlesWithTheirComputedSavings() async throws {
        try await TestApp.withApp { app, _ in
            try await app.testing().test(.GET, "/api/v1/bundles") { res in
                #expect(res.status == .ok)
                let list = try res.content.decode(BundleListDTO.self)
                #expect(list.bundles.map(\.code) == ["newborn", "restaurant", "bereavement"])
                let newborn = try #require(list.bundles.first)
                #expect(newborn.savings.days.itemByItem == 34)
                #expect(newborn.savings.days.bundle == 20)
                #expect(newborn.savings.visits.bundle == 1)
                #expect(newborn.legs.first { $0.itemCode == "SH-RS-0001" }?.waitsFor == ["SH-GA-0001"])
            }
            try await app.testing().test(.GET, "/api/v1/bundles/restaurant") { res in
                #expect(res.status == .ok)
                let restaurant = try res.content.decode(BundleDTO.self)
                #expect(restaurant.savings.days.bundle == 11)
            }
            try await app.testing().test(.GET, "/api/v1/bundles/wedding") { res in
                #expect(res.status == .notFound)
            }
        }
    }
}
