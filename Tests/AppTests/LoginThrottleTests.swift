import CityDomain
import Fluent
import Testing
import Vapor
import VaporTesting

@testable import App

/// Password guessing is throttled per username (Access.maxFailures in Access.failureWindow), on the API and in the
/// console alike; a console sign-in over another session ends that one.
@Suite struct LoginThrottleTests {
    static func apiLogin(_ app: Application, _ username: String, _ password: String) async throws -> TestingHTTPResponse
    {
        var response: TestingHTTPResponse?
        try await app.testing().test(
            .POST, "/api/v1/sessions",
            beforeRequest: { req in
                try req.content.encode(["username": username, "password": password])
            }, afterResponse: { response = $0 })
        return try #require(response)
    }

    @Test func tenFailuresLockTheUsernameForFifteenMinutes() async throws {
        try await TestApp.withApp { app, clock in
            _ = try await Access.createOperator(
                username: "pd.op", password: "correct horse 1", unitCode: "310115.operations_centre",
                role: .districtOperator, reference: app.reference, on: app.db, now: app.clock.now())
            for attempt in 1...Access.maxFailures {
                let res = try await Self.apiLogin(app, "pd.op", "wrong guess \(attempt)")
                #expect(res.status == .unauthorized)
                clock.advance(by: 10)
            }
            // Now even the right password is refused, without being checked, until the first failure is 15 min old.
            let locked = try await Self.apiLogin(app, "pd.op", "correct horse 1")
            #expect(locked.status == .tooManyRequests)
            #expect(locked.headers.first(name: .retryAfter) == String(15 * 60 - 100))
            #expect(locked.body.string.contains("too many failed sign-ins"))
            // Other usernames are not affected.
            let response1 = try await Self.apiLogin(app, "someone.else", "whatever 123")
            #expect(response1.status == .unauthorized)

            clock.advance(by: 15 * 60 - 100)
            let response2 = try await Self.apiLogin(app, "pd.op", "correct horse 1")
            #expect(response2.status == .ok)
            // Success clears the count: nine more mistakes are still allowed.
            let left = try await LoginFailure.query(on: app.db).filter(\.$username == "pd.op").count()
            #expect(left == 0)
        }
    }

    @Test func unknownUsernamesAreThrottledTheSameWay() async throws {
        try await TestApp.withApp { app, _ in
            for _ in 1...Access.maxFailures {
                let response3 = try await Self.apiLogin(app, "ghost", "nothing here 1")
                #expect(response3.status == .unauthorized)
            }
            let response4 = try await Self.apiLogin(app, "ghost", "nothing here 1")
            #expect(response4.status == .tooManyRequests)
        }
    }

    @Test func parallelAttemptsCountAgainstEachOther() async throws {
        try await TestApp.withApp { app, _ in
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for attempt in 0..<30 {
                    group.addTask { try await Self.apiLogin(app, "race.target", "guess number \(attempt)").status }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .unauthorized }.count <= Access.maxFailures)
            #expect(statuses.filter { $0 == .tooManyRequests }.count >= 30 - Access.maxFailures)
        }
    }

    @Test func namesNoAccountCanHaveAreNotStored() async throws {
        try await TestApp.withApp { app, _ in
            let response = try await Self.apiLogin(app, String(repeating: "x", count: 5000), "whatever 123")
            #expect(response.status == .unauthorized)
            let stored = try await LoginFailure.query(on: app.db).count()
            #expect(stored == 0)
        }
    }

    @Test func theConsoleSaysHowLongToWaitAndEndsTheSessionItReplaces() async throws {
        try await TestApp.withApp { app, _ in
            let first = try await ConsoleTests.signIn(
                app, username: "city.a", unit: "310000.operations_centre", role: .cityOperator)
            for _ in 1...Access.maxFailures { _ = try await Self.apiLogin(app, "city.b", "wrong guess 1") }
            var loginToken = ""
            try await app.testing().test(.GET, "/console/login") { res in
                loginToken = res.headers.setCookie?[ConsoleSession.loginCookie]?.string ?? ""
            }
            try await app.testing().test(
                .POST, "/console/login",
                beforeRequest: { req in
                    req.headers.cookie = [ConsoleSession.loginCookie: .init(string: loginToken)]
                    try req.content.encode(
                        ["username": "city.b", "password": "correct horse 1", "_csrf": loginToken], as: .urlEncodedForm)
                },
                afterResponse: { res in
                    #expect(res.status == .tooManyRequests)
                    #expect(res.headers.first(name: .retryAfter) != nil)
                    #expect(res.body.string.contains("该用户名登录失败次数过多，请 15 分钟后再试"))
                })
            // Signing in as someone else in the same browser ends the first session.
            _ = try await Access.createOperator(
                username: "city.c", password: "correct horse 1", unitCode: "310000.operations_centre",
                role: .cityOperator, reference: app.reference, on: app.db, now: app.clock.now())
            try await app.testing().test(
                .POST, "/console/login",
                beforeRequest: { req in
                    req.headers.cookie = [
                        ConsoleSession.loginCookie: .init(string: loginToken),
                        ConsoleSession.cookie: .init(string: String(first.dropFirst(ConsoleSession.cookie.count + 1))),
                    ]
                    try req.content.encode(
                        ["username": "city.c", "password": "correct horse 1", "_csrf": loginToken], as: .urlEncodedForm)
                }, afterResponse: { res in #expect(res.status == .seeOther) })
            try await app.testing().test(.GET, "/console", headers: ["Cookie": first]) { res in
                #expect(res.status == .seeOther)  // back to the login page
            }
        }
    }
}
