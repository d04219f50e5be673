import CityDomain
import Fluent
import Foundation
import NIOConcurrencyHelpers
import Testing
import Vapor
import VaporTesting

@testable import App

/// Submissions sent at once share commits on SQLite (``WriteGate/grouped(_:)``); retries with one key still make
/// one application, and every other submission is stored.
@Suite struct GovSubmissionConcurrencyTests {
    @Test func parallelSubmissionsAndRetriesMakeOneApplicationPerKey() async throws {
        try await TestApp.withApp { app, _ in
            let citizen = try await GovFixtures.citizen(app)
            let ids = NIOLockedValueBox([String: Set<UUID>]())
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<40 {
                    // Tokens 0…29 once each; token "same" ten times.
                    let token = index < 30 ? "k\(index)" : "same"
                    group.addTask {
                        try await GovFixtures.send(
                            app, .POST, "/api/v1/me/applications", token: citizen,
                            body: GovFixtures.newbornApplication(token: token)
                        ) { res in
                            #expect(res.status == .created || res.status == .ok, "\(res.body.string)")
                            struct Created: Decodable { var id: UUID }
                            let id = try res.content.decode(Created.self).id
                            ids.withLockedValue { $0[token, default: []].insert(id) }
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(ids.withLockedValue { $0["same"]?.count } == 1)
            #expect(try await GovApplication.query(on: app.db).count() == 31)
            #expect(try await GovMaterial.query(on: app.db).filter(\.$supply == "upload").count() == 31)
        }
    }
}
