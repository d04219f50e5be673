import Fluent
import FluentSQLiteDriver
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SQLKit
import Testing
import Vapor

@testable import App

/// SQLite's read pool (issue #17: "two read connections with a 10 s wait", so one busy screen starved every other
/// reader): with ``SQLiteReadPool`` a read answers while other reads hold connections; with the stock driver (one
/// connection per event loop, as before) it waits for one of them.
///
/// Connections are held by reads that wait on a promise the test keeps, not by slow statements, so the order is
/// decided by the pool and not by how loaded the machine is (an earlier, timed version failed under the whole
/// suite's load: its tasks resumed tens of seconds late).
@Suite struct ReadPoolTests {
    /// Holds `held` connections of `configuration`'s pool (each a read inside `withConnection` that waits for the
    /// test; asked on the first event loop, or on each in turn), then asks `SELECT 1` on every event loop in turn. Returns whether each answered while the holds were
    /// still in place (within `patience`), then lets the holds go.
    static func readsWhileHeld(
        _ configuration: DatabaseConfigurationFactory, threads: Int, held: Int, onOneLoop: Bool, patience: TimeAmount
    ) async throws -> [Bool] {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
        let databases = Databases(threadPool: pool, on: group)
        databases.use(configuration, as: .sqlite)
        let logger = Logger(label: "read-pool-test")
        let loops = Array(group.makeIterator())
        func db(_ loop: any EventLoop) -> any Database { databases.database(logger: logger, on: loop)! }
        let release = group.next().makePromise(of: Void.self)
        let started = NIOLockedValueBox(0)
        var holds: [EventLoopFuture<Void>] = []
        for index in 0..<held {
            holds.append(
                db(loops[onOneLoop ? 0 : index % loops.count]).withConnection { connection in
                    (connection as! any SQLDatabase).execute(sql: SQLRaw("SELECT 1")) { _ in }.flatMap {
                        started.withLockedValue { $0 += 1 }
                        return release.futureResult
                    }
                })
        }
        // Every hold has its connection before the reads are asked (or the pool could not give that many).
        let deadline = ContinuousClock.now + .seconds(120)
        while started.withLockedValue({ $0 }) < min(held, 2), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        var answered: [Bool] = []
        for loop in loops {
            let read: EventLoopFuture<Void> = (db(loop) as! any SQLDatabase).execute(sql: SQLRaw("SELECT 1")) { _ in }
            // Whichever comes first, the answer or the end of `patience`, settles it (both run on `loop`).
            let settled = loop.makePromise(of: Bool.self)
            let open = NIOLockedValueBox(true)
            func settle(_ answered: Bool) {
                if open.withLockedValue({ was in
                    defer { was = false }; return was
                }) {
                    settled.succeed(answered)
                }
            }
            loop.scheduleTask(in: patience) { settle(false) }
            read.whenComplete { _ in settle(true) }
            answered.append(try await settled.futureResult.get())
        }
        release.succeed()
        for hold in holds { try? await hold.get() }
        await databases.shutdownAsync()
        try await pool.shutdownGracefully()
        try await group.shutdownGracefully()
        return answered
    }

    @Test func aReadAnswersWhileOtherReadsHoldConnections() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("readpool-\(UUID()).sqlite").path
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        let file = SQLiteConfiguration.file(path)
        let readers = AppConfig(storage: .sqliteFile(path)).sqliteReaders
        #expect(readers == 8)
        let pooled = DatabaseConfigurationFactory {
            SQLiteReadPool(file: file, connections: readers, timeout: .seconds(120))
        }
        // Six of eight connections held, all asked for on one event loop (which has four of its own): a read on
        // either loop answers, up to 60 s on a loaded machine. (A pool choosing only among the asking loop's
        // connections made the first loop's read wait.)
        #expect(
            try await Self.readsWhileHeld(pooled, threads: 1, held: 6, onOneLoop: true, patience: .seconds(60))
                == [true, true])
        // The stock driver as configured before (one connection per event loop): two held reads take both
        // connections, and a third read answers only after one is let go.
        let stock = try await Self.readsWhileHeld(
            .sqlite(file, connectionPoolTimeout: .seconds(120)), threads: 2, held: 2, onOneLoop: false,
            patience: .seconds(2))
        #expect(stock == [false, false])
    }
}
