import CityDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// Two legs approved at the same moment that both unblock one leg release it exactly once: each release locks the
/// bundle row, so the later approval sees the earlier one. Meaningful on PostgreSQL (`TEST_DATABASE_URL`), where
/// approvals run in parallel transactions; on SQLite the write gate runs them one after the other.
@Suite struct BundleConcurrencyTests {
    /// A bundle whose third leg waits, by order only, for two legs that issue no licence: their approvals share no
    /// status-list row, so nothing but the bundle lock orders them.
    static func install(_ app: Application) throws {
        let services = app.govServices
        let definition = BundleDefinition(
            code: "jobless", nameZh: "失业一件事", nameEn: "Losing a job", lifeEvent: "employment", source: "test",
            legs: [
                .init(item: "SH-RS-0002"), .init(item: "SH-YB-0002"),
                .init(item: "SH-RS-0003", after: ["SH-RS-0002", "SH-YB-0002"]),
            ], feeds: [], sharedFields: [])
        app.govServices = GovServicesContext(
            catalogue: services.catalogue,
            bundles: try BundleCatalogue([definition], catalogue: services.catalogue), vault: services.vault,
            notifier: services.notifier, rectificationDays: services.rectificationDays,
            licenceKeys: services.licenceKeys)
    }

    static var form: [String: Any] {
        [
            "bundle_code": "jobless", "region_code": "310115",
            "materials": ["termination_proof", "bank_card", "invoices", "discharge_summary", "declaration"].map(
                BundleFixtures.file),
        ]
    }

    @Test func twoApprovalsAtOnceReleaseTheLegTheyBothUnblockOnce() async throws {
        try await TestApp.withApp { app, _ in
            try Self.install(app)
            let citizen = try await GovFixtures.citizen(app)
            let desks = BundleFixtures.Desks(app)
            for round in 0..<8 {
                let started = try #require(
                    try await BundleFixtures.start(app, citizen: citizen, body: Self.form, key: "c-\(round)"))
                let unemployment = try BundleFixtures.leg(started, "SH-RS-0002")
                let maternity = try BundleFixtures.leg(started, "SH-YB-0002")
                try await desks.act(unemployment, ["accept", "review"])
                try await desks.act(maternity, ["accept", "review"])
                async let first: Void = desks.act(unemployment, ["approve"])
                async let second: Void = desks.act(maternity, ["approve"])
                _ = try await (first, second)
                let now = try await BundleFixtures.read(app, citizen: citizen, id: started.id)
                let last = try BundleFixtures.leg(now, "SH-RS-0003")
                #expect(last.state == "submitted", "round \(round): the leg both approvals unblock was not released")
                #expect(last.attempt == 1)
                let tokens = try await GovApplication.query(on: app.db)
                    .filter(\.$clientToken, .custom("LIKE"), "bundle:\(started.id):SH-RS-0003:%").count()
                #expect(tokens == 1, "round \(round)")
            }
        }
    }
}
