import CityDomain
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import App

/// A citizen's change and its data-access log entry are one transaction: an entry that cannot be written undoes the
/// change (never a 500 after a durable success), and notices are claimed by the request that shows them.
@Suite struct GovWriteTogetherTests {
    static let onPostgres = !(ProcessInfo.processInfo.environment["TEST_DATABASE_URL"] ?? "").isEmpty

    /// Makes every insert into the access log with `action` fail, on either database.
    static func breakAccessLog(_ app: Application, action: String) async throws {
        let sql = try #require(app.db as? any SQLDatabase)
        if onPostgres {
            try await sql.raw(
                """
                CREATE FUNCTION refuse_access_log() RETURNS trigger AS $$
                BEGIN RAISE EXCEPTION 'access log down'; END $$ LANGUAGE plpgsql
                """
            ).run()
            try await sql.raw(
                """
                CREATE TRIGGER refuse_access_log BEFORE INSERT ON gov_access_log FOR EACH ROW
                WHEN (NEW.action = \(literal: action)) EXECUTE FUNCTION refuse_access_log()
                """
            ).run()
        } else {
            try await sql.raw(
                """
                CREATE TRIGGER refuse_access_log BEFORE INSERT ON gov_access_log
                WHEN NEW.action = \(literal: action) BEGIN SELECT RAISE(ABORT, 'access log down'); END
                """
            ).run()
        }
    }

    /// Submits the newborn application and sets its state directly; returns its id.
    static func application(_ app: Application, citizen: String, state: ApplicationState) async throws -> UUID {
        var created = UUID()
        try await GovFixtures.send(
            app, .POST, "/api/v1/me/applications", token: citizen, body: GovFixtures.newbornApplication()
        ) { res in
            struct Created: Decodable { var id: UUID }
            created = try res.content.decode(Created.self).id
        }
        let sql = try #require(app.db as? any SQLDatabase)
        try await sql.raw("UPDATE gov_applications SET state = \(bind: state.rawValue) WHERE id = \(bind: created)")
            .run()
        return created
    }

    @Test func aRatingWhoseAccessEntryFailsIsNotStored() async throws {
        try await TestApp.withApp { app, _ in
            let citizen = try await GovFixtures.citizen(app)
            let id = try await Self.application(app, citizen: citizen, state: .done)
            try await Self.breakAccessLog(app, action: "rate")
            try await GovFixtures.send(
                app, .POST, "/api/v1/me/applications/\(id)/rating", token: citizen,
                body: ["level": "very_dissatisfied"]
            ) { res in #expect(res.status != .created) }
            #expect(try await GovRating.query(on: app.db).count() == 0)
            #expect(try await Case.query(on: app.db).count() == 0)
        }
    }

    @Test func aCompletionWhoseAccessEntryFailsIsNotStored() async throws {
        try await TestApp.withApp { app, _ in
            let citizen = try await GovFixtures.citizen(app)
            let id = try await Self.application(app, citizen: citizen, state: .returnedForCompletion)
            try await Self.breakAccessLog(app, action: "complete")
            let materials = try await GovMaterial.query(on: app.db).filter(\.$applicationID == id).count()
            try await GovFixtures.send(
                app, .POST, "/api/v1/me/applications/\(id)/completion", token: citizen,
                body: [
                    "materials": [["code": "declaration", "file_name": "补正.pdf", "content_base64": GovFixtures.pdf]]
                ]
            ) { res in #expect(res.status != .ok) }
            let stored = try #require(try await GovApplication.find(id, on: app.db))
            #expect(stored.state == .returnedForCompletion)
            #expect(try await GovMaterial.query(on: app.db).filter(\.$applicationID == id).count() == materials)
        }
    }

    @Test(.enabled(if: onPostgres, "row locks under READ COMMITTED: PostgreSQL only"))
    func noticesShownByAnotherRequestAtOnceAreNotShownAgain() async throws {
        try await TestApp.withApp { app, clock in
            let citizen = try await GovFixtures.citizen(app)
            _ = try await Self.application(app, citizen: citizen, state: .submitted)
            #expect(try await GovNotification.query(on: app.db).filter(\.$shownAt == nil).count() == 1)
            let now = clock.now
            let racing = try await app.db.transaction { tx -> Task<Int, any Error> in
                // Another request's marking, written but not yet committed.
                try await (tx as! any SQLDatabase).raw(
                    "UPDATE gov_notifications SET shown_at = \(bind: now) WHERE shown_at IS NULL"
                ).run()
                let racing = Task {
                    var shown = -1
                    try await GovFixtures.send(app, .GET, "/api/v1/me/notifications", token: citizen) { res in
                        struct List: Decodable {
                            struct Notice: Decodable { var id: UUID }
                            var notifications: [Notice]
                        }
                        shown = try res.content.decode(List.self).notifications.count
                    }
                    return shown
                }
                try await Task.sleep(for: .milliseconds(500))
                return racing
            }
            #expect(try await racing.value == 0)
        }
    }
}
