import CityDomain
import FluentKit
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import App

/// Alarms from readings over HTTP (CityNet issue 11 §3): the default rules, a case for the road maintenance unit,
/// clearing recorded on the case, acknowledge and clear by hand with audit, stale feeds, and state that does not
/// depend on how the readings were sent.
@Suite struct AlarmTests {
    static let base = Timestamps.parse("2024-09-27T00:00:00Z")!

    static func deck(_ id: String, _ values: [Double], from minute: Int = 0) -> [[String: Any]] {
        values.enumerated().map {
            VitalsFixtures.reading(
                id, "surfaceTemperature", $0.element, at: base.addingTimeInterval(Double(minute + $0.offset) * 60))
        }
    }

    @Test func bridgeIceHeldTenMinutesOpensARoadMaintenanceCaseAndItsClearingIsOnTheCase() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await VitalsFixtures.token(app)
            try await VitalsFixtures.register(app, token: token, VitalsFixtures.sensor("deck"))
            try await VitalsFixtures.batch(app, token: token, Self.deck("deck", Array(repeating: 2, count: 10)))
            #expect(try await VitalsFixtures.alarms(app, token: token).isEmpty, "held only 9 minutes")
            try await VitalsFixtures.batch(app, token: token, Self.deck("deck", [1.8], from: 10))
            var alarms = try await VitalsFixtures.alarms(app, token: token, query: "?status=active")
            let alarm = try #require(alarms.first)
            #expect(alarms.count == 1 && alarm.ruleCode == "bridge_deck_ice" && alarm.severity == "major")
            #expect(alarm.colour == "orange" && alarm.raisedValue == 1.8)
            #expect(alarm.raisedAt == Self.base.addingTimeInterval(600), "raised at the observed time")
            #expect(alarm.processedAt == TestApp.friday, "processing time kept beside it")
            let caseID = try #require(alarm.caseID)
            let record = try #require(try await Case.find(caseID, on: app.db))
            #expect(record.categoryCode == "road.bridge_ice" && record.unitCode == "310107.road_maintenance")
            #expect(record.regionCode == "310107005" && record.state == .dispatched)
            let report = try #require(try await Report.find(try #require(alarm.reportID), on: app.db))
            #expect(report.source == .sensor && report.deviceID == "deck" && report.caseID == caseID)
            #expect(report.attributes?.contains("\"sensor_id\":\"deck\"") == true)
            // Between the thresholds: still active. At 3 °C: cleared, and the case says so.
            try await VitalsFixtures.batch(app, token: token, Self.deck("deck", [2.5, 2.9, 3], from: 11))
            alarms = try await VitalsFixtures.alarms(app, token: token)
            #expect(alarms.map(\.status) == ["cleared"])
            #expect(
                alarms.first?.clearedAt == Self.base.addingTimeInterval(13 * 60) && alarms.first?.clearedBy == "system")
            let events = try await CaseEvent.query(on: app.db).filter(\.$caseID == caseID).all()
            #expect(events.map(\.action).contains(.alarmCleared))
            #expect(try await VitalsFixtures.count(app, "cases") == 1)
        }
    }

    @Test func acknowledgeAndClearByHandAreAuditedAndANewViolationOpensANewAlarm() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await VitalsFixtures.token(app)
            try await VitalsFixtures.register(
                app, token: token, VitalsFixtures.sensor("pond", kind: "ponding", attributes: [("waterDepth", "cm")]))
            let t = Self.base
            try await VitalsFixtures.batch(app, token: token, [VitalsFixtures.reading("pond", "waterDepth", 16, at: t)])
            let first = try #require(try await VitalsFixtures.alarms(app, token: token).first)
            #expect(first.status == "active" && first.caseID != nil)
            let path = "/api/v1/alarms/\(first.id)"
            try await VitalsFixtures.post(app, path + "/acknowledge", token: token, json: ["note": "crew on the way"]) {
                res in
                #expect(res.status == .ok, "\(res.body.string)")
                let alarm = try res.content.decode(AlarmDTO.self)
                #expect(alarm.acknowledged && alarm.acknowledgedBy == "vitals.op" && alarm.status == "active")
            }
            // Still deep: the active alarm stays the only one.
            try await VitalsFixtures.batch(
                app, token: token, [VitalsFixtures.reading("pond", "waterDepth", 18, at: t.addingTimeInterval(60))])
            #expect(try await VitalsFixtures.alarms(app, token: token).count == 1)
            try await VitalsFixtures.post(app, path + "/clear", token: token, json: [:] as [String: String]) { res in
                #expect(res.status == .ok, "\(res.body.string)")
                let alarm = try res.content.decode(AlarmDTO.self)
                #expect(alarm.status == "cleared" && alarm.clearedBy == "vitals.op")
                #expect(alarm.events?.map(\.action) == ["raise", "acknowledge", "clear"])
                #expect(alarm.events?[1].note == "crew on the way")
            }
            try await VitalsFixtures.post(app, path + "/clear", token: token, json: [:] as [String: String]) { res in
                #expect(res.status == .conflict)
            }
            try await VitalsFixtures.batch(
                app, token: token, [VitalsFixtures.reading("pond", "waterDepth", 17, at: t.addingTimeInterval(120))])
            let alarms = try await VitalsFixtures.alarms(app, token: token)
            #expect(alarms.map(\.status) == ["active", "cleared"])
            #expect(alarms[0].id != first.id && alarms[0].caseID != first.caseID)
            try await app.testing().test(.GET, "/api/v1/alarms/999999", headers: .bearer(token)) { res in
                #expect(res.status == .notFound)
            }
        }
    }

    @Test func clearingAClearedAlarmAgainLeavesTheNewerAlarmOfItsRuleActiveAndKeepsTheNote() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await VitalsFixtures.token(app)
            try await VitalsFixtures.register(
                app, token: token, VitalsFixtures.sensor("pond", kind: "ponding", attributes: [("waterDepth", "cm")]))
            let t = Self.base
            try await VitalsFixtures.batch(app, token: token, [VitalsFixtures.reading("pond", "waterDepth", 16, at: t)])
            let first = try #require(try await VitalsFixtures.alarms(app, token: token).first)
            let path = "/api/v1/alarms/\(first.id)/clear"
            try await VitalsFixtures.post(app, path, token: token, json: ["note": "pumped out"]) { res in
                #expect(res.status == .ok, "\(res.body.string)")
                let alarm = try res.content.decode(AlarmDTO.self)
                #expect(alarm.events?.last?.action == "clear" && alarm.events?.last?.note == "pumped out")
            }
            try await VitalsFixtures.batch(
                app, token: token, [VitalsFixtures.reading("pond", "waterDepth", 17, at: t.addingTimeInterval(60))])
            let newer = try #require(try await VitalsFixtures.alarms(app, token: token, query: "?status=active").first)
            #expect(newer.id != first.id)
            // A late second clear of the first alarm: 409, and the newer alarm is untouched.
            try await VitalsFixtures.post(app, path, token: token, json: ["note": "late"]) { res in
                #expect(res.status == .conflict)
            }
            let after = try await VitalsFixtures.alarms(app, token: token)
            #expect(after.map(\.status) == ["active", "cleared"] && after[0].id == newer.id)
            #expect(try await VitalsFixtures.count(app, "alarm_events", where: "WHERE action = 'clear'") == 1)
            try await VitalsFixtures.post(
                app, "/api/v1/alarms/999999/clear", token: token, json: [:] as [String: String]
            ) { res in
                #expect(res.status == .notFound)
            }
        }
    }

    @Test func streamedOneByOneAndSentAsOneLateBatchGiveTheSameAlarms() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await VitalsFixtures.token(app)
            try await VitalsFixtures.register(app, token: token, VitalsFixtures.sensor("s1"))
            try await VitalsFixtures.register(app, token: token, VitalsFixtures.sensor("s2"))
            let values = (0..<90).map { 5 - Double($0 % 45) / 5 }  // cools to -3.8 °C twice, warms back twice
            for reading in Self.deck("s1", values) {
                try await VitalsFixtures.batch(app, token: token, [reading])
            }
            try await VitalsFixtures.batch(app, token: token, Self.deck("s2", values).reversed())
            let alarms = try await VitalsFixtures.alarms(app, token: token)
            func shape(_ sensor: String) -> [String] {
                alarms.filter { $0.sensorID == sensor }.map {
                    "\($0.status) \($0.raisedAt.timeIntervalSince1970) \($0.clearedAt?.timeIntervalSince1970 ?? 0)"
                }
            }
            #expect(shape("s1").count == 2)
            #expect(shape("s1") == shape("s2"))
        }
    }

    @Test func aStaleFeedRaisesAWarningThatTheNextReadingClears() async throws {
        try await TestApp.withApp { app, clock in
            let token = try await VitalsFixtures.token(app)
            try await VitalsFixtures.register(app, token: token, VitalsFixtures.sensor("deck"))
            try await VitalsFixtures.register(app, token: token, VitalsFixtures.sensor("silent"))
            let last = TestApp.friday.addingTimeInterval(-60)
            try await VitalsFixtures.batch(
                app, token: token, [VitalsFixtures.reading("deck", "surfaceTemperature", 10, at: last)])
            #expect(try await StaleFeedSweep.run(app: app, now: clock.now.addingTimeInterval(1700)).isEmpty)
            let raised = try await StaleFeedSweep.run(app: app, now: clock.now.addingTimeInterval(1800))
            #expect(raised.count == 1, "a sensor never heard from is not stale, it is new")
            #expect(try await StaleFeedSweep.run(app: app, now: clock.now.addingTimeInterval(2400)).isEmpty)
            var alarms = try await VitalsFixtures.alarms(app, token: token)
            #expect(alarms.map(\.ruleCode) == ["stale_road_surface"] && alarms[0].colour == "blue")
            #expect(alarms[0].caseID == nil)
            clock.advance(by: 2400)
            try await VitalsFixtures.batch(
                app, token: token, [VitalsFixtures.reading("deck", "surfaceTemperature", 9, at: clock.now)])
            alarms = try await VitalsFixtures.alarms(app, token: token)
            #expect(alarms.map(\.status) == ["cleared"])
        }
    }

    @Test func theStaleFeedSweepIsAScheduledLoopAndItsPassRaisesTheAlarm() async throws {
        try await TestApp.withApp { app, clock in
            let token = try await VitalsFixtures.token(app)
            try await VitalsFixtures.register(app, token: token, VitalsFixtures.sensor("deck"))
            try await VitalsFixtures.batch(
                app, token: token,
                [VitalsFixtures.reading("deck", "surfaceTemperature", 10, at: TestApp.friday.addingTimeInterval(-60))])
            let loop = try #require(ServiceLoops.sweeps(interval: 60).first { $0.name == "stale feed sweep" })
            #expect(loop.interval == 60 && !loop.startsAtOnce)
            clock.advance(by: 1800)
            try await loop.pass(app, 0)
            let alarms = try await VitalsFixtures.alarms(app, token: token, query: "?status=active")
            #expect(alarms.map(\.ruleCode) == ["stale_road_surface"])
        }
    }

    @Test func theDatabaseRefusesASecondActiveAlarmForOneSensorAndRule() async throws {
        try await TestApp.withApp { app, _ in
            let sql = try #require(app.db as? any SQLDatabase)
            func insert(_ status: String) async throws -> Int {
                try await sql.raw(
                    """
                    INSERT INTO alarms (rule_code, sensor_id, status, acknowledged, severity, raised_at_ms, processed_at_ms)
                    VALUES ('road_ponding', 'x', \(bind: status), \(bind: false), 'major', 1, 1) ON CONFLICT DO NOTHING RETURNING id
                    """
                ).all().count
            }
            #expect(try await insert("active") == 1)
            #expect(try await insert("active") == 0)
            #expect(try await insert("cleared") == 1)
            #expect(try await insert("cleared") == 1)
            await #expect(throws: (any Error).self) {
                try await sql.raw(
                    """
                    INSERT INTO alarms (rule_code, sensor_id, status, acknowledged, severity, raised_at_ms, processed_at_ms)
                    VALUES ('road_ponding', 'x', 'active', \(bind: false), 'major', 2, 2)
                    """
                ).run()
            }
        }
    }

    @Test func rulesAreData() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await VitalsFixtures.token(app)
            try await app.testing().test(.GET, "/api/v1/alarm-rules", headers: .bearer(token)) { res in
                #expect(res.status == .ok)
                let rules = try res.content.decode([AlarmRuleDTO].self)
                let expected = DefaultAlarmRules.all.sorted { $0.code < $1.code }.map(AlarmRuleDTO.init)
                #expect(rules == expected)
            }
        }
    }
}
