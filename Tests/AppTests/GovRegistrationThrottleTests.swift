import CityDomain
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// Registration attempts are throttled per client address like sign-in: probing whether identity numbers have
/// accounts stops after ``Access/maxFailures`` failed attempts inside ``Access/failureWindow``.
@Suite struct GovRegistrationThrottleTests {
    static func register(_ app: Application, number: String, _ check: (TestingHTTPResponse) throws -> Void)
        async throws
    {
        try await app.testing().test(
            .POST, "/api/v1/citizens",
            beforeRequest: { req in
                try req.content.encode([
                    "name": "李四", "identity_number": number, "phone": "13800138000", "password": "correct horse 1",
                ])
            },
            afterResponse: { res in try check(res) })
    }

    @Test func probingIdentityNumbersIsThrottledPerAddress() async throws {
        try await TestApp.withApp { app, clock in
            // Successful registrations do not count.
            for sequence in 0..<12 {
                try await Self.register(
                    app, number: GovFixtures.identityNumber(sequence: String(format: "%03d", sequence))
                ) {
                    #expect($0.status == .created)
                }
            }
            for _ in 0..<Access.maxFailures {
                try await Self.register(app, number: GovFixtures.identityNumber(sequence: "001")) {
                    #expect($0.status == .conflict)
                }
            }
            try await Self.register(app, number: GovFixtures.identityNumber(sequence: "001")) {
                #expect($0.status == .tooManyRequests)
                #expect($0.headers.first(name: "Retry-After") != nil)
            }
            try await Self.register(app, number: GovFixtures.identityNumber(sequence: "500")) {
                #expect($0.status == .tooManyRequests)
            }
            clock.set(clock.now.addingTimeInterval(Access.failureWindow + 1))
            try await Self.register(app, number: GovFixtures.identityNumber(sequence: "500")) {
                #expect($0.status == .created)
            }
        }
    }
}
