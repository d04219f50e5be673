import CityDomain
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import App

/// The console's alarm desk (CityNet issue 11 §5): the scoped list with warning colours and case links, the series
/// chart, acknowledge and clear through CSRF-checked forms, the filters, both languages; and the chart's geometry.
@Suite struct AlarmDeskTests {
    static let base = AlarmTests.base

    /// A bridge-deck alarm in 普陀区 (major, orange, with a case) and a PM2.5 alarm in 徐汇区 (minor, yellow).
    /// - Returns: (deck alarm id, PM2.5 alarm id, the deck alarm's case id).
    static func twoAlarms(_ app: Application) async throws -> (deck: Int, pm25: Int, caseID: Int) {
        let token = try await VitalsFixtures.token(app)
        try await VitalsFixtures.register(app, token: token, VitalsFixtures.sensor("deck"))
        let site = ReplaySite(
            id: "sh.pm25.xuhui", kind: .airQuality, name: "徐汇监测站 PM2.5", regionCode: "310104", address: nil,
            unitKind: "eco_environment", attributes: ["pm25"])
        _ = try await SensorReplay.register([site], app: app)
        try await VitalsFixtures.batch(app, token: token, AlarmTests.deck("deck", Array(repeating: 1.5, count: 11)))
        let pm25 = [70.0, 80, 120, 90].enumerated().map { hour, value in
            ReadingInput(
                sensorID: site.id, attribute: "pm25", value: .number(value), unit: nil,
                observedAt: base.addingTimeInterval(Double(hour) * 3600 - 3 * 3600).ISO8601Format())
        }
        let outcomes = try await ReadingIngest.ingest(pm25, app: app, now: app.clock.now())
        #expect(outcomes == Array(repeating: .accepted, count: 4))
        let alarms = try await VitalsFixtures.alarms(app, token: token)
        let deck = try #require(alarms.first { $0.sensorID == "deck" })
        let air = try #require(alarms.first { $0.sensorID == site.id })
        return (deck.id, air.id, try #require(deck.caseID))
    }

    static func page(_ app: Application, _ path: String, cookie: String) async throws -> (HTTPStatus, String) {
        var result: (HTTPStatus, String) = (.internalServerError, "")
        try await app.testing().test(.GET, path, headers: ["Cookie": cookie]) { res in
            result = (res.status, res.body.string)
        }
        return result
    }

    static func post(_ app: Application, _ path: String, cookie: String, form: [String: String]) async throws
        -> (HTTPStatus, String)
    {
        var result: (HTTPStatus, String) = (.internalServerError, "")
        try await app.testing().test(
            .POST, path, headers: ["Cookie": cookie],
            beforeRequest: { req in try req.content.encode(form, as: .urlEncodedForm) },
            afterResponse: { res in result = (res.status, ConsoleTests.flash(res)) })
        return result
    }

    @Test func theDeskListsTheAlarmsInScopeWithColoursCaseLinksAndTheSeriesChart() async throws {
        try await TestApp.withApp { app, _ in
            let (deck, pm25, caseID) = try await Self.twoAlarms(app)
            let city = try await ConsoleTests.signIn(
                app, username: "city.desk", unit: "310000.operations_centre", role: .cityOperator)
            let (status, html) = try await Self.page(app, "/console/alarms?alarm=\(deck)", cookie: city)
            #expect(status == .ok)
            #expect(html.contains("id=\"alarm-\(deck)\"") && html.contains("id=\"alarm-\(pm25)\""))
            #expect(html.contains("sev-orange") && html.contains("橙色·严重") && html.contains("sev-yellow"))
            #expect(html.contains("href=\"/console/cases/\(caseID)\""))
            #expect(html.contains("<svg id=\"alarm-chart\"") && html.contains("<polyline class=\"series\""))
            #expect(html.contains("id=\"acknowledge-form\"") && html.contains("id=\"clear-form\""))
            #expect(!html.contains("cdn") && !html.contains("<script src=\"http"))
            let (_, english) = try await Self.page(app, "/console/alarms?alarm=\(pm25)&lang=en", cookie: city)
            #expect(english.contains("Alarm desk") && english.contains("Yellow · minor"))
            #expect(english.contains("PM2.5 above grade II"))
            // A district operator of 徐汇区 sees only the PM2.5 alarm and cannot act on the other.
            let xuhui = try await ConsoleTests.signIn(
                app, username: "xh.desk", unit: "310104.operations_centre", role: .districtOperator)
            let (_, scoped) = try await Self.page(app, "/console/alarms?status=all", cookie: xuhui)
            #expect(scoped.contains("id=\"alarm-\(pm25)\"") && !scoped.contains("id=\"alarm-\(deck)\""))
            let (refused, _) = try await Self.post(
                app, "/console/alarms/\(deck)/acknowledge", cookie: xuhui,
                form: ["_csrf": ConsoleTests.csrf(forCookie: xuhui)])
            #expect(refused == .notFound)
            #expect(try await VitalsFixtures.count(app, "alarms", where: "WHERE acknowledged = true") == 0)
        }
    }

    @Test func acknowledgeAndClearGoThroughCSRFCheckedFormsAndTheFiltersFollow() async throws {
        try await TestApp.withApp { app, _ in
            let (deck, _, caseID) = try await Self.twoAlarms(app)
            let cookie = try await ConsoleTests.signIn(
                app, username: "city.desk", unit: "310000.operations_centre", role: .cityOperator)
            let csrf = ConsoleTests.csrf(forCookie: cookie)
            let (forged, _) = try await Self.post(
                app, "/console/alarms/\(deck)/acknowledge", cookie: cookie, form: ["note": "no token"])
            #expect(forged == .forbidden)
            #expect(try await VitalsFixtures.count(app, "alarms", where: "WHERE acknowledged = true") == 0)
            let (acknowledged, flash) = try await Self.post(
                app, "/console/alarms/\(deck)/acknowledge", cookie: cookie, form: ["_csrf": csrf, "note": "除冰车已出发"])
            #expect(acknowledged == .seeOther && flash == "ok:#\(deck) 已确认")
            let (cleared, clearFlash) = try await Self.post(
                app, "/console/alarms/\(deck)/clear", cookie: cookie, form: ["_csrf": csrf, "note": "已撒融雪剂"])
            #expect(cleared == .seeOther && clearFlash == "ok:#\(deck) 已消除")
            let sql = try #require(app.db as? any SQLDatabase)
            let alarm = try await AlarmController.alarm(Int64(deck), on: sql)
            #expect(alarm.status == "cleared" && alarm.acknowledged && alarm.clearedBy == "city.desk")
            #expect(alarm.events?.map(\.action) == ["raise", "acknowledge", "clear"])
            #expect(alarm.events?[1].note == "除冰车已出发")
            let noted = try await VitalsFixtures.count(
                app, "case_events", where: "WHERE case_id = \(caseID) AND action = 'alarm_cleared'")
            #expect(noted == 1, "the clearing is recorded on the case")
            let (_, again) = try await Self.post(
                app, "/console/alarms/\(deck)/clear", cookie: cookie, form: ["_csrf": csrf])
            #expect(again.hasPrefix("error:#\(deck)") && again.contains("告警 \(deck) 已消除"))
            let (_, active) = try await Self.page(app, "/console/alarms", cookie: cookie)
            #expect(!active.contains("id=\"alarm-\(deck)\""), "the default list shows active alarms")
            let (_, done) = try await Self.page(app, "/console/alarms?status=cleared&ack=yes", cookie: cookie)
            #expect(done.contains("id=\"alarm-\(deck)\"") && !done.contains("id=\"clear-form\""))
            let (_, unacknowledged) = try await Self.page(app, "/console/alarms?status=all&ack=no", cookie: cookie)
            #expect(!unacknowledged.contains("id=\"alarm-\(deck)\""))
        }
    }

    @Test func theChartPlacesKnownValuesAtKnownPointsAndBreaksAtGaps() {
        let from = Self.base
        func at(_ hour: Double) -> Date { from.addingTimeInterval(hour * 3600) }
        let chart = SeriesChart(
            points: [(at(0), 0), (at(1), 50), (at(2), 100), (at(6), 25)], from: from, to: at(8), stepSeconds: 3600,
            threshold: 75, raised: at(2), cleared: at(9), label: { _ in "" })
        // Plot 44…632 wide (73.5 a data hour) and 8…176 high; values 0…100 (100 is already a round ceiling).
        #expect(chart.yMin == 0 && chart.yMax == 100)
        #expect(chart.segments == ["44,176 117.5,92 191,8"], "a four-hour gap breaks the line")
        #expect(chart.dots == [.init(x: 485, y: 134)], "a point alone is a dot")
        #expect(chart.thresholdY == 50 && chart.raisedX == 191 && chart.clearedX == nil, "cleared after the range")
        #expect(chart.yTicks.map(\.label) == ["0", "50", "100"] && chart.xTicks.map(\.at) == [44, 191, 338, 485, 632])
        #expect(chart.xTicks.map(\.anchor) == ["start", "middle", "middle", "middle", "end"])
        #expect(SeriesChart.niceCeiling(130) == 200 && SeriesChart.niceCeiling(2.1) == 5)
        #expect(SeriesChart.niceCeiling(0.7) == 1 && SeriesChart.niceCeiling(75) == 100)
    }
}
