import CityDomain
import Fluent
import SQLKit
import Testing
import Vapor

@testable import App

/// Counts by Beijing day, ISO week and district within a window (issue #12 §4), on SQLite and PostgreSQL alike.
@Suite struct TrendQueriesTests {
    static func at(_ text: String) -> Date { Timestamps.parse(text)! }

    /// Three Huangpu cases and one Pudong case received around Beijing midnight of 2024-09-25/26 (the test clock's
    /// today is Friday 2024-09-27): ids in order huangpu late (received 09-25 23:59:59 Beijing, closed 09-26
    /// 23:00 after its due instant), huangpu 23:30 UTC (09-26 07:30 Beijing, closed 09-27 00:30 on time),
    /// huangpu midnight (09-26 00:00 Beijing, reassigned to another unit), pudong (09-26 12:00 Beijing, open).
    static func windowCases(_ app: Application) async throws -> [Int] {
        var ids: [Int] = []
        for (lat, long) in [(31.2304, 121.4737), (31.2304, 121.4737), (31.2304, 121.4737), (31.2397, 121.4998)] {
            ids.append(try await CaseWorkflowAPITests.register(app, category: "road.ponding", lat: lat, long: long))
        }
        func set(_ id: Int, created: String, closed: String? = nil, due: String? = nil, unit: String? = nil)
            async throws
        {
            let query = Case.query(on: app.db).filter(\.$id == id).set(\.$createdAt, to: at(created))
            if let closed {
                query.set(\.$closedAt, to: at(closed)).set(\.$state, to: .closed)
            }
            if let due { query.set(\.$dueAt, to: at(due)) }
            if let unit { query.set(\.$unitCode, to: unit) }
            try await query.update()
        }
        try await set(
            ids[0], created: "2024-09-25T15:59:59Z", closed: "2024-09-26T15:00:00Z", due: "2024-09-26T12:00:00Z")
        try await set(
            ids[1], created: "2024-09-25T23:30:00Z", closed: "2024-09-26T16:30:00Z", due: "2024-09-30T16:00:00Z")
        try await set(ids[2], created: "2024-09-25T16:00:00Z", unit: "310115.operations_centre")
        try await set(ids[3], created: "2024-09-26T04:00:00Z")
        // Written past the write path, so the counters and daily rollups are recounted (as `check-counters --repair`).
        try await app.writeGate.exclusive { db in try await CaseCounters.rebuild(on: db.sql()) }
        return ids
    }

    @Test func daysAreBeijingDaysAcrossUTCMidnight() async throws {
        try await TestApp.withApp { app, clock in
            _ = try await Self.windowCases(app)
            let city = try CaseQueriesTests.city(app)
            let today = CalendarDay(containing: clock.now)
            #expect(today.description == "2024-09-27")
            let window = try #require(
                try ReportingWindow.parse(window: "custom", from: "2024-09-24", to: nil, today: today))
            let days = try await TrendQueries.daily(
                window, scope: city, regions: nil, reference: app.reference, on: app.db.sql())
            #expect(days.map(\.day.description) == ["2024-09-24", "2024-09-25", "2024-09-26", "2024-09-27"])
            // 23:30 UTC on 09-25 is 07:30 on 09-26 in Beijing; 15:59:59 UTC is still 09-25 there.
            #expect(days.map(\.received) == [0, 1, 3, 0])
            #expect(days.map(\.closed) == [0, 0, 1, 1])

            let pudong = try CaseQueriesTests.scope(app, .districtOperator, unit: "310115.operations_centre")
            let own = try await TrendQueries.daily(
                window, scope: pudong, regions: nil, reference: app.reference, on: app.db.sql())
            #expect(own.map(\.received) == [0, 0, 1, 0])
            // Narrowing to a region outside the scope shows nothing of it.
            let outside = try await TrendQueries.daily(
                window, scope: pudong, regions: app.reference.hierarchy.subtree(of: "310101"),
                reference: app.reference, on: app.db.sql())
            #expect(outside.map(\.received) == [0, 0, 0, 0])
        }
    }

    @Test func weeksAndTheLeagueCountWithinTheirSpan() async throws {
        try await TestApp.withApp { app, clock in
            _ = try await Self.windowCases(app)
            let city = try CaseQueriesTests.city(app)
            let today = CalendarDay(containing: clock.now)
            let weeks = try await TrendQueries.weekly(
                weeks: 3, today: today, scope: city, regions: nil, reference: app.reference, on: app.db.sql())
            #expect(weeks.map(\.monday.description) == ["2024-09-09", "2024-09-16", "2024-09-23"])
            let now = try #require(weeks.last)
            #expect(now.closed == TrendQueries.Tally(count: 2, kept: 1))
            #expect(now.received == TrendQueries.Tally(count: 4, kept: 3))
            #expect(now.onTimeRate == 50)
            #expect(now.firstDispatchRate == 75)
            #expect(weeks[0].onTimeRate == nil)

            let day = try #require(try ReportingWindow.parse(window: "today", from: nil, to: nil, today: today))
            let league = try await TrendQueries.league(day, scope: city, reference: app.reference, on: app.db.sql())
            #expect(league.received.isEmpty)
            #expect(league.closed == ["310101": TrendQueries.Tally(count: 1, kept: 1)])
            let week = try #require(try ReportingWindow.parse(window: "7d", from: nil, to: nil, today: today))
            let weekLeague = try await TrendQueries.league(
                week, scope: city, reference: app.reference, on: app.db.sql())
            #expect(weekLeague.received["310101"] == TrendQueries.Tally(count: 3, kept: 2))
            #expect(weekLeague.received["310115"] == TrendQueries.Tally(count: 1, kept: 1))
            #expect(weekLeague.closed["310101"] == TrendQueries.Tally(count: 2, kept: 1))

            // The city screen's league within the window: received, closed and rates of the window; open of now.
            var counts = try await CityScreenQueries.counts(
                scope: city, district: nil, measure: .onTime, reference: app.reference, on: app.db, now: clock.now)
            counts.count(within: weekLeague)
            let huangpu = try #require(counts.districts.first { $0.code == "310101" })
            #expect(
                (huangpu.total, huangpu.closed, huangpu.onTimeRate, huangpu.firstDispatchRate) == (3, 2, "50%", "67%"))
            #expect(huangpu.shade == 4)
            let jingan = try #require(counts.districts.first { $0.code == "310106" })
            #expect((jingan.total, jingan.onTimeRate) == (0, "—"))
        }
    }
}
