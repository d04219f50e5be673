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

    /// When (seconds after the slow reads began) the quick read (`SELECT 1`, asked 150 ms after them) and the first
    /// of `slowReads` slow reads finished, and how long the quick read took.
    static func quickRead(
        _ configuration: DatabaseConfigurationFactory, threads: Int, slowReads: Int
    ) async throws -> (quickEnd: Double, firstSlowEnd: Double, quick: Double) {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
        let databases = Databases(threadPool: pool, on: group)
        databases.use(configuration, as: .sqlite)
        let logger = Logger(label: "read-pool-test")
        func db() -> any SQLDatabase {
            databases.database(logger: logger, on: group.any())! as! any SQLDatabase
        }
        let begin = Date()
        let result = try await withThrowingTaskGroup(of: (Bool, Double, Double).self) { tasks in
            for _ in 0..<slowReads {
                tasks.addTask {
                    _ = try await db().raw(SQLQueryString(Self.slow)).all()
                    return (false, Date().timeIntervalSince(begin), 0)
                }
            }
            try await Task.sleep(for: .milliseconds(150))  // the slow reads hold their connections
            tasks.addTask {
                let start = Date()
                _ = try await db().raw("SELECT 1").all()
                return (true, Date().timeIntervalSince(begin), Date().timeIntervalSince(start))
            }
            var (quickEnd, firstSlowEnd, quick) = (0.0, Double.infinity, 0.0)
            for try await (isQuick, end, took) in tasks {
                if isQuick {
                    (quickEnd, quick) = (end, took)
                } else {
                    firstSlowEnd = min(firstSlowEnd, end)
                }
            }
            return (quickEnd, firstSlowEnd, quick)
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
        // Six slow reads on the pool of eight: the quick read has a connection and a thread of its own, so it is
        // done before any slow read (the order, not a duration: a loaded machine stretches both).
        let fast = try await Self.quickRead(pooled, threads: 1, slowReads: 6)
        print("bench read_pool_quick_read \(fast.quick * 1000) ms reference \(fast.firstSlowEnd * 1000) ms")
        #expect(
            fast.quickEnd < fast.firstSlowEnd,
            "quick read done at \(fast.quickEnd) s, first slow at \(fast.firstSlowEnd) s")
        // The stock driver as it was configured before (one connection per event loop, two threads): the quick read
        // queues behind a slow one.
        let stock = try await Self.quickRead(
            .sqlite(file, connectionPoolTimeout: .seconds(60)), threads: 2, slowReads: 4)
        print("bench read_stock_quick_read \(stock.quick * 1000) ms reference \(stock.firstSlowEnd * 1000) ms")
        #expect(stock.quickEnd >= stock.firstSlowEnd, "the stock driver's quick read waited for a slow one")
    }
}
