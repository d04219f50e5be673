import Fluent
import FluentSQLiteDriver
import Foundation
import NIOPosix
import SQLKit
import Testing
import Vapor

@testable import App

/// SQLite's read pool (issue #17: "two read connections with a 10 s wait", so one busy screen starved every other
/// reader): with ``SQLiteReadPool`` a quick read answers while several slow reads run; with the stock driver (one
/// connection per event loop on a two-thread pool, as before) it waits for a slow one.
@Suite struct ReadPoolTests {
    /// A read that keeps SQLite busy for a while (counts to `n` in a recursive CTE; no table needed).
    static let slow =
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000) SELECT count(*) FROM c"

    /// Seconds the quick read (`SELECT 1`) took while `slowReads` slow reads ran, and the shortest slow read.
    static func quickRead(
        _ configuration: DatabaseConfigurationFactory, threads: Int, slowReads: Int
    ) async throws -> (quick: Double, slowest: Double, fastestSlow: Double) {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
        let databases = Databases(threadPool: pool, on: group)
        databases.use(configuration, as: .sqlite)
        let logger = Logger(label: "read-pool-test")
        func db() -> any SQLDatabase {
            // swift-format-ignore: NeverForceUnwrap
            databases.database(logger: logger, on: group.any())! as! any SQLDatabase
        }
        let result = try await withThrowingTaskGroup(of: (Bool, Double).self) { tasks in
            for _ in 0..<slowReads {
                tasks.addTask {
                    let start = Date()
                    _ = try await db().raw(SQLQueryString(Self.slow)).all()
                    return (false, Date().timeIntervalSince(start))
                }
            }
            try await Task.sleep(for: .milliseconds(150))  // the slow reads hold their connections
            tasks.addTask {
                let start = Date()
                _ = try await db().raw("SELECT 1").all()
                return (true, Date().timeIntervalSince(start))
            }
            var (quick, slowest, fastestSlow) = (0.0, 0.0, Double.infinity)
            for try await (isQuick, seconds) in tasks {
                if isQuick {
                    quick = seconds
                } else {
                    (slowest, fastestSlow) = (max(slowest, seconds), min(fastestSlow, seconds))
                }
            }
            return (quick, slowest, fastestSlow)
        }
        await databases.shutdownAsync()
        try await pool.shutdownGracefully()
        try await group.shutdownGracefully()
        return result
    }

    @Test func aQuickReadDoesNotWaitForSlowOnes() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("readpool-\(UUID()).sqlite").path
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        let file = SQLiteConfiguration.file(path)
        let pooled = DatabaseConfigurationFactory {
            SQLiteReadPool(
                file: file, connections: AppConfig(storage: .sqliteFile(path)).sqliteReaders, timeout: .seconds(60))
        }
        // Six slow reads on the pool of eight: the quick read has a connection and a thread of its own.
        let fast = try await Self.quickRead(pooled, threads: 1, slowReads: 6)
        print("bench read_pool_quick_read \(fast.quick * 1000) ms reference \(fast.fastestSlow * 1000) ms")
        #expect(
            fast.quick < fast.fastestSlow / 4, "quick read \(fast.quick) s beside slow reads of \(fast.fastestSlow) s")
        // The stock driver as it was configured before (one connection per event loop, two threads): the quick read
        // queues behind a slow one.
        let stock = try await Self.quickRead(
            .sqlite(file, connectionPoolTimeout: .seconds(60)), threads: 2, slowReads: 4)
        print("bench read_stock_quick_read \(stock.quick * 1000) ms reference \(stock.fastestSlow * 1000) ms")
        #expect(stock.quick > stock.fastestSlow / 4, "the stock driver's quick read waited (\(stock.quick) s)")
    }
}
