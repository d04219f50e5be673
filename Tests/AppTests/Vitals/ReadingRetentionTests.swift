import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

/// Raw-reading retention (CityNet issue 11 §1) on both databases: readings older than the period go, rollups stay,
/// newer readings stay; on PostgreSQL `readings` is partitioned by month and whole partitions are dropped, on
/// SQLite rows are deleted in bounded batches.
@Suite struct ReadingRetentionTests {
    static func at(_ text: String) -> Date { Timestamps.parse(text)! }

    @Test func oldReadingsGoRollupsStayAndALateReadingStillLands() async throws {
        try await TestApp.withApp { app, clock in
            let token = try await VitalsFixtures.token(app)
            try await VitalsFixtures.register(app, token: token, VitalsFixtures.sensor("deck"))
            var readings: [[String: Any]] = []
            for day in 0..<10 {
                readings.append(
                    VitalsFixtures.reading(
                        "deck", "surfaceTemperature", 8,
                        at: Self.at("2024-01-10T00:00:00Z").addingTimeInterval(Double(day) * 86_400)))
                readings.append(
                    VitalsFixtures.reading(
                        "deck", "surfaceTemperature", 9,
                        at: Self.at("2024-02-10T00:00:00Z").addingTimeInterval(Double(day) * 3600)))
            }
            readings.append(
                VitalsFixtures.reading("deck", "surfaceTemperature", 10, at: Self.at("2024-09-26T00:00:00Z")))
            #expect(try await VitalsFixtures.batch(app, token: token, readings).accepted == 21)
            let sql = try #require(app.db as? any SQLDatabase)
            let postgres = sql.dialect.name == "postgresql"
            struct Names: Decodable { var name: String }
            func partitions() async throws -> [String] {
                try await sql.raw(
                    """
                    SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid \
                    WHERE i.inhparent = 'readings'::regclass ORDER BY 1
                    """
                ).all(decoding: Names.self).map(\.name)
            }
            if postgres {
                #expect(try await partitions() == ["readings_p202401", "readings_p202402", "readings_p202409"])
            }
            // The series of the removed range at a step under an hour reads the raw readings now, their minute
            // rollups after the removal: the same points.
            func series() async throws -> [ReadingSeries.Point] {
                var points: [ReadingSeries.Point] = []
                try await app.testing().test(
                    .GET,
                    "/api/v1/sensors/deck/series?attribute=surfaceTemperature&from=2024-01-10T00:00:00Z&to=2024-02-11T00:00:00Z&step=30m&aggregate=sum",
                    headers: .bearer(token)
                ) { res in
                    #expect(res.status == .ok, "\(res.body.string)")
                    points = try res.content.decode(ReadingSeries.SeriesDTO.self).points
                }
                return points
            }
            let before = try await series()
            #expect(before.count == 20)
            #expect(try await VitalsFixtures.count(app, "reading_rollups_minute") == 0)

            // 200 days before 2024-09-27 is 2024-03-11: January and February are past.
            let removed = try await ReadingRetention.run(app: app, now: clock.now, days: 200, batch: 7)
            #expect(removed == (postgres ? 2 : 20))
            #expect(try await VitalsFixtures.count(app, "readings") == 1)
            #expect(try await VitalsFixtures.count(app, "reading_rollups_minute") == 20)
            #expect(try await series() == before)
            if postgres { #expect(try await partitions() == ["readings_p202409"]) }

            // A late reading of a dropped month is stored (its partition is made again).
            let late = VitalsFixtures.reading("deck", "surfaceTemperature", 7, at: Self.at("2024-01-25T00:00:00Z"))
            #expect(try await VitalsFixtures.batch(app, token: token, [late]).accepted == 1)
            #expect(try await VitalsFixtures.count(app, "readings") == 2)

            // Within the period nothing goes.
            #expect(try await ReadingRetention.run(app: app, now: clock.now, days: 400) == 0)
            #expect(try await VitalsFixtures.count(app, "readings") == 2)
        }
    }

    @Test func partitionMonthsAreUTCCalendarMonths() {
        let january = ReadingPartitions.month(of: VitalsTime.ms(Self.at("2024-01-31T23:59:59.999Z")))
        #expect(january.name == "readings_p202401")
        #expect(january.start == VitalsTime.ms(Self.at("2024-01-01T00:00:00Z")))
        #expect(january.end == VitalsTime.ms(Self.at("2024-02-01T00:00:00Z")))
        #expect(ReadingRetention.monthEnd("readings_p202412") == VitalsTime.ms(Self.at("2025-01-01T00:00:00Z")))
        #expect(ReadingRetention.monthEnd("readings") == nil)
    }
}
