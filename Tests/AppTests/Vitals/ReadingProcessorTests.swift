import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

/// The processing that follows stored readings on SQLite (``ReadingProcessor``, CityNet issue 11 §6): readings
/// committed above the watermark, as a server killed between a batch's commit and its processing leaves them, are
/// rolled up and evaluated from the table, once, and the watermark moves past them.
@Suite(.disabled(if: TestNodes.postgresURL != nil, "PostgreSQL evaluates in the ingestion transaction"))
struct ReadingProcessorTests {
    @Test func readingsLeftAboveTheWatermarkAreProcessedOnceFromTheTable() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await VitalsFixtures.token(app)
            try await VitalsFixtures.register(
                app, token: token,
                VitalsFixtures.sensor("gauge", kind: "ponding", attributes: [("waterDepth", "CMT")]))
            let t = VitalsTime.ms(TestApp.friday.addingTimeInterval(-600))
            // Stored behind the ingestion's back: nothing handed over, nothing processed yet.
            try await app.writeGate.exclusive { db in
                try await db.sql().raw(
                    """
                    INSERT INTO readings (sensor_id, attribute, observed_ms, received_ms, value) VALUES \
                    ('gauge', 'waterDepth', \(bind: t), \(bind: t), 4), \
                    ('gauge', 'waterDepth', \(bind: t + 60_000), \(bind: t), 22)
                    """
                ).run()
            }
            let sql = try #require(app.db as? any SQLDatabase)
            struct Count: Decodable { var n: Int }
            let before = try await sql.raw("SELECT COUNT(*) AS n FROM alarms").first(decoding: Count.self)?.n
            #expect(before == 0)
            try await app.readingProcessor.catchUp(app: app)
            #expect(try await VitalsFixtures.count(app, "alarms", where: "WHERE status = 'active'") == 1)
            #expect(try await VitalsFixtures.count(app, "cases") == 1)
            let mark = try await sql.raw("SELECT reading_id AS n FROM vitals_watermarks WHERE name = 'readings'")
                .first(decoding: Count.self)?.n
            let last = try await sql.raw("SELECT MAX(id) AS n FROM readings").first(decoding: Count.self)?.n
            #expect(mark == last)
            // Once processed, never again: a second catch-up adds nothing.
            try await app.readingProcessor.catchUp(app: app)
            #expect(try await VitalsFixtures.count(app, "alarms") == 1)
            let rollup = try await sql.raw("SELECT SUM(n) AS n FROM reading_rollups_hour").first(decoding: Count.self)?
                .n
            #expect(rollup == 2)
        }
    }

    /// A reading stored but not yet processed ends a feed's staleness as much as a processed one: the stale-feed
    /// sweep asks ``ReadingProcessor/hasUnprocessed(sensorID:on:)`` inside its write (review finding: the sweep
    /// raised a stale alarm for a feed whose reading sat above the watermark).
    @Test func aStoredButUnprocessedReadingCountsAsHeard() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await VitalsFixtures.token(app)
            for id in ["gauge", "other"] {
                try await VitalsFixtures.register(
                    app, token: token, VitalsFixtures.sensor(id, kind: "ponding", attributes: [("waterDepth", "CMT")]))
            }
            let t = VitalsTime.ms(TestApp.friday.addingTimeInterval(-600))
            try await app.writeGate.exclusive { db in
                try await db.sql().raw(
                    """
                    INSERT INTO readings (sensor_id, attribute, observed_ms, received_ms, value) VALUES \
                    ('gauge', 'waterDepth', \(bind: t), \(bind: t), 4)
                    """
                ).run()
            }
            let sql = try #require(app.db as? any SQLDatabase)
            #expect(try await ReadingProcessor.hasUnprocessed(sensorID: "gauge", on: sql))
            #expect(try await !ReadingProcessor.hasUnprocessed(sensorID: "other", on: sql))
            try await app.readingProcessor.catchUp(app: app)
            #expect(try await !ReadingProcessor.hasUnprocessed(sensorID: "gauge", on: sql))
        }
    }
}
