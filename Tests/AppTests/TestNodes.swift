import FluentPostgresDriver
import SQLKit
import Testing
import Vapor

@testable import App

/// Several CityNet apps on one database, as several `serve` nodes behind a load balancer: each on the same fresh
/// schema of the loopback PostgreSQL server named by `TEST_DATABASE_URL`.
enum TestNodes {
    /// `TEST_DATABASE_URL` when it names a loopback server, else nil (the run is on SQLite).
    static let postgresURL: String? = {
        guard let url = ProcessInfo.processInfo.environment["TEST_DATABASE_URL"], !url.isEmpty else { return nil }
        precondition(
            ["127.0.0.1", "localhost", "::1"].contains(URLComponents(string: url)?.host ?? ""),
            "TEST_DATABASE_URL must be a loopback server")
        return url
    }()

    /// Runs `body` with `count` apps configured on one fresh schema; shuts down those still running and drops the
    /// schema afterwards.
    /// - Parameter migrateFirst: whether the first app migrates the schema on start (`CITYNET_AUTO_MIGRATE`); the
    ///   others never do.
    static func with(
        _ count: Int, migrateFirst: Bool = true, _ body: ([Application]) async throws -> Void
    ) async throws {
        let url = try #require(postgresURL)
        let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        var nodes: [Application] = []
        func teardown() async throws {
            for node in nodes where !node.didShutdown { try await node.asyncShutdown() }
            let cleaner = try await Application.make(.testing)
            cleaner.logger.logLevel = .critical
            cleaner.databases.use(.postgres(configuration: try SQLPostgresConfiguration(url: url)), as: .psql)
            try await (cleaner.db as! any SQLDatabase).raw("DROP SCHEMA IF EXISTS \(ident: String(schema)) CASCADE")
                .run()
            try await cleaner.asyncShutdown()
        }
        do {
            for index in 0..<count {
                let node = try await Application.make(.testing)
                node.logger.logLevel = .error
                nodes.append(node)
                var config = AppConfig(
                    storage: .postgres(url: url, searchPath: [String(schema)]), escalationInterval: nil,
                    autoMigrate: migrateFirst && index == 0)
                config.identityKey = TestApp.identityKey
                config.licenceKeys = TestApp.licenceKeys
                config.statusCodeKeys = TestApp.statusCodeKeys
                try await configure(node, config: config)
            }
            try await body(nodes)
        } catch {
            try await teardown()
            throw error
        }
        try await teardown()
    }
}
