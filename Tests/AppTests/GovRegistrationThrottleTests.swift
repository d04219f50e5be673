import CityDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// Registration never tells whether an identity number has an account (the same answer, the holder told in their
/// outbox), and every attempt is throttled per client address, with its own precise message and no city-wide
/// ceiling.
@Suite struct GovRegistrationThrottleTests {
    static func register(
        _ app: Application, number: String, password: String = "correct horse 1",
        _ check: (TestingHTTPResponse) throws -> Void
    ) async throws {
        try await app.testing().test(
            .POST, "/api/v1/citizens",
            beforeRequest: { req in
                try req.content.encode([
                    "name": "李四", "identity_number": number, "phone": "13800138000", "password": password,
                ])
            },
            afterResponse: { res in try check(res) })
    }

    @Test func aRegisteredNumberGetsTheSameAnswerAndItsHolderIsTold() async throws {
        try await TestApp.withApp { app, _ in
            let number = GovFixtures.identityNumber()
            var first = ""
            try await Self.register(app, number: number) { res in
                #expect(res.status == .accepted)
                first = res.body.string
            }
            try await Self.register(app, number: number, password: "another password 2") { res in
                #expect(res.status == .accepted)
                #expect(res.body.string == first)
                #expect(res.headers.first(name: .location) == nil)
            }
            #expect(try await Citizen.query(on: app.db).count() == 1)
            // Nothing changed: the holder's password still signs in, the other one does not.
            try await app.testing().test(
                .POST, "/api/v1/citizen-sessions",
                beforeRequest: { req in
                    try req.content.encode(["identity_number": number, "password": "another password 2"])
                },
                afterResponse: { res in #expect(res.status == .unauthorized) })
            let token = try await GovFixtures.signIn(app, number: number)
            try await GovFixtures.send(app, .GET, "/api/v1/me/notifications", token: token) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("\"kind\":\"registration_attempted\""), "\(res.body.string)")
            }
        }
    }

    @Test func everyAttemptIsThrottledPerAddress() async throws {
        try await TestApp.withApp { app, clock in
            // New numbers and a registered one count alike, so the throttle tells nothing either.
            for sequence in 0..<Access.maxFailures {
                try await Self.register(
                    app, number: GovFixtures.identityNumber(sequence: String(format: "%03d", sequence % 6))
                ) { #expect($0.status == .accepted, "\($0.body.string)") }
            }
            try await Self.register(app, number: GovFixtures.identityNumber(sequence: "500")) {
                #expect($0.status == .tooManyRequests)
                #expect($0.headers.first(name: "Retry-After") != nil)
                #expect($0.body.string.contains("too many registration attempts from this address; try again in"))
                #expect(!$0.body.string.contains("sign-ins"))
            }
            clock.set(clock.now.addingTimeInterval(Access.failureWindow + 1))
            try await Self.register(app, number: GovFixtures.identityNumber(sequence: "500")) {
                #expect($0.status == .accepted)
            }
        }
    }

    @Test func attemptsFromElsewhereNeverStopEveryone() async throws {
        try await TestApp.withApp { app, clock in
            // More registration attempts than the per-username ceiling, from many other addresses.
            try await app.writeGate.exclusive { db in
                for index in 0..<(Access.maxFailuresPerUsername + 5) {
                    try await LoginFailure(
                        username: CitizenAccess.registrationKey, clientAddress: "198.51.100.\(index % 200)",
                        at: clock.now
                    ).create(on: db)
                }
            }
            try await Self.register(app, number: GovFixtures.identityNumber()) {
                #expect($0.status == .accepted, "\($0.body.string)")
            }
        }
    }
}
