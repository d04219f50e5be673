import NIOConcurrencyHelpers
import Testing
import Vapor
import VaporTesting

@testable import App

/// The background loops (escalation sweep, hotline recovery, demo calls) share one runner.
@Suite struct PeriodicTaskTests {
    @Test func passesGoOnAfterAFailureAndStopAtShutdown() async throws {
        let app = try await Application.make(.testing)
        app.logger.logLevel = .critical
        let passes = NIOLockedValueBox<[Int]>([])
        app.lifecycle.use(
            PeriodicTask(name: "test loop", interval: 0.01, startsAtOnce: true) { _, number in
                passes.withLockedValue { $0.append(number) }
                if number == 0 { throw Abort(.internalServerError, reason: "the first pass fails") }
            })
        try await app.asyncBoot()
        // Wait (up to 10 s on a loaded machine) for the passes after the failing first one.
        for _ in 0..<1000 where passes.withLockedValue({ $0.count }) < 3 {
            try await Task.sleep(for: .milliseconds(10))
        }
        try await app.asyncShutdown()
        let seen = passes.withLockedValue { $0 }
        #expect(Array(seen.prefix(3)) == [0, 1, 2])  // numbered in order; the failure did not stop the loop
        try await Task.sleep(for: .milliseconds(100))
        #expect(passes.withLockedValue { $0 } == seen)  // nothing runs after shutdown
    }
}
