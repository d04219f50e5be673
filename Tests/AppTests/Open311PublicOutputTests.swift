import CityDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// What the public GeoReport v2 GET endpoints say, and what they never say.
@Suite struct Open311PublicOutputTests {
    static func json(_ res: TestingHTTPResponse) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(buffer: res.body))
    }

    @Test func discoveryNamesTheConfiguredServerNotTheHostHeader() async throws {
        try await TestApp.withApp { app, _ in
            app.http.server.configuration.hostname = "10.20.30.40"
            app.http.server.configuration.port = 8401
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: .host, value: "evil.example")
            try await app.testing().test(.GET, "/open311/v2/discovery.json", headers: headers) { res in
                #expect(res.status == .ok)
                #expect(!res.body.string.contains("evil"))
                let endpoints = (try Self.json(res) as? [String: Any])?["endpoints"] as? [[String: Any]]
                #expect(endpoints?.first?["url"] as? String == "http://10.20.30.40:8401/open311/v2")
            }
            try await app.testing().test(.GET, "/open311/v2/discovery.xml", headers: headers) { res in
                #expect(res.body.string.contains("<url>http://10.20.30.40:8401/open311/v2</url>"))
            }
            // A configured public URL wins over both.
            app.storage[AppConfigKey.self]?.publicURL = "https://12345.sh.gov.cn"
            try await app.testing().test(.GET, "/open311/v2/discovery.json", headers: headers) { res in
                let endpoints = (try Self.json(res) as? [String: Any])?["endpoints"] as? [[String: Any]]
                #expect(endpoints?.first?["url"] as? String == "https://12345.sh.gov.cn/open311/v2")
            }
        }
    }

    @Test func personalDataInFreeTextIsMaskedInPublicOutputButNotForOperators() async throws {
        try await TestApp.withApp { app, clock in
            let key = try await TestApp.apiKey(app)
            let description = "楼下饭店油烟扰民，我是业主王先生，电话138 1234 5678，身份证310101199003071234，邮箱wang.xs@example.com"
            let address = "南京东路街道某小区5号楼（联系021-64321234）"
            try await Open311IntakeTests.post(
                app,
                [
                    "api_key": key, "service_code": "noise.dog_barking", "lat": "31.2304", "long": "121.4737",
                    "description": description, "address_string": address, "phone": "13812345678",
                    "email": "wang.xs@example.com", "first_name": "小山", "last_name": "王",
                ]
            ) { res in #expect(res.status == .created) }
            clock.advance(by: 60)  // the default window ends now
            let report = try #require(try await Report.query(on: app.db).first())
            #expect(report.description as String? == description)  // stored as written
            let maskedDescription = "楼下饭店油烟扰民，我是业主王先生，电话138 **** 5678，身份证310101************，邮箱w***@example.com"
            let maskedAddress = "南京东路街道某小区5号楼（联系021-****1234）"
            for path in ["requests.json", "requests/\(report.id!).json"] {
                try await app.testing().test(.GET, "/open311/v2/\(path)") { res in
                    #expect(res.status == .ok)
                    let body = res.body.string
                    for secret in ["1234 5678", "13812345678", "19900307", "wang.xs", "64321234", "小山"] {
                        #expect(!body.contains(secret), "\(path) shows \(secret)")
                    }
                    let items = try Self.json(res) as? [[String: Any]]
                    #expect(items?.first?["description"] as? String == maskedDescription)
                    #expect(items?.first?["address"] as? String == maskedAddress)
                }
            }
            try await app.testing().test(.GET, "/open311/v2/requests/\(report.id!).xml") { res in
                #expect(res.body.string.contains("<description>\(maskedDescription)</description>"))
            }
            // Operators see the report as it was written.
            let caseID = try #require(report.caseID)
            let token = try await TestApp.login(
                app, username: "hp.centre", unit: "310101.operations_centre", role: .districtOperator)
            try await app.testing().test(.GET, "/api/v1/cases/\(caseID)", headers: .bearer(token)) { res in
                #expect(res.status == .ok)
                let detail = try res.content.decode(CaseDetailDTO.self)
                #expect(detail.reports.first?.description == description)
                #expect(detail.reports.first?.address == address)
            }
        }
    }

    @Test func updatesNameEveryStepInChinese() async throws {
        try await TestApp.withApp { app, clock in
            let key = try await TestApp.apiKey(app)
            try await Open311IntakeTests.post(
                app,
                [
                    "api_key": key, "service_code": "noise.dog_barking", "lat": "31.2304", "long": "121.4737",
                    "description": "夜里狗一直叫",
                ]
            ) { res in #expect(res.status == .created) }
            clock.advance(by: 60)
            try await app.testing().test(.GET, "/open311/v2/servicerequestupdates.json") { res in
                #expect(res.status == .ok)
                let updates = try Self.json(res) as? [[String: Any]] ?? []
                let descriptions = updates.compactMap { $0["description"] as? String }
                #expect(descriptions == ["受理 → 已受理", "立案 → 已立案", "派遣 → 已派遣"])
            }
        }
    }

    @Test func anUnknownJurisdictionIsA404OnEveryEndpointAndABlankOneIsNotSent() async throws {
        try await TestApp.withApp { app, clock in
            let key = try await TestApp.apiKey(app)
            var id = ""
            let fields = [
                "api_key": key, "service_code": "noise.dog_barking", "lat": "31.2304", "long": "121.4737",
                "description": "夜里狗一直叫", "jurisdiction_id": "  ",
            ]
            try await Open311IntakeTests.post(app, fields) { res in
                #expect(res.status == .created)  // blank: not sent (GeoReport v2 "Optional Arguments")
                id = (try Self.json(res) as? [[String: Any]])?.first?["service_request_id"] as? String ?? ""
            }
            clock.advance(by: 60)
            for path in [
                "discovery.xml", "services.xml", "services/noise.dog_barking.xml", "requests.xml", "requests/\(id).xml",
                "requests/\(id).json", "servicerequestupdates.xml",
            ] {
                try await app.testing().test(.GET, "/open311/v2/\(path)?jurisdiction_id=unknown") { res in
                    #expect(res.status == .notFound, "\(path)")
                }
                for blank in ["", "%20%20", "%09"] {
                    try await app.testing().test(.GET, "/open311/v2/\(path)?jurisdiction_id=\(blank)") { res in
                        #expect(res.status == .ok, "\(path) with '\(blank)'")
                    }
                }
                try await app.testing().test(.GET, "/open311/v2/\(path)?jurisdiction_id=%20310000") { res in
                    #expect(res.status == .ok, "\(path)")
                }
            }
            var unknown = fields
            unknown["jurisdiction_id"] = "unknown"
            try await Open311IntakeTests.post(app, unknown) { res in #expect(res.status == .notFound) }
        }
    }
}
