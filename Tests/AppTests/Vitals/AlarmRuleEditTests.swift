import CityDomain
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import App

/// The alarm-rule edit API (CityNet issue 11 §3): create, update, disable, enable, history; versions, run restarts,
/// active alarms kept, the rules cache, and who may change what.
@Suite struct AlarmRuleEditTests {
    static let base = AlarmTests.base

    static func pondingBody(
        code: String? = nil, raise: Double = 10, clear: Double = 10, scope: String = "city",
        severity: String = "major"
    ) -> [String: Any] {
        var body: [String: Any] = [
            "name_zh": "道路积水", "name_en": "Road ponding", "sensor_kind": "ponding", "attribute": "waterDepth",
            "scope": scope, "condition": "simple", "condition_value": 0, "raise": ["op": "ge", "value": raise],
            "clear": ["op": "lt", "value": clear], "severity": severity, "gap_seconds": 900, "gap_policy": "reset",
        ]
        if let code { body["code"] = code }
        return body
    }

    static func send(
        _ app: Application, _ method: HTTPMethod, _ path: String, token: String, json: Any = [:] as [String: String]
    ) async throws -> (HTTPStatus, String) {
        var headers = HTTPHeaders.bearer(token)
        headers.contentType = .json
        var result: (HTTPStatus, String) = (.internalServerError, "")
        try await app.testing().test(
            method, path, headers: headers, body: ByteBuffer(data: try JSONSerialization.data(withJSONObject: json))
        ) { res in result = (res.status, res.body.string) }
        return result
    }

    static func decode<T: Decodable>(_ type: T.Type, _ body: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(type, from: Data(body.utf8))
    }

    static func pond(_ value: Double, minute: Int) -> [[String: Any]] {
        [VitalsFixtures.reading("pond", "waterDepth", value, at: base.addingTimeInterval(Double(minute) * 60))]
    }

    static func registerPond(_ app: Application, token: String) async throws {
        try await VitalsFixtures.register(
            app, token: token, VitalsFixtures.sensor("pond", kind: "ponding", attributes: [("waterDepth", "CMT")]))
    }

    @Test func aChangedThresholdAppliesToTheNextBatchAndTheAlarmKeepsItsVersion() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await VitalsFixtures.token(app)
            try await Self.registerPond(app, token: token)
            // 12 cm is below the default 15 cm: nothing (and the rules are now cached).
            try await VitalsFixtures.batch(app, token: token, Self.pond(12, minute: 0))
            #expect(try await VitalsFixtures.alarms(app, token: token).isEmpty)
            let (status, body) = try await Self.send(
                app, .PUT, "/api/v1/alarm-rules/road_ponding", token: token, json: Self.pondingBody())
            #expect(status == .ok, "\(body)")
            let rule = try Self.decode(AlarmRuleDTO.self, body)
            #expect(rule.version == 2 && rule.raise?.value == 10 && rule.enabled)
            try await VitalsFixtures.batch(app, token: token, Self.pond(12, minute: 1))
            let alarms = try await VitalsFixtures.alarms(app, token: token)
            #expect(alarms.map(\.ruleCode) == ["road_ponding"] && alarms.map(\.ruleVersion) == [2])
            #expect(alarms.first?.raisedValue == 12)
        }
    }

    @Test func aChangedConditionRestartsAHalfBuiltDurationRun() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await VitalsFixtures.token(app)
            try await VitalsFixtures.register(app, token: token, VitalsFixtures.sensor("deck"))
            // Minutes 0–4 at 1.5 °C: a run of the default rule under way.
            try await VitalsFixtures.batch(app, token: token, AlarmTests.deck("deck", Array(repeating: 1.5, count: 5)))
            let colder: [String: Any] = [
                "name_zh": "桥面结冰", "name_en": "Bridge-deck ice", "sensor_kind": "road_surface",
                "attribute": "surfaceTemperature", "scope": "city", "condition": "duration", "condition_value": 600,
                "raise": ["op": "le", "value": 1.8], "clear": ["op": "ge", "value": 3], "severity": "major",
                "gap_seconds": 900, "gap_policy": "reset", "category_code": "road.bridge_ice",
            ]
            let (status, body) = try await Self.send(
                app, .PUT, "/api/v1/alarm-rules/bridge_deck_ice", token: token, json: colder)
            #expect(status == .ok, "\(body)")
            // Minutes 5–10: the old run would be held 10 minutes at minute 10; the new one started at minute 5.
            try await VitalsFixtures.batch(
                app, token: token, AlarmTests.deck("deck", Array(repeating: 1.5, count: 6), from: 5))
            #expect(try await VitalsFixtures.alarms(app, token: token).isEmpty, "the old run was not carried over")
            try await VitalsFixtures.batch(
                app, token: token, AlarmTests.deck("deck", Array(repeating: 1.5, count: 5), from: 11))
            let alarms = try await VitalsFixtures.alarms(app, token: token)
            #expect(alarms.map(\.raisedAt) == [Self.base.addingTimeInterval(15 * 60)], "held 10 minutes from minute 5")
            #expect(alarms.map(\.ruleVersion) == [2])
        }
    }

    @Test func changingOrDisablingKeepsActiveAlarmsAndADisabledRuleRaisesNothingNew() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await VitalsFixtures.token(app)
            try await Self.registerPond(app, token: token)
            try await VitalsFixtures.batch(app, token: token, Self.pond(20, minute: 0))
            let raised = try #require(try await VitalsFixtures.alarms(app, token: token).first)
            #expect(raised.ruleVersion == 1 && raised.status == "active")
            var (status, body) = try await Self.send(
                app, .PUT, "/api/v1/alarm-rules/road_ponding", token: token,
                json: Self.pondingBody(raise: 30, clear: 25, severity: "critical"))
            #expect(status == .ok, "\(body)")
            (status, body) = try await Self.send(app, .POST, "/api/v1/alarm-rules/road_ponding/disable", token: token)
            #expect(try status == .ok && Self.decode(AlarmRuleDTO.self, body).enabled == false, "\(body)")
            var alarms = try await VitalsFixtures.alarms(app, token: token)
            #expect(
                alarms.map(\.status) == ["active"] && alarms.map(\.ruleVersion) == [1]
                    && alarms.map(\.severity) == ["major"])
            (status, body) = try await Self.send(app, .POST, "/api/v1/alarms/\(raised.id)/clear", token: token)
            #expect(status == .ok, "\(body)")
            try await VitalsFixtures.batch(app, token: token, Self.pond(40, minute: 1))
            alarms = try await VitalsFixtures.alarms(app, token: token)
            #expect(alarms.count == 1, "a disabled rule raises nothing new")
            (status, body) = try await Self.send(app, .POST, "/api/v1/alarm-rules/road_ponding/enable", token: token)
            #expect(try status == .ok && Self.decode(AlarmRuleDTO.self, body).version == 4, "\(body)")
            try await VitalsFixtures.batch(app, token: token, Self.pond(40, minute: 2))
            alarms = try await VitalsFixtures.alarms(app, token: token, query: "?status=active")
            #expect(alarms.map(\.ruleVersion) == [4] && alarms.map(\.severity) == ["critical"])
            // Enabling twice changes nothing more.
            (status, body) = try await Self.send(app, .POST, "/api/v1/alarm-rules/road_ponding/enable", token: token)
            #expect(try status == .ok && Self.decode(AlarmRuleDTO.self, body).version == 4)
        }
    }

    /// A rule switched off leaves no alarm hanging: its active alarm still clears when a reading meets the clear
    /// condition, and a violation while it is off raises nothing.
    @Test func aDisabledRulesActiveAlarmStillClearsOnItsClearCondition() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await VitalsFixtures.token(app)
            try await Self.registerPond(app, token: token)
            try await VitalsFixtures.batch(app, token: token, Self.pond(20, minute: 0))
            let raised = try #require(try await VitalsFixtures.alarms(app, token: token).first)
            let (status, body) = try await Self.send(
                app, .POST, "/api/v1/alarm-rules/road_ponding/disable", token: token)
            #expect(status == .ok, "\(body)")
            try await VitalsFixtures.batch(app, token: token, Self.pond(18, minute: 1))
            #expect(try await VitalsFixtures.alarms(app, token: token).map(\.status) == ["active"])
            try await VitalsFixtures.batch(app, token: token, Self.pond(4, minute: 2))
            let alarms = try await VitalsFixtures.alarms(app, token: token)
            #expect(alarms.map(\.id) == [raised.id] && alarms.map(\.status) == ["cleared"])
            #expect(alarms.first?.clearedBy == "system" && alarms.first?.clearedValue == 4)
            try await VitalsFixtures.batch(app, token: token, Self.pond(30, minute: 3))
            #expect(try await VitalsFixtures.alarms(app, token: token).count == 1, "nothing raised while off")
        }
    }

    /// Narrowing a rule's scope leaves no alarm hanging on a sensor it no longer watches: that alarm is cleared in
    /// the operator's name; the alarm of a sensor still watched stays.
    @Test func narrowingTheScopeClearsTheAlarmsOfSensorsLeftOut() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await VitalsFixtures.token(app)
            try await Self.registerPond(app, token: token)
            try await VitalsFixtures.register(
                app, token: token,
                VitalsFixtures.sensor("pond2", kind: "ponding", attributes: [("waterDepth", "CMT")]))
            try await VitalsFixtures.batch(
                app, token: token,
                Self.pond(20, minute: 0) + [
                    VitalsFixtures.reading("pond2", "waterDepth", 20, at: Self.base)
                ])
            #expect(try await VitalsFixtures.alarms(app, token: token).map(\.status) == ["active", "active"])
            let (status, body) = try await Self.send(
                app, .PUT, "/api/v1/alarm-rules/road_ponding", token: token,
                json: Self.pondingBody(raise: 15, clear: 15, scope: "sensor:pond2"))
            #expect(status == .ok, "\(body)")
            let alarms = try await VitalsFixtures.alarms(app, token: token)
            let bySensor = Dictionary(uniqueKeysWithValues: alarms.map { ($0.sensorID, $0) })
            #expect(bySensor["pond"]?.status == "cleared" && bySensor["pond"]?.clearedBy == "vitals.op")
            #expect(bySensor["pond2"]?.status == "active")
            // pond is no longer watched: a new violation raises nothing.
            try await VitalsFixtures.batch(app, token: token, Self.pond(30, minute: 1))
            #expect(try await VitalsFixtures.alarms(app, token: token).count == 2)
        }
    }

    /// A rule turned to another kind of sensor no longer watches what raised its alarms: they are cleared by the
    /// change, in the operator's name.
    @Test func aRuleTurnedToAnotherKindClearsItsActiveAlarms() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await VitalsFixtures.token(app)
            try await Self.registerPond(app, token: token)
            try await VitalsFixtures.batch(app, token: token, Self.pond(20, minute: 0))
            var body = Self.pondingBody(raise: 2, clear: 3)
            body["sensor_kind"] = "road_surface"
            body["attribute"] = "surfaceTemperature"
            body["raise"] = ["op": "le", "value": 2]
            body["clear"] = ["op": "ge", "value": 3]
            let (status, text) = try await Self.send(
                app, .PUT, "/api/v1/alarm-rules/road_ponding", token: token, json: body)
            #expect(status == .ok, "\(text)")
            let alarms = try await VitalsFixtures.alarms(app, token: token)
            #expect(alarms.map(\.status) == ["cleared"] && alarms.first?.clearedBy == "vitals.op", "\(alarms)")
        }
    }

    @Test func missingFieldsAreListedAsRequiredBesideTheOtherErrors() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await VitalsFixtures.token(app)
            var body = Self.pondingBody(code: "ponding_partial")
            body["name_en"] = nil
            body["severity"] = nil
            body["gap_policy"] = nil
            body["raise"] = ["op": "ge", "value": 10]
            body["clear"] = ["op": "le", "value": 12]
            let (status, text) = try await Self.send(app, .POST, "/api/v1/alarm-rules", token: token, json: body)
            #expect(status == .unprocessableEntity, "\(text)")
            let errors = try Self.decode(AlarmRuleErrorsDTO.self, text).errors
            #expect(errors.map(\.field) == ["name_en", "severity", "gap_policy", "clear"], "\(errors)")
            #expect(errors.prefix(3).allSatisfy { $0.code == "required" })
            #expect(try await VitalsFixtures.count(app, "alarm_rules", where: "WHERE code = 'ponding_partial'") == 0)
        }
    }

    @Test func everyChangeIsInTheHistoryWithActorTimeAndBeforeAndAfter() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await VitalsFixtures.token(app)
            var (status, body) = try await Self.send(
                app, .POST, "/api/v1/alarm-rules", token: token, json: Self.pondingBody(code: "ponding_shallow"))
            #expect(status == .created, "\(body)")
            #expect(try Self.decode(AlarmRuleDTO.self, body).version == 1)
            (status, body) = try await Self.send(
                app, .POST, "/api/v1/alarm-rules", token: token, json: Self.pondingBody(code: "ponding_shallow"))
            #expect(status == .conflict, "\(body)")
            (status, _) = try await Self.send(
                app, .PUT, "/api/v1/alarm-rules/ponding_shallow", token: token,
                json: Self.pondingBody(raise: 8, clear: 6))
            #expect(status == .ok)
            (status, _) = try await Self.send(app, .POST, "/api/v1/alarm-rules/ponding_shallow/disable", token: token)
            #expect(status == .ok)
            (status, body) = try await Self.send(app, .GET, "/api/v1/alarm-rules/ponding_shallow/history", token: token)
            #expect(status == .ok, "\(body)")
            let events = try Self.decode([AlarmRuleEventDTO].self, body)
            #expect(events.map(\.action) == ["create", "update", "disable"] && events.map(\.version) == [1, 2, 3])
            #expect(events.allSatisfy { $0.actor == "vitals.op" && $0.at == TestApp.friday })
            #expect(
                events[0].before == nil && events[1].before?.raise?.value == 10 && events[1].after.raise?.value == 8)
            #expect(events[2].before?.enabled == true && events[2].after.enabled == false)
            (status, body) = try await Self.send(app, .GET, "/api/v1/alarm-rules", token: token)
            let listed = try Self.decode([AlarmRuleDTO].self, body).first { $0.code == "ponding_shallow" }
            #expect(listed?.version == 3 && listed?.enabled == false)
            (status, _) = try await Self.send(app, .GET, "/api/v1/alarm-rules/nothing/history", token: token)
            #expect(status == .notFound)
        }
    }

    @Test func anInvalidRuleIsAnsweredWithEveryFieldError() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await VitalsFixtures.token(app)
            var body = Self.pondingBody(code: "Bad Code", raise: 2, clear: 1)
            body["raise"] = ["op": "le", "value": 2]
            body["clear"] = ["op": "ge", "value": 1]
            body["scope"] = "region:999999"
            body["gap_seconds"] = -5
            let (status, text) = try await Self.send(app, .POST, "/api/v1/alarm-rules", token: token, json: body)
            #expect(status == .unprocessableEntity, "\(text)")
            let errors = try Self.decode(AlarmRuleErrorsDTO.self, text).errors
            #expect(errors.map(\.field) == ["code", "clear", "gap_seconds", "scope"], "\(errors)")
            #expect(errors.first { $0.field == "clear" }?.message.contains("[1.0, 2.0]") == true)
            let (mismatch, mismatchText) = try await Self.send(
                app, .PUT, "/api/v1/alarm-rules/road_ponding", token: token,
                json: Self.pondingBody(code: "road_ponding_2"))
            #expect(mismatch == .unprocessableEntity && mismatchText.contains("code_mismatch"), "\(mismatchText)")
            var stale = Self.pondingBody(raise: 2, clear: 1)
            stale["condition"] = "stale"
            stale["condition_value"] = 1800
            let (refused, refusedText) = try await Self.send(
                app, .PUT, "/api/v1/alarm-rules/road_ponding", token: token, json: stale)
            let refusedFields = try Self.decode(AlarmRuleErrorsDTO.self, refusedText).errors.map(\.field)
            #expect(refused == .unprocessableEntity && refusedFields == ["attribute", "raise", "clear"])
            #expect(try await VitalsFixtures.count(app, "alarm_rule_events") == 0)
            let sql = try #require(app.db as? any SQLDatabase)
            let stored = try await AlarmRuleStore.find("road_ponding", on: sql)
            #expect(stored == DefaultAlarmRules.ponding && stored?.enabled == true, "nothing written")
        }
    }

    @Test func onlyCentresChangeRulesAndADistrictOnlyWithinItsDistrict() async throws {
        try await TestApp.withApp { app, _ in
            let city = try await VitalsFixtures.token(app)
            try await VitalsFixtures.register(app, token: city, VitalsFixtures.sensor("deck"))
            let putuo = try await TestApp.login(
                app, username: "pt.op", unit: "310107.operations_centre", role: .districtOperator)
            let worker = try await TestApp.login(
                app, username: "pt.road", unit: "310107.road_maintenance", role: .caseworker)
            var (status, body) = try await Self.send(
                app, .POST, "/api/v1/alarm-rules", token: worker, json: Self.pondingBody(code: "w_rule"))
            #expect(status == .forbidden, "\(body)")
            (status, body) = try await Self.send(
                app, .POST, "/api/v1/alarm-rules", token: putuo, json: Self.pondingBody(code: "pt_city"))
            #expect(status == .unprocessableEntity && body.contains("outside_region"), "\(body)")
            (status, body) = try await Self.send(
                app, .POST, "/api/v1/alarm-rules", token: putuo,
                json: Self.pondingBody(code: "pt_huangpu", scope: "region:310101"))
            #expect(status == .unprocessableEntity && body.contains("outside_region"), "\(body)")
            (status, body) = try await Self.send(
                app, .POST, "/api/v1/alarm-rules", token: putuo,
                json: Self.pondingBody(code: "pt_putuo", scope: "region:310107"))
            #expect(status == .created, "\(body)")
            var deckRule = Self.pondingBody(code: "pt_deck", scope: "sensor:deck")
            deckRule["sensor_kind"] = "road_surface"
            deckRule["attribute"] = "surfaceTemperature"
            deckRule["raise"] = ["op": "le", "value": 0]
            deckRule["clear"] = ["op": "gt", "value": 1]
            (status, body) = try await Self.send(app, .POST, "/api/v1/alarm-rules", token: putuo, json: deckRule)
            #expect(status == .created, "\(body)")
            (status, body) = try await Self.send(
                app, .PUT, "/api/v1/alarm-rules/road_ponding", token: putuo, json: Self.pondingBody())
            #expect(status == .forbidden, "a city-wide rule is outside a district")
            (status, _) = try await Self.send(app, .POST, "/api/v1/alarm-rules/road_ponding/disable", token: putuo)
            #expect(status == .forbidden)
            (status, _) = try await Self.send(app, .POST, "/api/v1/alarm-rules/pt_putuo/disable", token: worker)
            #expect(status == .forbidden)
            (status, _) = try await Self.send(
                app, .PUT, "/api/v1/alarm-rules/nothing", token: city, json: Self.pondingBody())
            #expect(status == .notFound)
            (status, _) = try await Self.send(app, .POST, "/api/v1/alarm-rules/pt_putuo/disable", token: putuo)
            #expect(status == .ok)
        }
    }
}
