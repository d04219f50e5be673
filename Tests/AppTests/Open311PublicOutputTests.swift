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
}
