import CityDomain
import Foundation
import SQLKit
import Vapor

/// A sensor attribute's series over a range, at a step, with an aggregate, answered from the rollups: the hour
/// table for steps of whole hours, the minute rollups plus the raw readings still kept otherwise (CityNet issue 11
/// §1). Buckets are aligned to the
/// step from 1970-01-01T00:00Z; buckets with no reading are left out.
enum ReadingSeries {
    struct Query: Content {
        var attribute: String?
        var from: String?
        var to: String?
        var step: String?
        var aggregate: String?
    }

    enum Aggregate: String, CaseIterable, Sendable {
        case avg, min, max, sum, count
    }

    /// The most points one answer holds.
    static let maxPoints = 10_000

    struct Problem: Error {
        var message: String
    }

    struct Request: Sendable {
        var sensorID: String
        var attribute: String
        var unit: String
        var fromMS: Int64
        var toMS: Int64
        var stepMS: Int64
        var aggregate: Aggregate

        /// Checks a query: a known attribute, ISO 8601 `from` < `to`, `step` as `<n>m`, `<n>h` or `<n>d` (default
        /// `1h`), `aggregate` one of avg, min, max, sum, count (default avg), at most 10,000 points.
        init(_ query: Query, sensor: Sensor) throws(Problem) {
            guard let attribute = query.attribute, sensor.attributes[attribute] != nil else {
                throw Problem(message: "attribute must be one of the sensor's: \(sensor.attributes.keys.sorted())")
            }
            guard let fromText = query.from, let toText = query.to, let from = ReadingTime.parse(fromText),
                let to = ReadingTime.parse(toText), from < to
            else { throw Problem(message: "from and to must be ISO 8601 date-times with from < to") }
            let stepText = query.step ?? "1h"
            guard let match = stepText.wholeMatch(of: /([1-9][0-9]{0,3})([mhd])/), let count = Int64(match.1) else {
                throw Problem(message: "step must be <n>m, <n>h or <n>d with n 1…9999")
            }
            let width: Int64 = match.2 == "m" ? 60_000 : match.2 == "h" ? 3_600_000 : 86_400_000
            guard let aggregate = Aggregate(rawValue: query.aggregate ?? "avg") else {
                throw Problem(message: "aggregate must be one of avg, min, max, sum, count")
            }
            sensorID = sensor.id
            self.attribute = attribute
            unit = sensor.attributes[attribute] ?? ""
            stepMS = count * width
            fromMS = VitalsTime.ms(from) / stepMS * stepMS
            toMS = VitalsTime.ms(to)
            self.aggregate = aggregate
            guard (toMS - fromMS) / stepMS < Int64(ReadingSeries.maxPoints) else {
                throw Problem(message: "at most \(ReadingSeries.maxPoints) points; widen the step")
            }
        }
    }

    struct Point: Content, Equatable {
        var t: Date
        var value: Double
        var count: Int
    }

    struct SeriesDTO: Content, Equatable {
        var sensorID: String
        var attribute: String
        var unit: String
        var step: Int
        var aggregate: String
        /// `minute` or `hour`: the rollup the answer came from (`minute`: minute rollups and raw readings).
        var source: String
        var points: [Point]

        enum CodingKeys: String, CodingKey {
            case attribute, unit, aggregate, source, points
            case sensorID = "sensor_id", step = "step_seconds"
        }
    }

    /// The series: steps of whole hours from `reading_rollups_hour`; other steps from the minute rollups of
    /// readings past retention plus the raw readings still kept (each reading is in exactly one; see
    /// ``ReadingRollups``).
    static func answer(_ request: Request, on sql: any SQLDatabase) async throws -> SeriesDTO {
        let hourly = request.stepMS % ReadingRollups.hourMS == 0
        let step = request.stepMS
        let source: SQLQueryString
        if hourly {
            source = """
                SELECT bucket_ms AS b, n, total, min_value, max_value FROM reading_rollups_hour \
                WHERE sensor_id = \(bind: request.sensorID) AND attribute = \(bind: request.attribute) \
                AND bucket_ms >= \(bind: request.fromMS) AND bucket_ms < \(bind: request.toMS)
                """
        } else {
            // Readings whose minute starts before `to`: observed before `to` rounded up to a minute.
            let minute = ReadingRollups.minuteMS
            let end = (request.toMS + minute - 1) / minute * minute
            source = """
                SELECT bucket_ms AS b, n, total, min_value, max_value FROM reading_rollups_minute \
                WHERE sensor_id = \(bind: request.sensorID) AND attribute = \(bind: request.attribute) \
                AND bucket_ms >= \(bind: request.fromMS) AND bucket_ms < \(bind: request.toMS) \
                UNION ALL SELECT observed_ms AS b, 1 AS n, value AS total, value AS min_value, value AS max_value \
                FROM readings WHERE sensor_id = \(bind: request.sensorID) AND attribute = \(bind: request.attribute) \
                AND observed_ms >= \(bind: request.fromMS) AND observed_ms < \(bind: end)
                """
        }
        let rows = try await sql.raw(
            """
            SELECT (b / \(unsafeRaw: String(step))) * \(unsafeRaw: String(step)) AS t, CAST(SUM(n) AS BIGINT) AS n,
            SUM(total) AS total, MIN(min_value) AS min_value, MAX(max_value) AS max_value
            FROM (\(source)) AS parts
            GROUP BY (b / \(unsafeRaw: String(step))) * \(unsafeRaw: String(step)) ORDER BY t
            """
        ).all()
        let points = try rows.map { row -> Point in
            let n = try row.decode(column: "n", as: Int64.self)
            let total = try row.decode(column: "total", as: Double.self)
            let value: Double =
                switch request.aggregate {
                case .avg: total / Double(n)
                case .sum: total
                case .count: Double(n)
                case .min: try row.decode(column: "min_value", as: Double.self)
                case .max: try row.decode(column: "max_value", as: Double.self)
                }
            return Point(t: VitalsTime.date(try row.decode(column: "t", as: Int64.self)), value: value, count: Int(n))
        }
        return SeriesDTO(
            sensorID: request.sensorID, attribute: request.attribute, unit: request.unit, step: Int(step / 1000),
            aggregate: request.aggregate.rawValue, source: hourly ? "hour" : "minute", points: points)
    }
}
