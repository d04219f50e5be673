import CityDomain
import Fluent
import Testing
import Vapor

@testable import App

/// `serve --demo`: the bundled real messages go through the same intake as real calls, marked as demo places.
@Suite struct HotlineDemoTests {
    /// SplitMix64, so the drawn streets repeat from run to run.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func bundledMessagesAreLoaded() throws {
        let messages = try HotlineDemo.messages(path: nil)
        #expect(messages.count == 200)
        #expect(messages.allSatisfy { !$0.isEmpty && !$0.contains("_x000D_") })
        #expect(throws: (any Error).self) { try HotlineDemo.messages(path: "/no/such/file.csv") }
    }

    @Test func demoCallsAreStoredTriagedAndMarkedAsDemoPlaces() async throws {
        try await TestApp.withApp { app, clock in
            let messages = try HotlineDemo.messages(path: nil)
            var random = SeededGenerator(state: 42)
            let hierarchy = app.reference.hierarchy
            var outcomes: [String: Int] = [:]
            for index in 0..<30 {
                let call = HotlineDemo.call(
                    index, messages: messages, hierarchy: hierarchy, now: clock.now, random: &random)
                #expect(call.address?.hasSuffix(HotlineDemo.placeMark) == true)
                #expect(call.channel == HotlineChannel.allCases[index % HotlineChannel.allCases.count])
                let report = try await HotlineIntake.receive(
                    call, context: HotlineContext(app, now: clock.now, logger: app.logger))
                outcomes[report.triageState?.rawValue ?? "none", default: 0] += 1
                if report.triageState == .done {
                    // Located to the drawn street (its name is in the address), not to the corpus's anonymised places.
                    let region = try #require(report.regionCode.flatMap { hierarchy[$0] })
                    #expect(call.address?.contains(region.nameZh) == true)
                }
                clock.advance(by: 3)
            }
            #expect(try await Report.query(on: app.db).count() == 30)
            #expect(outcomes["pending"] == nil)
            #expect((outcomes["done"] ?? 0) >= 10, "\(outcomes)")
            #expect((outcomes["queued"] ?? 0) >= 1, "\(outcomes)")
        }
    }
}
