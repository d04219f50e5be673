import CityDomain
import FluentKit
import Foundation
import Testing
import Vapor

@testable import App

/// Late readings through the HTTP API, on both databases (CityNet issue 11 §1, §3): a reading observed before the
/// rule's last evaluated one is evaluated at its observed time, and the stored alarm is corrected in place, its case
/// and history kept.
@Suite struct LateReadingTests {
    static let base = Timestamps.parse("2024-09-27T00:00:00Z")!

    static func deck(_ minute: Int, _ celsius: Double) -> [String: Any] {
        VitalsFixtures.reading(
            "deck-late", "surfaceTemperature", celsius, at: base.addingTimeInterval(Double(minute) * 60))
    }

    static func alarm(_ app: Application, token: String, _ id: Int) async throws -> AlarmDTO {
        var alarm: AlarmDTO?
        try await app.testing().test(.GET, "/api/v1/alarms/\(id)", headers: .bearer(token)) { res in
            #expect(res.status == .ok, "\(res.body.string)")
            alarm = try res.content.decode(AlarmDTO.self)
        }
        return try #require(alarm)
    }

    @Test func aLateWarmReadingMovesTheRaiseAndKeepsTheCase() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await VitalsFixtures.token(app)
            try await VitalsFixtures.register(app, token: token, VitalsFixtures.sensor("deck-late"))
            // 1 °C for minutes 0–20 but minute 5, which comes last: held ten minutes at minute 10.
            for minute in (0...20) where minute != 5 {
                try await VitalsFixtures.batch(app, token: token, [Self.deck(minute, 1)])
            }
            let raised = try #require(try await VitalsFixtures.alarms(app, token: token).first)
            #expect(raised.raisedAt == Self.base.addingTimeInterval(600))
            let caseID = try #require(raised.caseID)
            // 6 °C at minute 5 ends that run: the deck was held ≤ 2 °C for ten minutes only at minute 16.
            try await VitalsFixtures.batch(app, token: token, [Self.deck(5, 6)])
            let corrected = try await Self.alarm(app, token: token, raised.id)
            #expect(corrected.raisedAt == Self.base.addingTimeInterval(16 * 60))
            #expect(corrected.status == "active")
            #expect(corrected.caseID == caseID)
            #expect(corrected.events?.map(\.action) == ["raise", "correct"])
            let notes = try await CaseEvent.query(on: app.db).filter(\.$caseID == caseID)
                .filter(\.$action == .alarmCorrected).all().compactMap(\.note)
            #expect(notes.count == 1 && notes[0].contains("raised at 2024-09-27T00:16:00Z"), "\(notes)")
            // The note's parts word it on the case page in the reader's language (Beijing time).
            let event = try #require(
                try await CaseEvent.query(on: app.db).filter(\.$caseID == caseID)
                    .filter(\.$action == .alarmCorrected).first())
            let zh = MessageNote.display(note: event.note, parts: event.noteParts, .zh, reference: app.reference)
            #expect(zh.system.hasPrefix("告警 #\(raised.id) 的触发时间更正为 2024-09-27 08:16"), "\(zh)")
            #expect(zh.system.hasSuffix("起观测的读数迟到") && zh.words.isEmpty, "\(zh)")
            let en = MessageNote.display(note: event.note, parts: event.noteParts, .en, reference: app.reference)
            #expect(en.system.hasPrefix("alarm #\(raised.id) raised at 2024-09-27 08:16"), "\(en)")
            #expect(LanguageCheck.han(in: en.system).isEmpty, "\(en)")
            #expect(try await VitalsFixtures.count(app, "alarms") == 1)
            #expect(try await VitalsFixtures.count(app, "cases") == 1)
        }
    }

    /// The reset point lies 30 readings back (the sensor's first reading), past the first page read back.
    @Test func aLateWarmReadingInsideAnActiveAlarmClearsItAtItsObservedTime() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await VitalsFixtures.token(app)
            try await VitalsFixtures.register(app, token: token, VitalsFixtures.sensor("deck-late"))
            try await VitalsFixtures.batch(app, token: token, (0...40).filter { $0 != 30 }.map { Self.deck($0, 1) })
            let raised = try #require(try await VitalsFixtures.alarms(app, token: token).first)
            #expect(raised.status == "active" && raised.raisedAt == Self.base.addingTimeInterval(600))
            try await VitalsFixtures.batch(app, token: token, [Self.deck(30, 6)])
            let alarms = try await VitalsFixtures.alarms(app, token: token)
            // Cleared at minute 30; the run from minute 31 has held only 9 minutes at minute 40.
            #expect(alarms.map(\.id) == [raised.id] && alarms.map(\.status) == ["cleared"])
            #expect(alarms.first?.clearedAt == Self.base.addingTimeInterval(30 * 60))
            #expect(alarms.first?.clearedValue == 6 && alarms.first?.clearedBy == "system")
        }
    }

    /// A withdrawn alarm is out of every later replay: it is neither a reset point nor withdrawn again, and the alarm
    /// raised after it stands (a review found both going wrong).
    @Test func aWithdrawnAlarmStaysOutOfLaterReplays() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await VitalsFixtures.token(app)
            try await VitalsFixtures.register(app, token: token, VitalsFixtures.sensor("deck-late"))
            try await VitalsFixtures.batch(app, token: token, (0...11).filter { $0 != 3 }.map { Self.deck($0, 1) })
            let first = try #require(try await VitalsFixtures.alarms(app, token: token).first)
            try await VitalsFixtures.batch(app, token: token, [Self.deck(3, 5)])  // withdraws it
            #expect(try await Self.alarm(app, token: token, first.id).events?.map(\.action) == ["raise", "withdraw"])
            try await VitalsFixtures.batch(app, token: token, (12...14).map { Self.deck($0, 1) })
            let half = VitalsFixtures.reading(
                "deck-late", "surfaceTemperature", 1, at: Self.base.addingTimeInterval(12.5 * 60))
            try await VitalsFixtures.batch(app, token: token, [half])
            let alarms = try await VitalsFixtures.alarms(app, token: token).sorted { $0.id < $1.id }
            #expect(alarms.map(\.status) == ["cleared", "active"], "\(alarms.map { ($0.id, $0.status, $0.raisedAt) })")
            // Held ≤ 2 °C from minute 4 (after the warm minute 3) for ten minutes: minute 14.
            #expect(alarms.last?.raisedAt == Self.base.addingTimeInterval(14 * 60))
            #expect(try await Self.alarm(app, token: token, first.id).events?.map(\.action) == ["raise", "withdraw"])
        }
    }

    /// A disabled rule raises nothing, so a late reading does not replay it (its active alarm is not withdrawn for
    /// want of a rule that would have raised it); a rule change sets a floor no replay reaches back past.
    @Test func aDisabledOrChangedRuleIsNotReplayedAcrossTheChange() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await VitalsFixtures.token(app)
            try await AlarmRuleEditTests.registerPond(app, token: token)
            try await VitalsFixtures.batch(app, token: token, AlarmRuleEditTests.pond(3, minute: 0))
            try await VitalsFixtures.batch(app, token: token, AlarmRuleEditTests.pond(20, minute: 2))
            var (status, body) = try await AlarmRuleEditTests.send(
                app, .POST, "/api/v1/alarm-rules/road_ponding/disable", token: token)
            #expect(status == .ok, "\(body)")
            try await VitalsFixtures.batch(app, token: token, AlarmRuleEditTests.pond(18, minute: 3))
            try await VitalsFixtures.batch(app, token: token, AlarmRuleEditTests.pond(2, minute: 1))  // late
            var alarms = try await VitalsFixtures.alarms(app, token: token)
            #expect(alarms.map(\.status) == ["active"], "\(alarms)")
            let id = try #require(alarms.first?.id)
            #expect(try await Self.alarm(app, token: token, id).events?.map(\.action) == ["raise"])
            // Enabled again (a new version, runs restarted, the floor set at minute 3): a late reading from before
            // the change moves nothing of what was raised before it.
            (status, body) = try await AlarmRuleEditTests.send(
                app, .POST, "/api/v1/alarm-rules/road_ponding/enable", token: token)
            #expect(status == .ok, "\(body)")
            try await VitalsFixtures.batch(app, token: token, AlarmRuleEditTests.pond(19, minute: 4))
            try await VitalsFixtures.batch(
                app, token: token,
                [VitalsFixtures.reading("pond", "waterDepth", 1, at: AlarmRuleEditTests.base.addingTimeInterval(150))])
            alarms = try await VitalsFixtures.alarms(app, token: token)
            #expect(alarms.map(\.status) == ["active"], "\(alarms)")
            #expect(try await Self.alarm(app, token: token, id).events?.map(\.action) == ["raise"])
        }
    }

    @Test func aLateWarmReadingWithdrawsAnAlarmWhoseConditionNeverHeld() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await VitalsFixtures.token(app)
            try await VitalsFixtures.register(app, token: token, VitalsFixtures.sensor("deck-late"))
            try await VitalsFixtures.batch(app, token: token, (0...11).filter { $0 != 3 }.map { Self.deck($0, 1) })
            let raised = try #require(try await VitalsFixtures.alarms(app, token: token).first)
            #expect(raised.status == "active")
            try await VitalsFixtures.batch(app, token: token, [Self.deck(3, 5)])
            let withdrawn = try await Self.alarm(app, token: token, raised.id)
            #expect(withdrawn.status == "cleared")
            #expect(withdrawn.clearedAt == withdrawn.raisedAt)
            #expect(withdrawn.events?.map(\.action) == ["raise", "withdraw"])
            // The case the alarm opened says so; nothing is deleted.
            let notes = try await CaseEvent.query(on: app.db).filter(\.$caseID == raised.caseID!)
                .filter(\.$action == .alarmCorrected).all().compactMap(\.note)
            #expect(notes.count == 1 && notes[0].contains("withdrawn"), "\(notes)")
            // A resend of the late reading is a duplicate and changes nothing more.
            let resend = try await VitalsFixtures.batch(app, token: token, [Self.deck(3, 5)])
            #expect(resend.duplicates == 1)
            #expect(try await Self.alarm(app, token: token, raised.id).events?.count == 2)
        }
    }
}
