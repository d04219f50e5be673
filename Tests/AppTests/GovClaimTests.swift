import CityDomain
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import App

/// A caseworker's step claims the application's version in one conditional UPDATE: on PostgreSQL (READ COMMITTED)
/// a step taken while another transaction holds a newer version uncommitted must not overwrite it once that commits.
@Suite struct GovClaimTests {
    static let onPostgres = !(ProcessInfo.processInfo.environment["TEST_DATABASE_URL"] ?? "").isEmpty

    @Test(.enabled(if: onPostgres, "row locks under READ COMMITTED: PostgreSQL only"))
    func aStepRacingAnUncommittedChangeIsAConflict() async throws {
        try await TestApp.withApp { app, clock in
            let citizen = try await GovFixtures.citizen(app)
            var created = UUID()
            try await GovFixtures.send(
                app, .POST, "/api/v1/me/applications", token: citizen, body: GovFixtures.newbornApplication()
            ) { res in
                struct Created: Decodable { var id: UUID }
                created = try res.content.decode(Created.self).id
            }
            let id = created
            let stale = try #require(try await GovApplication.find(id, on: app.db))
            let item = try #require(app.govServices.catalogue[stale.itemCode])
            let now = clock.now
            let seen = stale.version
            let racing = try await app.db.transaction { tx -> Task<Result<Void, any Error>, Never> in
                // Another caseworker's change, written but not yet committed.
                try await (tx as! any SQLDatabase).raw(
                    "UPDATE gov_applications SET version = version + 1 WHERE id = \(bind: id)"
                ).run()
                let racing = Task {
                    do {
                        try await GovApplications.act(
                            .accept, on: stale, item: item, actor: "pd.police.2", actorUnit: stale.unitCode,
                            reason: nil, deadlines: app.reference.deadlines, gate: app.writeGate, now: now)
                        return Result<Void, any Error>.success(())
                    } catch { return .failure(error) }
                }
                // Long enough for the step to reach the row this transaction holds.
                try await Task.sleep(for: .milliseconds(500))
                return racing
            }
            let outcome = await racing.value
            guard case .failure(let error) = outcome, case GovApplicationError.concurrentChange = error else {
                Issue.record("the racing step was not refused as a conflict: \(outcome)")
                return
            }
            let stored = try #require(try await GovApplication.find(id, on: app.db))
            #expect(stored.version == seen + 1)
            #expect(stored.state == .submitted)
        }
    }

    @Test(.enabled(if: onPostgres, "row locks under READ COMMITTED: PostgreSQL only"))
    func aCallbackRacingAnUncommittedOneSendsNothing() async throws {
        try await TestApp.withApp { app, clock in
            let citizen = try await GovFixtures.citizen(app)
            var created = UUID()
            try await GovFixtures.send(
                app, .POST, "/api/v1/me/applications", token: citizen, body: GovFixtures.newbornApplication()
            ) { res in
                struct Created: Decodable { var id: UUID }
                created = try res.content.decode(Created.self).id
            }
            let id = created
            let sql = try #require(app.db as? any SQLDatabase)
            // Straight to done and a bad rating; its rectification case closed.
            try await sql.raw("UPDATE gov_applications SET state = 'done' WHERE id = \(bind: id)").run()
            try await GovFixtures.send(
                app, .POST, "/api/v1/me/applications/\(id)/rating", token: citizen,
                body: ["level": "very_dissatisfied"]
            ) { res in #expect(res.status == .created, "\(res.body.string)") }
            try await sql.raw("UPDATE cases SET state = 'closed'").run()
            let now = clock.now
            let racing = try await app.db.transaction { tx -> Task<Int, any Error> in
                // Another runner's callback, written but not yet committed.
                try await (tx as! any SQLDatabase).raw(
                    "UPDATE gov_ratings SET called_back_at = \(bind: now) WHERE called_back_at IS NULL"
                ).run()
                let racing = Task { try await GovRatings.callBack(gate: app.writeGate, db: app.db, now: now) }
                try await Task.sleep(for: .milliseconds(500))
                return racing
            }
            #expect(try await racing.value == 0)
            #expect(
                try await GovNotification.query(on: app.db).filter(\.$kind == "rectification_closed").count() == 0)
        }
    }
}
