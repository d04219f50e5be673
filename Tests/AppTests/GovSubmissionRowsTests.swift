import CityDomain
import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import App

/// The submission hot path writes its rows through SQLKit in shared multi-row statements (``RowBatch``,
/// ``WriteGate/insert(_:)``): what it answers is what a later read returns, a retry after the commit answers with the
/// same application, and one bad batch in a shared group fails alone.
@Suite struct GovSubmissionRowsTests {
    struct Created: Decodable { var id: UUID }

    @Test func theAnswerToASubmissionIsWhatALaterReadReturns() async throws {
        try await TestApp.withApp { app, _ in
            let citizen = try await GovFixtures.citizen(app)
            var answer = ""
            var id = UUID()
            try await GovFixtures.send(
                app, .POST, "/api/v1/me/applications", token: citizen, body: GovFixtures.newbornApplication()
            ) { res in
                #expect(res.status == .created, "\(res.body.string)")
                answer = res.body.string
                id = try res.content.decode(Created.self).id
            }
            try await GovFixtures.send(app, .GET, "/api/v1/me/applications/\(id)", token: citizen) { res in
                #expect(res.status == .ok)
                #expect(res.body.string == answer)
            }
            // Every row of the submission is there: application, upload and e-licence materials, audit event,
            // outbox notice and the access-log entry pointing at it.
            #expect(try await GovApplicationEvent.query(on: app.db).filter(\.$applicationID == id).count() == 1)
            #expect(try await GovNotification.query(on: app.db).filter(\.$applicationID == id).count() == 1)
            #expect(
                try await GovAccessEntry.query(on: app.db).filter(\.$action == "submit")
                    .filter(\.$target == id.uuidString).count() == 1)
            let stored = try #require(try await GovApplication.find(id, on: app.db))
            #expect(stored.state == .submitted)
            #expect(stored.version == 0)
            // The hand-written inserts name every column of their models.
            func columns(_ pairs: [(String, any SQLExpression)]) -> Set<String> { Set(pairs.map(\.0)) }
            #expect(columns(GovSubmissionRows.values(stored)) == Set(GovApplication.keys.map(\.description)))
            let material = try #require(
                try await GovMaterial.query(on: app.db).filter(\.$applicationID == id).first())
            #expect(columns(GovSubmissionRows.values(material)) == Set(GovMaterial.keys.map(\.description)))
            let event = try #require(
                try await GovApplicationEvent.query(on: app.db).filter(\.$applicationID == id).first())
            #expect(columns(GovSubmissionRows.values(event)) == Set(GovApplicationEvent.keys.map(\.description)))
            let notice = try #require(
                try await GovNotification.query(on: app.db).filter(\.$applicationID == id).first())
            #expect(columns(GovSubmissionRows.values(notice)) == Set(GovNotification.keys.map(\.description)))
            let access = try #require(
                try await GovAccessEntry.query(on: app.db).filter(\.$target == id.uuidString).first())
            #expect(columns(GovSubmissionRows.values(access)) == Set(GovAccessEntry.keys.map(\.description)))
        }
    }

    @Test func aRetryAfterTheCommitAnswersWithTheSameApplication() async throws {
        try await TestApp.withApp { app, _ in
            let citizen = try await GovFixtures.citizen(app)
            var first = UUID()
            try await GovFixtures.send(
                app, .POST, "/api/v1/me/applications", token: citizen, body: GovFixtures.newbornApplication()
            ) { res in
                #expect(res.status == .created)
                first = try res.content.decode(Created.self).id
            }
            try await GovFixtures.send(
                app, .POST, "/api/v1/me/applications", token: citizen, body: GovFixtures.newbornApplication()
            ) { res in
                #expect(res.status == .ok, "\(res.body.string)")
                let again = try res.content.decode(Created.self).id
                #expect(again == first)
            }
            var other = GovFixtures.newbornApplication()
            other["item_code"] = "SH-YB-0001"
            try await GovFixtures.send(app, .POST, "/api/v1/me/applications", token: citizen, body: other) { res in
                #expect(res.status == .conflict, "\(res.body.string)")
            }
            #expect(try await GovApplication.query(on: app.db).count() == 1)
            #expect(try await GovApplicationEvent.query(on: app.db).count() == 1)
        }
    }

    @Test func oneBadBatchInASharedGroupFailsAlone() async throws {
        try await TestApp.withApp { app, _ in
            _ = try await GovFixtures.citizen(app)
            let citizen = try #require(try await Citizen.query(on: app.db).first()?.id)
            let taken = UUID()
            func batch(_ id: UUID) -> RowBatch {
                let entry = GovAccessEntry()
                entry.id = id
                entry.citizenID = citizen
                entry.at = Date()
                entry.action = "test"
                entry.outcome = "allowed"
                var batch = RowBatch()
                batch.add(GovAccessEntry.schema, [GovSubmissionRows.values(entry)])
                return batch
            }
            try await app.writeGate.insert(batch(taken))
            let outcomes = NIOLockedValueBox([Bool]())
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        do {
                            try await app.writeGate.insert(batch(index == 7 ? taken : UUID()))
                            outcomes.withLockedValue { $0.append(true) }
                        } catch {
                            outcomes.withLockedValue { $0.append(false) }
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(outcomes.withLockedValue { $0.filter { !$0 }.count } == 1)
            #expect(try await GovAccessEntry.query(on: app.db).filter(\.$action == "test").count() == 20)
        }
    }
}
