import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// Reading ingestion over HTTP (CityNet issue 11 §1, §6): idempotent per (sensor, attribute, observed time),
/// precise per-item errors that write nothing, rollups that take late readings, the series from rollups.
@Suite struct ReadingIngestTests {
    static let start = TestApp.friday

    @Test func badItemsGetPreciseErrorsAndWriteNothing() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await VitalsFixtures.token(app)
            try await VitalsFixtures.register(
                app, token: token, VitalsFixtures.sensor("aq", kind: "air_quality", attributes: [("pm25", "GQ")]))
            let t = Self.start.addingTimeInterval(-3600)
            let r = { (value: Any, offset: Double) in
                VitalsFixtures.reading("aq", "pm25", value, at: t.addingTimeInterval(offset))
            }
            var missing = r(1, 99)
            missing["observed_at"] = nil
            var badTime = r(1, 98)
            badTime["observed_at"] = "yesterday"
            let items: [[String: Any]] = [
                r(40, 0), r("NaN", 60), r("-Infinity", 120), r("inf", 180), r("1e999", 240), r("abc", 300),
                r(true, 360), r(NSNull(), 420), VitalsFixtures.reading("ghost", "pm25", 1, at: t),
                VitalsFixtures.reading("aq", "pm10", 1, at: t),
                VitalsFixtures.reading("aq", "pm25", 1, at: t.addingTimeInterval(480), unit: "mg/m3"),
                VitalsFixtures.reading("aq", "pm25", 1, at: Self.start.addingTimeInterval(301)),
                r(41, 0), missing, badTime, r("42.5", 540),
                VitalsFixtures.reading("aq", "pm25", 1, at: Self.start.addingTimeInterval(300), unit: "µg/m³"),
            ]
            let result = try await VitalsFixtures.batch(app, token: token, items)
            #expect(
                result.items.map { $0.error?.code ?? $0.status } == [
                    "accepted", "not_finite", "not_finite", "not_finite", "not_finite", "not_numeric",
                    "not_numeric", "missing_field", "unknown_sensor", "unknown_attribute", "unit_mismatch",
                    "in_future", "duplicate_in_batch", "missing_field", "bad_time", "accepted", "accepted",
                ])
            #expect(result.accepted == 3 && result.errors == 14 && result.duplicates == 0)
            #expect(try await VitalsFixtures.count(app, "readings") == 3)
            // A JSON number that overflows a double is refused for its item alone.
            let raw = """
                {"readings": [{"sensor_id": "aq", "attribute": "pm25", "value": 1e999, "observed_at": "2024-09-27T01:00:00Z"},
                {"sensor_id": "aq", "attribute": "pm25", "value": -1E+400, "observed_at": "2024-09-27T01:01:00Z"},
                {"sensor_id": "aq", "attribute": "pm25", "value": 7, "observed_at": "2024-09-27T01:02:00Z"}]}
                """
            try await VitalsFixtures.post(app, "/api/v1/readings/batch", token: token, raw: Data(raw.utf8)) { res in
                #expect(res.status == .ok, "\(res.body.string)")
                let codes = try res.content.decode(BatchResultDTO.self).items.map { $0.error?.code ?? $0.status }
                #expect(codes.count == 3 && codes[2] == "accepted" && !codes[0...1].contains("accepted"), "\(codes)")
            }
        }
    }

    @Test func aResendIsADuplicateAndAnotherValueIsAnErrorNeverASecondRow() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await VitalsFixtures.token(app)
            try await VitalsFixtures.register(
                app, token: token, VitalsFixtures.sensor("aq", kind: "air_quality", attributes: [("pm25", "GQ")]))
            let t = Self.start.addingTimeInterval(-600)
            let reading = VitalsFixtures.reading("aq", "pm25", 40, at: t)
            try await VitalsFixtures.post(app, "/api/v1/readings", token: token, json: reading) { res in
                #expect(res.status == .created, "\(res.body.string)")
            }
            try await VitalsFixtures.post(app, "/api/v1/readings", token: token, json: reading) { res in
                #expect(res.status == .ok)
                let item = try res.content.decode(ItemResultDTO.self)
                #expect(item.status == "duplicate")
            }
            try await VitalsFixtures.post(
                app, "/api/v1/readings", token: token, json: VitalsFixtures.reading("aq", "pm25", 41, at: t)
            ) { res in
                #expect(res.status == .conflict)
                #expect(res.body.string.contains("conflicts_with_stored"))
            }
            try await VitalsFixtures.post(
                app, "/api/v1/readings", token: token, json: VitalsFixtures.reading("aq", "pm25", "NaN", at: t)
            ) { res in
                #expect(res.status == .badRequest)
            }
            let batch = try await VitalsFixtures.batch(
                app, token: token, [reading, VitalsFixtures.reading("aq", "pm25", 39, at: t)])
            #expect(batch.items.map { $0.error?.code ?? $0.status } == ["duplicate", "duplicate_in_batch"])
            #expect(try await VitalsFixtures.count(app, "readings") == 1)
            #expect(try await VitalsFixtures.count(app, "reading_rollups_hour") == 1)
            try await app.testing().test(
                .GET,
                "/api/v1/sensors/aq/series?attribute=pm25&from=2024-09-27T00:00:00Z&to=2024-09-28T00:00:00Z&step=1h&aggregate=count",
                headers: .bearer(token)
            ) { res in
                let series = try res.content.decode(ReadingSeries.SeriesDTO.self)
                #expect(series.points.map(\.value) == [1], "a duplicate must not count twice in the rollup")
            }
        }
    }

    @Test func csvLinesAreIngestedPerLine() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await VitalsFixtures.token(app)
            try await VitalsFixtures.register(
                app, token: token, VitalsFixtures.sensor("p1", kind: "ponding", attributes: [("waterDepth", "CMT")]))
            let csv = """
                sensor_id,attribute,value,unit,observed_at
                p1,waterDepth,3.5,cm,2024-09-27T01:00:00Z
                p1,waterDepth,nan,cm,2024-09-27T01:01:00Z
                p1,waterDepth,4
                p1,waterDepth,4.5,,2024-09-27T01:02:00.250Z
                """
            try await VitalsFixtures.post(
                app, "/api/v1/readings/batch", token: token, raw: Data(csv.utf8),
                contentType: HTTPMediaType(type: "text", subType: "csv")
            ) { res in
                #expect(res.status == .ok, "\(res.body.string)")
                let result = try res.content.decode(BatchResultDTO.self)
                #expect(
                    result.items.map { $0.error?.code ?? $0.status } == [
                        "accepted", "not_finite", "missing_field", "accepted",
                    ])
            }
            // A body in which no line is a reading (JSON sent as CSV, as schemathesis did): 422, the same item list.
            try await VitalsFixtures.post(
                app, "/api/v1/readings/batch", token: token, raw: Data("{}".utf8),
                contentType: HTTPMediaType(type: "text", subType: "csv")
            ) { res in
                #expect(res.status == .unprocessableEntity, "\(res.body.string)")
                let result = try res.content.decode(BatchResultDTO.self)
                #expect(result.items.map { $0.error?.code } == ["missing_field"])
                #expect(result.accepted == 0 && result.errors == 1)
            }
            #expect(try await VitalsFixtures.count(app, "readings") == 2)
        }
    }

    @Test func lateReadingsLandInTheirBucketsAndTheSeriesComesFromRollups() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await VitalsFixtures.token(app)
            try await VitalsFixtures.register(
                app, token: token, VitalsFixtures.sensor("aq", kind: "air_quality", attributes: [("pm25", "GQ")]))
            let base = Timestamps.parse("2024-09-27T00:00:00Z")!
            // Hour 0: minutes 0…59 at 10; hour 1: minutes 0…29 at 20, sent first (out of order).
            let hour1 = (0..<30).map {
                VitalsFixtures.reading("aq", "pm25", 20, at: base.addingTimeInterval(3600 + Double($0) * 60))
            }
            let hour0 = (0..<60).map {
                VitalsFixtures.reading("aq", "pm25", 10, at: base.addingTimeInterval(Double($0) * 60))
            }
            try await VitalsFixtures.batch(app, token: token, hour1)
            try await VitalsFixtures.batch(app, token: token, hour0)
            // A late reading inside hour 0's minute 5.
            try await VitalsFixtures.batch(
                app, token: token, [VitalsFixtures.reading("aq", "pm25", 70, at: base.addingTimeInterval(330))])
            func series(_ query: String) async throws -> ReadingSeries.SeriesDTO {
                var result: ReadingSeries.SeriesDTO?
                try await app.testing().test(
                    .GET,
                    "/api/v1/sensors/aq/series?attribute=pm25&from=2024-09-27T00:00:00Z&to=2024-09-27T03:00:00Z&\(query)",
                    headers: .bearer(token)
                ) { res in
                    #expect(res.status == .ok, "\(res.body.string)")
                    result = try res.content.decode(ReadingSeries.SeriesDTO.self)
                }
                return try #require(result)
            }
            let hourly = try await series("step=1h&aggregate=avg")
            #expect(hourly.source == "hour" && hourly.unit == "GQ")
            #expect(hourly.points.map(\.count) == [61, 30])
            #expect(hourly.points.map(\.value) == [(600 + 70) / 61, 20])
            let maxima = try await series("step=1h&aggregate=max")
            #expect(maxima.points.map(\.value) == [70, 20])
            let fiveMinutes = try await series("step=5m&aggregate=sum")
            #expect(fiveMinutes.source == "minute" && fiveMinutes.points.count == 18)
            #expect(fiveMinutes.points[1].value == 120 && fiveMinutes.points[1].count == 6)
            try await app.testing().test(
                .GET, "/api/v1/sensors/aq/series?attribute=pm25&from=2024-09-27T00:00:00Z&to=2024-09-20T00:00:00Z",
                headers: .bearer(token)
            ) { res in #expect(res.status == .badRequest) }
        }
    }
}
