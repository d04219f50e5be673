import CityDomain
import FluentKit
import NIOConcurrencyHelpers
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import App

/// A clock tests move by hand.
final class ManualClock: Sendable {
    private let box: NIOLockedValueBox<Date>
    init(_ start: Date) { box = NIOLockedValueBox(start) }
    var now: Date { box.withLockedValue { $0 } }
    func set(_ date: Date) { box.withLockedValue { $0 = date } }
    func advance(by seconds: TimeInterval) { box.withLockedValue { $0 = $0.addingTimeInterval(seconds) } }
}

/// Builds a real CityNet app for one test: in-memory SQLite by default, or its own schema on the PostgreSQL
/// server named by `TEST_DATABASE_URL` (loopback only), migrated and seeded exactly as `serve` does.
enum TestApp {
    /// 2024-09-27 10:00 +08:00, a Friday before the National Day holidays.
    static let friday = Timestamps.parse("2024-09-27T10:00:00+08:00")!

    /// The identity key of every test app (PostgreSQL refuses to start without one).
    static let identityKey = Data(repeating: 0x5A, count: 32)
    /// The e-licence key of every test app (PostgreSQL refuses to start without one).
    static let licenceKeys = "t1 " + Data(repeating: 0x4C, count: 32).base64EncodedString()
    /// The status-code key of every test app.
    static let statusCodeKeys = "s1 " + Data(repeating: 0x53, count: 32).base64EncodedString()

    /// - Parameter sqliteFile: run on this SQLite file instead of the default test database.
    /// - Parameter routerThreshold: ``AppConfig/routerThreshold``; tests of the triage queue pass 1 so that the
    ///   router never dispatches their deliberately vague calls.
    static func withApp(
        now: Date = TestApp.friday, sqliteFile: String? = nil, routerThreshold: Double? = nil,
        _ body: (Application, ManualClock) async throws -> Void
    ) async throws {
        let app = try await Application.make(.testing)
        // Each test app gets its own blocking-I/O threads (SQLite runs every statement there), as a server process
        // has. The shared default pool has one thread per core: with hundreds of tests starting at once on a 2-core
        // CI machine, one test's statement queued behind thousands of others' migrations, and a transaction held
        // its connection long enough that a request for it timed out (`connectionRequestTimeout`).
        app.threadPool = NIOThreadPool(numberOfThreads: 2)
        app.logger.logLevel = .warning
        let clock = ManualClock(now)
        app.clock = AppClock { clock.now }
        var schema: String?
        let storage: AppConfig.Storage
        if let sqliteFile {
            storage = .sqliteFile(sqliteFile)
        } else if let url = ProcessInfo.processInfo.environment["TEST_DATABASE_URL"], !url.isEmpty {
            let host = URLComponents(string: url)?.host ?? ""
            precondition(
                ["127.0.0.1", "localhost", "::1"].contains(host), "TEST_DATABASE_URL must be a loopback server")
            let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
            schema = String(name)
            storage = .postgres(url: url, searchPath: [String(name)])
        } else {
            storage = .sqliteMemory
        }
        do {
            var config = AppConfig(storage: storage, escalationInterval: nil)
            config.identityKey = identityKey
            config.licenceKeys = licenceKeys
            config.statusCodeKeys = statusCodeKeys
            config.routerThreshold = routerThreshold
            try await configure(app, config: config)
            try await body(app, clock)
        } catch {
            try await teardown(app, schema: schema)
            throw error
        }
        try await teardown(app, schema: schema)
    }

    /// Drops the test's schema and shuts the app down — always, even when the drop fails (a PostgreSQL out of
    /// connections): an app left running trips Vapor's deinit assertion and takes the whole test run down.
    private static func teardown(_ app: Application, schema: String?) async throws {
        var dropFailure: (any Error)?
        if let schema, let sql = app.db as? any SQLDatabase {
            do {
                try await sql.raw("DROP SCHEMA IF EXISTS \(ident: schema) CASCADE").run()
            } catch {
                dropFailure = error
            }
        }
        try await app.asyncShutdown()
        if let dropFailure { throw dropFailure }
    }

    /// Creates an operator and logs in; returns the bearer token.
    static func login(
        _ app: Application, username: String, unit: String, role: OperatorRole, password: String = "correct horse 1"
    ) async throws -> String {
        _ = try await Access.createOperator(
            username: username, password: password, unitCode: unit, role: role, reference: app.reference,
            on: app.db, now: app.clock.now())
        var token = ""
        try await app.testing().test(
            .POST, "/api/v1/sessions",
            beforeRequest: { req in
                try req.content.encode(["username": username, "password": password])
            },
            afterResponse: { res in
                #expect(res.status == .ok)
                token = try res.content.decode(SessionController.SessionDTO.self).token
            })
        return token
    }

    /// Creates an API key (for Open311 and the hotline unless `scopes` says otherwise) and returns its plaintext.
    static func apiKey(
        _ app: Application, name: String = "test client", scopes: Set<APIKeyScope> = [.open311, .hotline]
    ) async throws -> String {
        try await Access.createAPIKey(name: name, scopes: scopes, on: app.db, now: app.clock.now()).1
    }
}

extension HTTPHeaders {
    static func bearer(_ token: String) -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.bearerAuthorization = BearerAuthorization(token: token)
        return headers
    }
}
