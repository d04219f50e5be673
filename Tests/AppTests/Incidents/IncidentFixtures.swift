import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// Operators and requests for the joint-incident tests: the 申崇线 terminal on 五洲大道 (Pudong), its district's
/// units, and one JSON request helper.
enum IncidentFixtures {
    /// The 申崇线 terminal on 五洲大道, approximate (WGS84).
    static let terminal = (lat: 31.3520, long: 121.6000)

    /// A JSON answer: status and body.
    struct Answer {
        var status: HTTPStatus
        var json: Any
        var text: String

        subscript(key: String) -> Any? { (json as? [String: Any])?[key] }
        var list: [[String: Any]] { json as? [[String: Any]] ?? [] }
        var errors: [[String: Any]] { (json as? [String: Any])?["errors"] as? [[String: Any]] ?? [] }
        var errorFields: [String] { errors.compactMap { $0["field"] as? String } }
    }

    @discardableResult
    static func send(
        _ app: Application, _ method: HTTPMethod, _ path: String, token: String, json: Any? = nil
    ) async throws -> Answer {
        var headers = HTTPHeaders.bearer(token)
        var body = ByteBuffer()
        if let json {
            headers.contentType = .json
            body = ByteBuffer(data: try JSONSerialization.data(withJSONObject: json))
        }
        var answer = Answer(status: .internalServerError, json: [:], text: "")
        try await app.testing().test(method, path, headers: headers, body: body) { res in
            answer.status = res.status
            answer.text = res.body.string
            answer.json = (try? JSONSerialization.jsonObject(with: Data(res.body.readableBytesView))) ?? [:]
        }
        return answer
    }

    /// The operators of the ferry story.
    struct Team {
        var city: String
        var pudong: String
        var transport: String
        var trafficPolice: String
        var weather: String
        var putuo: String
    }

    static func team(_ app: Application) async throws -> Team {
        Team(
            city: try await TestApp.login(
                app, username: "city.op", unit: "310000.operations_centre", role: .cityOperator),
            pudong: try await TestApp.login(
                app, username: "pudong.op", unit: "310115.operations_centre", role: .districtOperator),
            transport: try await TestApp.login(
                app, username: "pd.transport", unit: "310115.transport", role: .caseworker),
            trafficPolice: try await TestApp.login(
                app, username: "pd.traffic", unit: "310115.traffic_police", role: .caseworker),
            weather: try await TestApp.login(
                app, username: "sh.weather", unit: "310000.meteorology", role: .caseworker),
            putuo: try await TestApp.login(
                app, username: "putuo.op", unit: "310107.operations_centre", role: .districtOperator))
    }

    /// A ferry incident at the terminal declared by the city operator, lead the Pudong centre.
    static func ferryBody(level: String = "III") -> [String: Any] {
        [
            "type": "ferry_suspension", "level": level, "title": "申崇线停航，五洲大道旅客滞留",
            "area": [
                "region_codes": ["310115"], "point": ["lat": terminal.lat, "long": terminal.long], "radius_m": 3000,
            ],
            "lead_unit_code": "310115.operations_centre", "assisting_unit_codes": ["310000.transport"],
        ]
    }

    static func declareFerry(_ app: Application, token: String, level: String = "III") async throws -> Int {
        let answer = try await send(app, .POST, "/api/v1/incidents", token: token, json: ferryBody(level: level))
        #expect(answer.status == .created, "\(answer.text)")
        return answer["id"] as? Int ?? 0
    }
}
