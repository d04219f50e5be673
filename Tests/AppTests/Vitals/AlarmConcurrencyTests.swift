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

    /// Two batches at once, each raising alarms that open cases in two districts, met in opposite orders (sensors
    /// are evaluated in id order: a in 浦东 then c in 普陀; b in 普陀 then d in 浦东). Each batch counts its cases at
    /// its end in key order (``CaseCounters/Deferred``), so on PostgreSQL neither holds a counter row the other waits
    /// for: every batch is stored (no deadlock answered 500) and every case is counted.
    @Test func twoBatchesOpeningCasesInCrossedDistrictsBothSucceed() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await VitalsFixtures.token(app)
            let rounds = 30
            func gauge(_ id: String, pudong: Bool) -> [String: Any] {
                var sensor = VitalsFixtures.sensor(id, kind: "ponding", attributes: [("waterDepth", "CMT")])
                if pudong {
                    sensor["lat"] = 31.2397
                    sensor["long"] = 121.4998
                    sensor["address"] = "陆家嘴"
                    sensor["unit_code"] = "310115.road_maintenance"
                }
                return sensor
            }
            let sensors = (0..<rounds).flatMap { round in
                [
                    gauge("x\(round)-a", pudong: true), gauge("x\(round)-b", pudong: false),
                    gauge("x\(round)-c", pudong: false), gauge("x\(round)-d", pudong: true),
                ]
            }
            try await VitalsFixtures.post(app, "/api/v1/sensor-imports", token: token, json: ["sensors": sensors]) {
                res in
                let accepted = try res.content.decode(BatchResultDTO.self).accepted
                #expect(accepted == 4 * rounds, "\(res.body.string)")
            }
            let t = TestApp.friday.addingTimeInterval(-60)
            for round in 0..<rounds {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for pair in [["a", "c"], ["b", "d"]] {
                        let readings = pair.map { VitalsFixtures.reading("x\(round)-\($0)", "waterDepth", 20, at: t) }
                        group.addTask {
                            try await VitalsFixtures.batch(app, token: token, readings)
                        }
                    }
                    try await group.waitForAll()
                }
            }
            #expect(try await VitalsFixtures.count(app, "cases") == 4 * rounds)
            let sql = try app.db.sql()
            let drift = CaseCounters.drift(
                stored: try await CaseCounters.stored(on: sql), recounted: try await CaseCounters.recount(on: sql))
            #expect(drift.isEmpty, "\(drift)")
        }
    }
}
