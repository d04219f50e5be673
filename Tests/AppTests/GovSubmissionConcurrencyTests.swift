import CityDomain
import Fluent
import Foundation
import NIOConcurrencyHelpers
import Testing
import Vapor
import VaporTesting

@testable import App

/// Submissions sent at once share commits on SQLite (``WriteGate/insert(_:)``); retries with one key still make
/// one application, and every other submission is stored.
@Suite struct GovSubmissionConcurrencyTests {
    @Test func parallelSubmissionsAndRetriesMakeOneApplicationPerKey() async throws {
        try await TestApp.withApp { app, _ in
            let citizen = try await GovFixtures.citizen(app)
            let ids = NIOLockedValueBox([String: Set<UUID>]())
            // Four waves of ten at once: tokens k0…k29 once each, then token "same" ten times, all ten retries in one
            // wave. (On a loaded 2-core CI run a submission waited past the driver's 10 s read-pool timeout and got a
            // 500; configure now waits 60 s.)
            for wave in 0..<4 {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in (wave * 10)..<(wave * 10 + 10) {
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
            }
            #expect(ids.withLockedValue { $0["same"]?.count } == 1)
            #expect(try await GovApplication.query(on: app.db).count() == 31)
            #expect(try await GovMaterial.query(on: app.db).filter(\.$supply == "upload").count() == 31)
        }
    }
}
