import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import App

/// Sensors and readings for the vital-signs tests: a bridge-deck sensor on 曹杨路桥 in Putuo's 曹杨新村街道, a
/// ponding gauge and an air-quality station.
enum VitalsFixtures {
    static func sensor(
        _ id: String, kind: String = "road_surface", attributes: [(String, String)] = [("surfaceTemperature", "CEL")],
        address: String = "曹杨新村街道曹杨路桥"
    ) -> [String: Any] {
        [
            "id": id, "kind": kind, "name": "曹杨路桥桥面 \(id)", "lat": 31.2455, "long": 121.4160,
            "address": address, "unit_code": "310107.road_maintenance",
            "attributes": attributes.map { ["name": $0.0, "unit": $0.1] },
        ]
    }

    static func post(
        _ app: Application, _ path: String, token: String, json: Any, contentType: HTTPMediaType = .json,
        _ check: (TestingHTTPResponse) throws -> Void
    ) async throws {
        let body = try JSONSerialization.data(withJSONObject: json)
        try await post(app, path, token: token, raw: body, contentType: contentType, check)
    }

    static func post(
        _ app: Application, _ path: String, token: String, raw: Data, contentType: HTTPMediaType = .json,
        _ check: (TestingHTTPResponse) throws -> Void
    ) async throws {
        var headers = HTTPHeaders.bearer(token)
        headers.contentType = contentType
        try await app.testing().test(.POST, path, headers: headers, body: ByteBuffer(data: raw)) { res in
            try check(res)
        }
    }

    static func register(_ app: Application, token: String, _ sensor: [String: Any]) async throws {
        try await post(app, "/api/v1/sensors", token: token, json: sensor) { res in
            #expect(res.status == .created, "\(res.body.string)")
        }
    }

    /// `2024-09-27T01:00:00.001Z`.
    static func isoMS(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    static func reading(_ sensor: String, _ attribute: String, _ value: Any, at date: Date, unit: String? = nil)
        -> [String: Any]
    {
        var item: [String: Any] = [
            "sensor_id": sensor, "attribute": attribute, "value": value, "observed_at": isoMS(date),
        ]
        if let unit { item["unit"] = unit }
        return item
    }

    @discardableResult
    static func batch(
        _ app: Application, token: String, _ readings: [[String: Any]], status: HTTPResponseStatus = .ok
    ) async throws -> BatchResultDTO {
        var result: BatchResultDTO?
        try await post(app, "/api/v1/readings/batch", token: token, json: ["readings": readings]) { res in
            #expect(res.status == status, "\(res.body.string)")
            result = try res.content.decode(BatchResultDTO.self)
        }
        return try #require(result)
    }

    static func alarms(_ app: Application, token: String, query: String = "") async throws -> [AlarmDTO] {
        var alarms: [AlarmDTO] = []
        try await app.testing().test(.GET, "/api/v1/alarms\(query)", headers: .bearer(token)) { res in
            #expect(res.status == .ok, "\(res.body.string)")
            alarms = try res.content.decode([AlarmDTO].self)
        }
        return alarms
    }

    /// Rows of `table` once every stored reading is processed (``ReadingProcessor``).
    static func count(_ app: Application, _ table: String, where clause: String = "") async throws -> Int {
        try await app.readingProcessor.catchUp(app: app)
        let sql = try #require(app.db as? any SQLDatabase)
        struct Count: Decodable { var n: Int }
        let row = try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table) \(unsafeRaw: clause)").first(
            decoding: Count.self)
        return row?.n ?? -1
    }

    static func token(_ app: Application) async throws -> String {
        try await TestApp.login(app, username: "vitals.op", unit: "310000.operations_centre", role: .cityOperator)
    }
}
