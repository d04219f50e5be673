import CityDomain
import Fluent
import Testing
import Vapor
import VaporTesting

@testable import App

/// A 12345 call in traditional script is dispatched like its simplified twin, and stored as the caller wrote it.
@Suite struct HotlineTraditionalScriptTests {
    @Test func aTraditionalCallIsDispatchedAndKeptVerbatim() async throws {
        try await TestApp.withApp { app, _ in
            let key = try await TestApp.apiKey(app)
            let text = "樓上裝修噪音擾民，每天早上七點就開始電鑽"
            let (status, dto, _) = try await HotlineAPITests.post(
                app, key: key, ["text": text, "address": "浦東新區北蔡鎮蓮溪路", "channel": "phone"])
            #expect(status == .created)
            #expect(dto?.triage?.outcome.code == "dispatched")
            #expect(dto?.triage?.categoryCode == "noise.renovation")
            #expect(dto?.triage?.regionCode == "310115105")  // 北蔡镇
            #expect(dto?.text == text)
            let report = try #require(try await Report.find(dto?.id, on: app.db))
            #expect(report.description as String? == text)
            #expect(report.address == "浦東新區北蔡鎮蓮溪路")
        }
    }
}
