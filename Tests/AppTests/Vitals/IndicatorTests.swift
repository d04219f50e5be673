import CityDomain
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import App

/// Vital-sign indicators over HTTP (CityNet issue 11 §2): the bundled definitions, values over known readings and
/// cases with their trend and district breakdown, a stopped feed shown stale (never its last number as current)
/// and raising a staleness alarm, and the operator's scope.
@Suite struct IndicatorTests {
    /// An air-quality station or ponding gauge in Huangpu (人民广场), owned by Huangpu's road maintenance unit.
    static func huangpuSensor(_ id: String, kind: String, attribute: (String, String)) -> [String: Any] {
        [
            "id": id, "kind": kind, "name": "人民广场 \(id)", "lat": 31.2304, "long": 121.4737,
            "unit_code": "310101.road_maintenance", "attributes": [["name": attribute.0, "unit": attribute.1]],
        ]
    }

    static func indicator(_ app: Application, token: String, _ id: String) async throws -> IndicatorDTO {
        var result: IndicatorDTO?
        try await app.testing().test(.GET, "/api/v1/indicators/\(id)", headers: .bearer(token)) { res in
            #expect(res.status == .ok, "\(res.body.string)")
            result = try res.content.decode(IndicatorDTO.self)
        }
        return try #require(result)
    }

    static func district(_ dto: IndicatorDTO, _ code: String) -> IndicatorValueDTO? {
        dto.districts?.first { $0.regionCode == code }?.current
    }

    @Test func theBundledDefinitionsLoad() throws {
        let definitions = try IndicatorDefinitions.bundled()
        #expect(
            definitions.map(\.id) == [
                "pm25_mean", "ponding_max", "air_reporting", "ponding_reporting", "road_surface_reporting",
                "cases_open", "cases_overdue", "on_time_rate",
            ])
    }

    @Test func cityMeanPM25AndItsDistrictsComeFromTheRollupsWithTheirTrend() async throws {
        try await TestApp.withApp { app, clock in
            let token = try await VitalsFixtures.token(app)
            let now = clock.now
            func ago(_ minutes: Double) -> Date { now.addingTimeInterval(-minutes * 60) }
            try await VitalsFixtures.register(
                app, token: token, VitalsFixtures.sensor("air-pt", kind: "air_quality", attributes: [("pm25", "GQ")]))
            try await VitalsFixtures.register(
                app, token: token, Self.huangpuSensor("air-hp", kind: "air_quality", attribute: ("pm25", "GQ")))
            try await VitalsFixtures.batch(
                app, token: token,
                [
                    // Putuo: 40 and 60 in the last two hours (mean 50), 20 three hours ago.
                    VitalsFixtures.reading("air-pt", "pm25", 40, at: ago(30)),
                    VitalsFixtures.reading("air-pt", "pm25", 60, at: ago(10)),
                    VitalsFixtures.reading("air-pt", "pm25", 20, at: ago(180)),
                    // Huangpu: 30 now and 30 two and a half hours ago; 90 five hours ago, outside both windows.
                    VitalsFixtures.reading("air-hp", "pm25", 30, at: ago(20)),
                    VitalsFixtures.reading("air-hp", "pm25", 30, at: ago(150)),
                    VitalsFixtures.reading("air-hp", "pm25", 90, at: ago(300)),
                ])
            let pm25 = try await Self.indicator(app, token: token, "pm25_mean")
            #expect(pm25.unit == "GQ" && pm25.unitSymbol == "µg/m³" && pm25.maxAgeSeconds == 7200)
            #expect(pm25.city.value == 40 && pm25.city.lastValue == 40 && !pm25.city.stale && pm25.city.inputs == 2)
            #expect(pm25.city.observedAt == ago(10) && pm25.city.band == 2)
            #expect(
                pm25.city.trend?.direction == "up" && pm25.city.trend?.delta == 15 && pm25.city.trend?.previous == 25)
            #expect(pm25.city.trend?.worsening == true)
            #expect(pm25.districts?.count == 16)
            #expect(Self.district(pm25, "310107")?.value == 50 && Self.district(pm25, "310101")?.value == 30)
            #expect(Self.district(pm25, "310101")?.trend?.direction == "flat")
            let pudong = try #require(Self.district(pm25, "310115"))
            #expect(pudong.value == nil && pudong.inputs == 0 && pudong.observedAt == nil && !pudong.stale)
            // The list gives every indicator's city value, without districts.
            try await app.testing().test(.GET, "/api/v1/indicators", headers: .bearer(token)) { res in
                #expect(res.status == .ok)
                let list = try res.content.decode([IndicatorDTO].self)
                #expect(list.map(\.id) == app.indicators.map(\.id) && list.allSatisfy { $0.districts == nil })
                #expect(list.first { $0.id == "air_reporting" }?.city.value == 100)
                #expect(!res.body.string.contains("\"districts\""))
            }
            try await app.testing().test(.GET, "/api/v1/indicators/no_such", headers: .bearer(token)) { res in
                #expect(res.status == .notFound)
            }
        }
    }

    @Test func aDayLongWindowIsReadFromTheHourRollups() async throws {
        try await TestApp.withApp { app, clock in
            let token = try await VitalsFixtures.token(app)
            try await VitalsFixtures.register(
                app, token: token, VitalsFixtures.sensor("air", kind: "air_quality", attributes: [("pm25", "GQ")]))
            let now = clock.now
            func ago(_ hours: Double) -> Date { now.addingTimeInterval(-hours * 3600) }
            try await VitalsFixtures.batch(
                app, token: token,
                [
                    VitalsFixtures.reading("air", "pm25", 10, at: ago(3)),
                    VitalsFixtures.reading("air", "pm25", 30, at: ago(20)),
                    VitalsFixtures.reading("air", "pm25", 50, at: ago(30)),
                ])
            #expect(IndicatorQueries.table(windowSeconds: 86_400).name == "reading_rollups_hour")
            #expect(IndicatorQueries.table(windowSeconds: 7200).name == "reading_rollups_minute")
            #expect(IndicatorQueries.table(windowSeconds: 9 * 3600 + 60).name == "reading_rollups_minute")
            let daily = IndicatorDefinition(
                id: "pm25_day", nameZh: "PM2.5 日均", nameEn: "Daily PM2.5",
                source: .readings(kind: .airQuality, attribute: "pm25", aggregate: .mean), unit: "GQ",
                windowSeconds: 86_400, maxAgeSeconds: 86_400, worse: .higher, bands: [35, 75, 115], decimals: 1)
            let scope = OperatorScope(
                operatorID: UUID(), username: "city", role: .cityOperator, unitCode: "310000.operations_centre",
                regionCode: "310000")
            try await app.readingProcessor.catchUp(app: app)
            let result = try await IndicatorQueries.compute(
                daily, scope: scope, reference: app.reference, on: try #require(app.db as? any SQLDatabase), now: now)
            #expect(result.city.value == 20 && result.city.trend?.previous == 50 && result.city.trend?.delta == -30)
        }
    }

    @Test func aStoppedFeedShowsStaleWithoutItsLastNumberAsCurrentAndRaisesAStalenessAlarm() async throws {
        try await TestApp.withApp { app, clock in
            let token = try await VitalsFixtures.token(app)
            try await VitalsFixtures.register(
                app, token: token, VitalsFixtures.sensor("pond", kind: "ponding", attributes: [("waterDepth", "cm")]))
            let heard = clock.now.addingTimeInterval(-60)
            try await VitalsFixtures.batch(
                app, token: token,
                [
                    VitalsFixtures.reading("pond", "waterDepth", 9, at: heard.addingTimeInterval(-120)),
                    VitalsFixtures.reading("pond", "waterDepth", 12.5, at: heard),
                ])
            var ponding = try await Self.indicator(app, token: token, "ponding_max")
            #expect(ponding.city.value == 12.5 && !ponding.city.stale && ponding.city.observedAt == heard)
            // 15 minutes of silence is the indicator's maximum age: still current at exactly 15, stale after.
            clock.advance(by: 900 - 60)
            ponding = try await Self.indicator(app, token: token, "ponding_max")
            #expect(ponding.city.value == 12.5 && !ponding.city.stale)
            clock.advance(by: 1)
            ponding = try await Self.indicator(app, token: token, "ponding_max")
            #expect(ponding.city.stale && ponding.city.value == nil && ponding.city.trend == nil)
            #expect(ponding.city.band == nil && ponding.city.lastValue == 12.5 && ponding.city.observedAt == heard)
            #expect(Self.district(ponding, "310107")?.stale == true && Self.district(ponding, "310107")?.value == nil)
            // The feed's staleness alarm comes from the sweep after 30 minutes of silence.
            #expect(try await StaleFeedSweep.run(app: app, now: heard.addingTimeInterval(1800)).isEmpty)
            clock.advance(by: 900)
            #expect(try await StaleFeedSweep.run(app: app, now: clock.now).count == 1)
            let alarm = try #require(try await VitalsFixtures.alarms(app, token: token).first)
            #expect(alarm.ruleCode == "stale_ponding" && alarm.status == "active" && alarm.colour == "blue")
            let share = try await Self.indicator(app, token: token, "ponding_reporting")
            // The reporting share goes stale with its feed: no current share, the last one (100 %) kept beside it.
            #expect(share.city.stale && share.city.value == nil && share.city.lastValue == 100)
            // The next reading makes it current again and clears the alarm.
            try await VitalsFixtures.batch(
                app, token: token, [VitalsFixtures.reading("pond", "waterDepth", 3, at: clock.now)])
            ponding = try await Self.indicator(app, token: token, "ponding_max")
            #expect(ponding.city.value == 3 && !ponding.city.stale && ponding.city.observedAt == clock.now)
            #expect(try await VitalsFixtures.alarms(app, token: token).map(\.status) == ["cleared"])
        }
    }

    /// Cases for the case indicators, each moved to a street of Putuo or Huangpu with the times it needs.
    static func storeCases(app: Application, now: Date) async throws {
        let hierarchy = app.reference.hierarchy
        let putuo = try #require(hierarchy.children(of: "310107").first?.code)
        let huangpu = try #require(hierarchy.children(of: "310101").first?.code)
        let day: TimeInterval = 86_400
        let cases:
            [(
                street: String, state: CaseState, created: TimeInterval, closed: TimeInterval?, due: TimeInterval?,
                step: TimeInterval?
            )] = [
                (putuo, .dispatched, -2 * day, nil, day, -3600),  // A: open since before yesterday, overdue
                (putuo, .closed, -3 * day, -day / 2, 0, nil),  // B: open yesterday, closed on time
                (huangpu, .closed, -5 * day, -2 * day, -3 * day, nil),  // C: closed late
                (huangpu, .handling, -3600, nil, day, day),  // D: opened an hour ago
                (putuo, .closed, -50 * day, -40 * day, -39 * day, nil),  // E: closed on time, previous window
                (putuo, .closed, -5 * day, -7200, nil, nil),  // F: open yesterday, closed with no limit
            ]
        for item in cases {
            let id = try await CaseWorkflowAPITests.register(
                app, category: "road.ponding", lat: 31.2304, long: 121.4737)
            try await Case.query(on: app.db).filter(\.$id == id)
                .set(\.$regionCode, to: item.street).set(\.$state, to: item.state)
                .set(\.$createdAt, to: now.addingTimeInterval(item.created))
                .set(\.$closedAt, to: item.closed.map(now.addingTimeInterval))
                .set(\.$dueAt, to: item.due.map(now.addingTimeInterval))
                .set(\.$stepDueAt, to: item.step.map(now.addingTimeInterval))
                .update()
        }
        // The rows were edited behind the write paths: count them again, as `citynet check-counters --repair` would.
        try await app.writeGate.exclusive { db in try await CaseCounters.rebuild(on: db.sql()) }
    }

    @Test func openOverdueAndOnTimeRateUseTheSharedCaseRules() async throws {
        try await TestApp.withApp { app, clock in
            let token = try await VitalsFixtures.token(app)
            try await Self.storeCases(app: app, now: clock.now)
            let open = try await Self.indicator(app, token: token, "cases_open")
            #expect(open.city.value == 2 && open.city.observedAt == clock.now && !open.city.stale)
            #expect(open.city.trend?.direction == "down" && open.city.trend?.previous == 3)
            #expect(open.city.trend?.worsening == false)
            #expect(Self.district(open, "310107")?.value == 1 && Self.district(open, "310101")?.value == 1)
            let overdue = try await Self.indicator(app, token: token, "cases_overdue")
            #expect(overdue.city.value == 1 && overdue.city.trend == nil)
            #expect(Self.district(overdue, "310107")?.value == 1 && Self.district(overdue, "310101")?.value == 0)
            let rate = try await Self.indicator(app, token: token, "on_time_rate")
            #expect(rate.city.value == 66.7 && rate.city.inputs == 3 && rate.unit == "P1")
            #expect(rate.city.trend?.previous == 100 && rate.city.trend?.delta == -33.3)
            #expect(Self.district(rate, "310107")?.value == 100 && Self.district(rate, "310101")?.value == 0)
            #expect(Self.district(rate, "310115")?.value == nil)
        }
    }

    @Test func aDistrictOperatorAndACaseworkerSeeOnlyTheirShare() async throws {
        try await TestApp.withApp { app, clock in
            let token = try await VitalsFixtures.token(app)
            try await Self.storeCases(app: app, now: clock.now)
            try await VitalsFixtures.register(
                app, token: token, VitalsFixtures.sensor("air-pt", kind: "air_quality", attributes: [("pm25", "GQ")]))
            try await VitalsFixtures.register(
                app, token: token, Self.huangpuSensor("air-hp", kind: "air_quality", attribute: ("pm25", "GQ")))
            try await VitalsFixtures.batch(
                app, token: token,
                [
                    VitalsFixtures.reading("air-pt", "pm25", 80, at: clock.now.addingTimeInterval(-600)),
                    VitalsFixtures.reading("air-hp", "pm25", 20, at: clock.now.addingTimeInterval(-600)),
                ])
            let huangpu = try await TestApp.login(
                app, username: "hp.op", unit: "310101.operations_centre", role: .districtOperator)
            let pm25 = try await Self.indicator(app, token: huangpu, "pm25_mean")
            #expect(pm25.city.value == 20 && pm25.districts?.map(\.regionCode) == ["310101"])
            let open = try await Self.indicator(app, token: huangpu, "cases_open")
            #expect(open.city.value == 1 && open.districts?.map(\.regionCode) == ["310101"])
            // A Putuo road caseworker: only their unit's sensors (and its cases: none of these is theirs).
            let worker = try await TestApp.login(
                app, username: "pt.road", unit: "310107.road_maintenance", role: .caseworker)
            let theirs = try await Self.indicator(app, token: worker, "pm25_mean")
            #expect(theirs.city.value == 80 && theirs.districts?.map(\.regionCode) == ["310107"])
            let share = try await Self.indicator(app, token: worker, "air_reporting")
            #expect(share.city.inputs == 1 && share.city.value == 100)
            try await app.testing().test(.GET, "/api/v1/indicators") { res in
                #expect(res.status == .unauthorized)
            }
        }
    }
}
