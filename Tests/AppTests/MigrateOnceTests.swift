import Testing
import Vapor
import VaporTesting

@testable import App

/// Several nodes migrate once: `citynet migrate` runs on the database, the nodes start with
/// `CITYNET_AUTO_MIGRATE=false`. Neither may fail to start on a database that was never migrated.
@Suite struct MigrateOnceTests {
    @Test func nodesThatDoNotMigrateStartOnAnEmptyDatabaseAndAreHealthyOnceItIsMigrated() async throws {
        if TestNodes.postgresURL != nil {
            try await TestNodes.with(2, migrateFirst: false) { nodes in try await Self.check(nodes) }
        } else {
            let app = try await Application.make(.testing)
            app.logger.logLevel = .error
            do {
                try await configure(
                    app, config: AppConfig(storage: .sqliteMemory, escalationInterval: nil, autoMigrate: false))
                try await Self.check([app])
            } catch {
                try await app.asyncShutdown()
                throw error
            }
            try await app.asyncShutdown()
        }
    }

    /// Every node answers `/health` with an error before the migration and 200 after it.
    private static func check(_ nodes: [Application]) async throws {
        for node in nodes {
            try await node.testing().test(.GET, "/health") { res in #expect(res.status != .ok) }
        }
        try await nodes[0].autoMigrate()  // what `citynet migrate` runs once the app is configured
        for node in nodes {
            try await node.testing().test(.GET, "/health") { res in #expect(res.status == .ok) }
        }
    }
}
