import AsyncHTTPClient
import CityDomain
import Fluent
import SQLKit
import Testing
import Vapor

@testable import App

/// Failed sign-ins are counted per username and client address, per address and per username (Access.maxFailures,
/// maxFailuresPerAddress, maxFailuresPerUsername), with the client address taken from `X-Forwarded-For` only
/// behind a trusted proxy: an attacker elsewhere cannot lock an operator out.
@Suite struct SignInAddressTests {
    /// Signs in over a real connection from 127.0.0.1, with `X-Forwarded-For: forwardedFor` when given.
    static func signIn(port: Int, _ username: String, _ password: String, forwardedFor: String? = nil) async throws
        -> (status: UInt, retryAfter: String?, body: String)
    {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/v1/sessions")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let forwardedFor { request.headers.add(name: "X-Forwarded-For", value: forwardedFor) }
        let body = try JSONEncoder().encode(["username": username, "password": password])
        request.body = .bytes(ByteBuffer(data: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
        let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
        return (response.status.code, response.headers.first(name: "Retry-After"), text)
    }

    /// Runs `body` with the app listening on a free port of 127.0.0.1, behind `trustedProxies`.
    static func withServer(
        trustedProxies: [String] = [], _ body: (Application, ManualClock, Int) async throws -> Void
    ) async throws {
        try await TestApp.withApp { app, clock in
            app.storage[AppConfigKey.self]?.trustedProxies = trustedProxies.compactMap(IPNetwork.init)
            _ = try await Access.createOperator(
                username: "pd.op", password: "correct horse 1", unitCode: "310115.operations_centre",
                role: .districtOperator, reference: app.reference, on: app.db, now: clock.now)
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            let port = try #require(app.http.server.shared.localAddress?.port)
            do {
                try await body(app, clock, port)
            } catch {
                await app.server.shutdown()
                throw error
            }
            await app.server.shutdown()
        }
    }

    @Test func anAttackerElsewhereLocksOnlyItselfOut() async throws {
        try await Self.withServer(trustedProxies: ["127.0.0.1"]) { app, clock, port in
            let attacker = "203.0.113.7"
            for attempt in 1...Access.maxFailures {
                let answer = try await Self.signIn(
                    port: port, "pd.op", "wrong guess \(attempt)", forwardedFor: attacker)
                #expect(answer.status == 401)
                clock.advance(by: 10)
            }
            // The attacker is refused even the right password, until its first failure is 15 minutes old.
            let locked = try await Self.signIn(port: port, "pd.op", "correct horse 1", forwardedFor: attacker)
            #expect(locked.status == 429)
            #expect(locked.retryAfter == String(15 * 60 - 100))
            #expect(locked.body.contains("too many failed sign-ins for this username"))
            // The operator at the centre signs in, and that does not clear the attacker's count.
            let centre = try await Self.signIn(port: port, "pd.op", "correct horse 1", forwardedFor: "198.51.100.20")
            #expect(centre.status == 200)
            let still = try await Self.signIn(port: port, "pd.op", "correct horse 1", forwardedFor: attacker)
            #expect(still.status == 429)
            #expect(try await LoginFailure.query(on: app.db).filter(\.$clientAddress == attacker).count() == 10)
            clock.advance(by: 15 * 60 - 100)
            let later = try await Self.signIn(port: port, "pd.op", "correct horse 1", forwardedFor: attacker)
            #expect(later.status == 200)
        }
    }

    @Test func aForwardedForFromAnUntrustedPeerIsIgnored() async throws {
        try await Self.withServer { app, _, port in
            // Each guess claims another address; without a trusted proxy they all count for the peer, 127.0.0.1.
            for attempt in 1...Access.maxFailures {
                let answer = try await Self.signIn(
                    port: port, "pd.op", "wrong guess \(attempt)", forwardedFor: "192.0.2.\(attempt)")
                #expect(answer.status == 401)
            }
            let locked = try await Self.signIn(port: port, "pd.op", "correct horse 1", forwardedFor: "192.0.2.99")
            #expect(locked.status == 429)
            let addresses = try await LoginFailure.query(on: app.db).all().map(\.clientAddress)
            #expect(Set(addresses) == ["127.0.0.1"])
        }
    }

    @Test func aTrustedProxyIsBelievedUpToTheRightmostUntrustedAddress() async throws {
        try await Self.withServer(trustedProxies: ["127.0.0.1", "10.0.0.0/8"]) { app, _, port in
            // The client writes any left-most entries it likes; the right-most untrusted one is its address.
            for attempt in 1...Access.maxFailures {
                let chain = "192.0.2.\(attempt), 203.0.113.7, 10.1.2.3"
                let answer = try await Self.signIn(port: port, "pd.op", "wrong guess \(attempt)", forwardedFor: chain)
                #expect(answer.status == 401)
            }
            let locked = try await Self.signIn(
                port: port, "pd.op", "correct horse 1", forwardedFor: "192.0.2.99, 203.0.113.7, 10.1.2.3")
            #expect(locked.status == 429)
            let other = try await Self.signIn(
                port: port, "pd.op", "correct horse 1", forwardedFor: "203.0.113.7, 203.0.113.8, 10.1.2.3")
            #expect(other.status == 200)
            let addresses = try await LoginFailure.query(on: app.db).all().map(\.clientAddress)
            #expect(Set(addresses) == ["203.0.113.7"])
        }
    }

    @Test func oneAddressTryingManyUsernamesIsThrottled() async throws {
        try await Self.withServer(trustedProxies: ["127.0.0.1"]) { app, clock, port in
            let sprayer = "203.0.113.9"
            // Earlier failures on other names from the same address (written as sign-ins write them), 5 s apart.
            let start = clock.now
            for index in 0..<(Access.maxFailuresPerAddress - 1) {
                try await LoginFailure(
                    username: "name.\(index)", clientAddress: sprayer, at: start.addingTimeInterval(Double(index) * 5)
                ).create(on: app.db)
            }
            clock.advance(by: 200)
            let last = try await Self.signIn(port: port, "another.name", "wrong guess 1", forwardedFor: sprayer)
            #expect(last.status == 401)
            let locked = try await Self.signIn(port: port, "pd.op", "correct horse 1", forwardedFor: sprayer)
            #expect(locked.status == 429)
            #expect(locked.retryAfter == String(15 * 60 - 200))
            #expect(locked.body.contains("too many failed sign-ins from this address"))
            // A name no account can have is refused too (and still not stored).
            let invalid = try await Self.signIn(port: port, "x", "wrong guess 1", forwardedFor: sprayer)
            #expect(invalid.status == 429)
            // Another address is not affected.
            let centre = try await Self.signIn(port: port, "pd.op", "correct horse 1", forwardedFor: "198.51.100.20")
            #expect(centre.status == 200)
        }
    }

    @Test func guessingSpreadOverManyAddressesMeetsTheUsernameCeiling() async throws {
        try await Self.withServer(trustedProxies: ["127.0.0.1"]) { app, clock, port in
            // NIST SP 800-63B §5.2.2: at most 100 failures per account, however many addresses send them.
            let start = clock.now
            for index in 0..<Access.maxFailuresPerUsername {
                try await LoginFailure(
                    username: "pd.op", clientAddress: "192.0.2.\(index / Access.maxFailures)",
                    at: start.addingTimeInterval(Double(index))
                ).create(on: app.db)
            }
            clock.advance(by: 300)
            let locked = try await Self.signIn(port: port, "pd.op", "correct horse 1", forwardedFor: "198.51.100.20")
            #expect(locked.status == 429)
            #expect(locked.retryAfter == String(15 * 60 - 300))
        }
    }

    /// The migration adds the column to a table that has rows without it, and its revert removes it again.
    @Test func failuresFromBeforeTheMigrationCountOnlyForTheUsername() async throws {
        try await TestApp.withApp { app, clock in
            try await app.db.withConnection { db in  // one connection: see APIKeyScopeTests
                try await UpdateLoginFailuresAddClientAddress().revert(on: db)
                let sql = try #require(db as? any SQLDatabase)
                for index in 0..<Access.maxFailures {
                    try await sql.raw(
                        """
                        INSERT INTO "login_failures" ("id", "username", "at")
                        VALUES (\(bind: UUID()), \(bind: "pd.op"), \(bind: clock.now.addingTimeInterval(Double(-index))))
                        """
                    ).run()
                }
                try await UpdateLoginFailuresAddClientAddress().prepare(on: db)
                let rows = try await LoginFailure.query(on: db).all()
                #expect(rows.count == Access.maxFailures && rows.allSatisfy { $0.clientAddress == nil })
                let throttle = try await Access.throttle(
                    username: "pd.op", address: "198.51.100.20", excluding: nil, on: db, now: clock.now)
                #expect(throttle == nil)
            }
        }
    }

    @Test func clientAddressesAreResolvedFromTheRightmostUntrustedHop() throws {
        let trusted = ["10.0.0.0/8", "2001:db8:ffff::/48"].compactMap(IPNetwork.init)
        func resolve(_ peer: String, _ chain: [String]) -> String? {
            ClientAddress.resolve(peer: IPAddress(peer), forwardedFor: chain, trusted: trusted)?.description
        }
        #expect(resolve("203.0.113.7", ["1.2.3.4"]) == "203.0.113.7")  // untrusted peer: its own address
        #expect(resolve("10.0.0.1", []) == "10.0.0.1")
        #expect(resolve("10.0.0.1", ["1.2.3.4, 203.0.113.7"]) == "203.0.113.7")
        #expect(resolve("10.0.0.1", ["1.2.3.4", "203.0.113.7, 10.9.9.9"]) == "203.0.113.7")  // two headers
        #expect(resolve("10.0.0.1", ["10.2.2.2, 10.3.3.3"]) == "10.2.2.2")  // all trusted: the left-most
        #expect(resolve("10.0.0.1", ["203.0.113.7, junk, 10.3.3.3"]) == "10.3.3.3")  // junk ends the walk
        #expect(resolve("10.0.0.1", ["[2001:db8::1]:443"]) == "2001:db8:0:0:0:0:0:1")
        #expect(resolve("10.0.0.1", ["203.0.113.7:5678"]) == "203.0.113.7")
        #expect(resolve("::ffff:10.0.0.1", ["203.0.113.7"]) == "203.0.113.7")  // IPv4-mapped peer
        #expect(resolve("2001:db8:ffff:1::2", ["198.51.100.1"]) == "198.51.100.1")
        #expect(IPAddress("2001:db8:1:2:3:4:5:6")?.throttleKey == "2001:db8:1:2:0:0:0:0/64")
        #expect(IPAddress("203.0.113.7")?.throttleKey == "203.0.113.7")
        #expect(IPNetwork("10.0.0.0/33") == nil)
        #expect(IPNetwork("10.0.0.0/+8") == nil)
        #expect(IPNetwork("example.org") == nil)
        #expect(IPNetwork("0.0.0.0/0")?.contains(IPAddress("203.0.113.7")!) == true)
        #expect(IPNetwork("0.0.0.0/0")?.contains(IPAddress("::1")!) == false)
        #expect(IPNetwork("192.168.4.0/22")?.contains(IPAddress("192.168.7.255")!) == true)
        #expect(IPNetwork("192.168.4.0/22")?.contains(IPAddress("192.168.8.0")!) == false)
    }

    @Test func trustedProxiesAreReadAndCheckedAtStart() throws {
        let config = try AppConfig.load(
            flags: .init(), environment: ["CITYNET_TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/8,::1"])
        #expect(config.trustedProxies.map(\.description) == ["127.0.0.1/32", "10.0.0.0/8", "0:0:0:0:0:0:0:1/128"])
        #expect(try AppConfig.load(flags: .init(), environment: [:]).trustedProxies.isEmpty)
        #expect(
            throws: ConfigError.invalid([
                "CITYNET_TRUSTED_PROXIES must be a comma list of IP addresses or CIDR networks, got 'nginx', '10.0.0.0/40'"
            ])
        ) {
            try AppConfig.load(flags: .init(), environment: ["CITYNET_TRUSTED_PROXIES": "nginx,10.0.0.0/40"])
        }
    }
}
