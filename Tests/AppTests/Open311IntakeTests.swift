import CityDomain
import Fluent
import Testing
import Vapor
import VaporTesting

@testable import App

/// Open311 POST → report + case dispatched in one transaction; bad input refused in the right format with nothing
/// written.
@Suite struct Open311IntakeTests {
    /// People's Square, 黄浦区 (WGS84).
    static let peoplesSquare = (lat: 31.2304, long: 121.4737)

    static func form(_ fields: [String: String]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed)!)" }
            .joined(separator: "&")
    }

    static func post(
        _ app: Application, _ fields: [String: String], format: String = "json",
        _ check: @escaping (TestingHTTPResponse) async throws -> Void
    ) async throws {
        try await app.testing().test(
            .POST, "/open311/v2/requests.\(format)",
            beforeRequest: { req in
                req.headers.contentType = .urlEncodedForm
                req.body = ByteBuffer(string: form(fields))
            }, afterResponse: check)
    }

    @Test func postCreatesDispatchedCaseWithAuditTrail() async throws {
        try await TestApp.withApp { app, _ in
            let key = try await TestApp.apiKey(app)
            var requestID = ""
            try await Self.post(
                app,
                [
                    "api_key": key, "service_code": "noise.dog_barking", "lat": "31.2304", "long": "121.4737",
                    "address_string": "黄浦区南京东路街道某小区5号楼", "description": "夜里狗一直叫，影响休息",
                ]
            ) { res in
                #expect(res.status == .created)
                #expect(res.headers.contentType?.description.hasPrefix("application/json") == true)
                let body = try JSONSerialization.jsonObject(with: Data(buffer: res.body)) as? [[String: Any]]
                requestID = body?.first?["service_request_id"] as? String ?? ""
                #expect(!requestID.isEmpty)
            }
            let reports = try await Report.query(on: app.db).all()
            #expect(reports.count == 1)
            let cases = try await Case.query(on: app.db).all()
            #expect(cases.count == 1)
            let record = try #require(cases.first)
            #expect(reports.first?.caseID == record.id)
            #expect(record.state == .dispatched)
            #expect(record.regionCode == "310101002")  // 南京东路街道, refined from the address text
            #expect(record.unitCode == "310101002.police")  // dog barking at night → the street's police station
            let events = try await CaseEvent.query(on: app.db).sort(\.$id).all()
            // 12345/Open311 → 市城运中心 → 黄浦区城运中心 → the street's police station (a department: not via the street).
            #expect(events.map(\.action.rawValue) == ["accept", "register", "forward", "dispatch"])
            #expect(
                events.map(\.unitCode) == [
                    "310000.operations_centre", "310000.operations_centre", "310101.operations_centre",
                    "310101002.police",
                ])

            try await app.testing().test(.GET, "/open311/v2/requests/\(requestID).json") { res in
                #expect(!res.body.string.contains("extended_attributes"))  // only with extensions=true (mySociety)
            }
            try await app.testing().test(.GET, "/open311/v2/requests/\(requestID).xml?extensions=true") { res in
                #expect(res.status == .ok)
                let xml = res.body.string
                #expect(xml.contains("<service_request_id>\(requestID)</service_request_id>"))
                #expect(xml.contains("<status>open</status>"))
                #expect(xml.contains("<detailed_status>dispatched</detailed_status>"))
                #expect(xml.contains("<agency_responsible>南京东路派出所</agency_responsible>"))
                // Handle step 2 h continuous, overall 3 working days from Fri 2024-09-27 10:00:
                // Sun 09-29 (调休), Mon 09-30, Tue 10-08 → due 2024-10-08 24:00.
                #expect(xml.contains("<expected_datetime>2024-10-09T00:00:00+08:00</expected_datetime>"))
            }
        }
    }

    @Test func outsideShanghaiIsRefusedAndNothingIsWritten() async throws {
        try await TestApp.withApp { app, _ in
            let key = try await TestApp.apiKey(app)
            // Hangzhou West Lake.
            try await Self.post(
                app, ["api_key": key, "service_code": "road.ponding", "lat": "30.2590", "long": "120.1388"]
            ) { res in
                #expect(res.status == .badRequest)
                let body = try JSONSerialization.jsonObject(with: Data(buffer: res.body)) as? [[String: Any]]
                #expect(body?.first?["code"] as? Int == 400)
                #expect((body?.first?["description"] as? String)?.contains("outside") == true)
            }
            #expect(try await Report.query(on: app.db).count() == 0)
            #expect(try await Case.query(on: app.db).count() == 0)
        }
    }

    @Test func apiKeyIsRequiredAndChecked() async throws {
        try await TestApp.withApp { app, _ in
            try await Self.post(app, ["service_code": "road.ponding", "lat": "31.23", "long": "121.47"], format: "xml")
            { res in
                #expect(res.status == .forbidden)
                #expect(res.body.string.contains("<errors>"))
                #expect(res.body.string.contains("<code>403</code>"))
            }
            try await Self.post(
                app, ["api_key": "not-a-key", "service_code": "road.ponding", "lat": "31.23", "long": "121.47"]
            ) { res in
                #expect(res.status == .forbidden)
                #expect(res.body.string.contains("invalid api_key"))
            }
            #expect(try await Report.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: [
        (["service_code": "no.such.code", "lat": "31.23", "long": "121.47"], "unknown service_code"),
        (["service_code": "noise", "lat": "31.23", "long": "121.47"], "group of categories"),
        (["service_code": "road.ponding"], "location is required"),
        (["service_code": "road.ponding", "lat": "abc", "long": "121.47"], "lat"),
        (
            [
                "service_code": "road.ponding", "lat": "31.23", "long": "121.47",
                "description": "<script>alert(1)</script>",
            ], "markup"
        ),
        (
            [
                "service_code": "road.ponding", "lat": "31.23", "long": "121.47",
                "description": String(repeating: "水", count: 4001),
            ], "4001"
        ),
        (
            ["service_code": "road.ponding", "lat": "31.23", "long": "121.47", "description": "bad\u{0007}bell"],
            "control character"
        ),
    ])
    func badInputGetsPrecise400(fields: [String: String], expected: String) async throws {
        try await TestApp.withApp { app, _ in
            var all = fields
            all["api_key"] = try await TestApp.apiKey(app)
            try await Self.post(app, all) { res in
                #expect(res.status == .badRequest)
                #expect(res.body.string.contains(expected), "\(res.body.string)")
            }
            #expect(try await Report.query(on: app.db).count() == 0)
            #expect(try await Case.query(on: app.db).count() == 0)
        }
    }

    @Test func sqlLookingTextIsStoredVerbatim() async throws {
        try await TestApp.withApp { app, _ in
            let key = try await TestApp.apiKey(app)
            let text = "Robert'); DROP TABLE cases;-- 路面积水"
            try await Self.post(
                app,
                [
                    "api_key": key, "service_code": "road.ponding", "lat": "31.2304", "long": "121.4737",
                    "description": text,
                ]
            ) { res in
                #expect(res.status == .created)
            }
            #expect(try await Report.query(on: app.db).first()?.description == text)
            #expect(try await Case.query(on: app.db).count() == 1)
        }
    }

    @Test func servicesAndDefinitions() async throws {
        try await TestApp.withApp { app, _ in
            try await app.testing().test(.GET, "/open311/v2/services.xml") { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("<service_code>noise.construction</service_code>"))
                #expect(!res.body.string.contains("<service_code>noise</service_code>"))
            }
            try await app.testing().test(.GET, "/open311/v2/services/parking.fire_lane.json") { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("\"service_code\""))
            }
            try await app.testing().test(.GET, "/open311/v2/services/nope.json") { res in
                #expect(res.status == .notFound)
                #expect(res.body.string.contains("unknown service_code"))
            }
            try await app.testing().test(
                .GET, "/open311/v2/requests.json?start_date=2024-01-01T00:00:00Z&end_date=2024-06-01T00:00:00Z"
            ) { res in
                #expect(res.status == .badRequest)
                #expect(res.body.string.contains("90"))
            }
            try await app.testing().test(.GET, "/open311/v2/nothing/here.json") { res in
                #expect(res.status == .notFound)
                #expect(res.body.string.hasPrefix("["))
            }
        }
    }
}
