import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// Two violating readings for one sensor at once, over many rounds and concurrent connections (CityNet issue 11
/// §6): at most one active alarm per (sensor, rule) and one case, on SQLite and on PostgreSQL
/// (`TEST_DATABASE_URL`).
@Suite struct AlarmConcurrencyTests {
    static let rounds = 1000
    /// Rounds in flight at once (two requests each).
    static let width = 4

    @Test func twoViolatingReadingsAtOnceRaiseOneAlarmAndOneCase() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await VitalsFixtures.token(app)
            let sensors = (0..<Self.rounds).map {
                VitalsFixtures.sensor("pond-\($0)", kind: "ponding", attributes: [("waterDepth", "CMT")])
            }
            try await VitalsFixtures.post(app, "/api/v1/sensor-imports", token: token, json: ["sensors": sensors]) {
                res in
                let accepted = try res.content.decode(BatchResultDTO.self).accepted
                #expect(accepted == Self.rounds)
            }
            let t = TestApp.friday.addingTimeInterval(-60)
            for start in stride(from: 0, to: Self.rounds, by: Self.width) {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for round in start..<min(start + Self.width, Self.rounds) {
                        for offset in [0.0, 0.001] {
                            let reading = VitalsFixtures.reading(
                                "pond-\(round)", "waterDepth", 20 + offset * 1000, at: t.addingTimeInterval(offset))
                            group.addTask {
                                try await VitalsFixtures.post(app, "/api/v1/readings", token: token, json: reading) {
                                    res in
                                    #expect(res.status == .created, "\(res.body.string)")
                                }
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            #expect(try await VitalsFixtures.count(app, "readings") == 2 * Self.rounds)
            #expect(try await VitalsFixtures.count(app, "alarms", where: "WHERE status = 'active'") == Self.rounds)
            #expect(try await VitalsFixtures.count(app, "alarms") == Self.rounds)
            #expect(try await VitalsFixtures.count(app, "cases") == Self.rounds)
            #expect(try await VitalsFixtures.count(app, "reports") == Self.rounds)
        }
    }
}
