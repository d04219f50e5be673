import Fluent
import FluentSQLiteDriver
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SQLKit

/// The app's SQLite read connections for a database file: `connections` of them (rounded up to a multiple of the
/// event loops), each reading on its own thread
/// (issue #17: Vapor's SQLite driver keeps one connection per event loop — two on a 2-core machine — and runs them
/// on the app's small thread pool, so one slow screen made every other reader wait, and answer 500 after 10 s).
///
/// FluentSQLiteDriver ignores `maxConnectionsPerEventLoop` (always 1), so this configuration holds several of its
/// drivers — ⌈connections / event loops⌉, each one connection per event loop — on a thread pool of `connections`
/// threads, and runs each statement or transaction on the connection, of any event loop, that runs the fewest
/// statements at that moment (``Driver/take(_:)``; its answer comes back on the asking event loop). With WAL
/// (``configure(_:config:)``) readers never wait for the writer (``SQLiteWriter``) nor for each other, so a quick
/// read waits only when every connection is busy. (Choosing only among the asking event loop's connections let a
/// quick read wait behind slow ones while the other loop's connections were idle.) Size: `CITYNET_SQLITE_READERS`
/// (``AppConfig/sqliteReaders``).
struct SQLiteReadPool: DatabaseConfiguration {
    var middleware: [any AnyModelMiddleware] = []
    /// The database file (one value, so every driver opens the same file).
    let file: SQLiteConfiguration
    /// Read connections in all (≥ 1).
    let connections: Int
    /// How long a reader waits for a connection before the request fails.
    let timeout: TimeAmount

    func makeDriver(for databases: Databases) -> any DatabaseDriver {
        let loops = max(1, Array(databases.eventLoopGroup.makeIterator()).count)
        let perLoop = max(1, (connections + loops - 1) / loops)
        // One thread per connection (drivers × event loops, at least `connections`): the stock driver reads on its
        // `Databases`' thread pool, and a connection without a thread of its own would wait behind slow reads.
        let threads = NIOThreadPool(numberOfThreads: perLoop * loops)
        threads.start()
        let own = Databases(threadPool: threads, on: databases.eventLoopGroup)
        let drivers = (0..<perLoop).map { _ in
            DatabaseConfigurationFactory.sqlite(file, connectionPoolTimeout: timeout).make().makeDriver(for: own)
        }
        return Driver(drivers: drivers, threads: threads, loops: Array(databases.eventLoopGroup.makeIterator()))
    }

    /// Runs each statement (and each transaction) on the connection, of any event loop, that runs the fewest
    /// statements at that moment.
    final class Driver: DatabaseDriver, Sendable {
        let drivers: [any DatabaseDriver]
        let threads: NIOThreadPool
        /// The event loops whose connections the drivers hold (one connection per loop and driver).
        let loops: [any EventLoop]
        /// Statements running, per event loop and driver.
        private let running = NIOLockedValueBox([Slot: Int]())

        struct Slot: Hashable, Sendable {
            var loop: ObjectIdentifier
            var index: Int
        }

        init(drivers: [any DatabaseDriver], threads: NIOThreadPool, loops: [any EventLoop]) {
            self.drivers = drivers
            self.threads = threads
            self.loops = loops
        }

        func makeDatabase(with context: DatabaseContext) -> any Database {
            Reader(pool: self, context: context, first: drivers[0].makeDatabase(with: context) as! any SQLDatabase)
        }

        /// The least busy connection's database for `context` (the asking event loop's on a tie), counted as
        /// running one more statement until `release`. A connection of another event loop is reached through a
        /// context on that loop.
        func take(_ context: DatabaseContext) -> (slot: Slot, database: any Database & SQLDatabase) {
            let asking = ObjectIdentifier(context.eventLoop)
            let candidates = (loops.isEmpty ? [context.eventLoop] : loops).flatMap { loop in
                drivers.indices.map { (loop: loop, slot: Slot(loop: ObjectIdentifier(loop), index: $0)) }
            }
            let chosen = running.withLockedValue { running in
                let best = candidates.min { a, b in
                    let (countA, countB) = (running[a.slot, default: 0], running[b.slot, default: 0])
                    if countA != countB { return countA < countB }
                    return a.slot.loop == asking && b.slot.loop != asking
                }!
                running[best.slot, default: 0] += 1
                return best
            }
            let on =
                chosen.slot.loop == asking
                ? context
                : DatabaseContext(
                    configuration: context.configuration, logger: context.logger, eventLoop: chosen.loop,
                    history: context.history, pageSizeLimit: context.pageSizeLimit, shouldTrace: context.shouldTrace)
            return (chosen.slot, drivers[chosen.slot.index].makeDatabase(with: on) as! any Database & SQLDatabase)
        }

        func release(_ slot: Slot) {
            running.withLockedValue { $0[slot, default: 1] -= 1 }
        }

        func shutdown() {
            for driver in drivers { driver.shutdown() }
            try? threads.syncShutdownGracefully()
        }

        func shutdownAsync() async {
            for driver in drivers { await driver.shutdownAsync() }
            try? await threads.shutdownGracefully()
        }
    }

    /// The app's database: Fluent's and SQLKit's calls, each run on the connection ``Driver/take(_:)`` picks.
    struct Reader: Database, SQLDatabase {
        let pool: Driver
        let context: DatabaseContext
        /// A stock database of the same file, for what does not run a statement (dialect, version, logger).
        let first: any SQLDatabase

        var inTransaction: Bool { false }

        private func run<T>(_ work: (any Database & SQLDatabase) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
            let (slot, database) = pool.take(context)
            return work(database).always { _ in pool.release(slot) }.hop(to: context.eventLoop)
        }

        private func run<T>(_ work: (any Database & SQLDatabase) async throws -> T) async throws -> T {
            let (slot, database) = pool.take(context)
            defer { pool.release(slot) }
            return try await work(database)
        }

        func execute(
            query: DatabaseQuery, onOutput: @escaping @Sendable (any DatabaseOutput) -> Void
        ) -> EventLoopFuture<Void> {
            run { $0.execute(query: query, onOutput: onOutput) }
        }

        func execute(schema: DatabaseSchema) -> EventLoopFuture<Void> { run { $0.execute(schema: schema) } }

        func execute(enum: DatabaseEnum) -> EventLoopFuture<Void> { run { $0.execute(enum: `enum`) } }

        func transaction<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
            run { $0.transaction(closure) }
        }

        func withConnection<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<
            T
        > {
            run { $0.withConnection(closure) }
        }

        var logger: Logger { first.logger }
        var eventLoop: any EventLoop { first.eventLoop }
        var version: (any SQLDatabaseReportedVersion)? { first.version }
        var dialect: any SQLDialect { first.dialect }
        var queryLogLevel: Logger.Level? { first.queryLogLevel }

        func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void)
            -> EventLoopFuture<Void>
        {
            run { $0.execute(sql: query, onRow) }
        }

        func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
            try await run { try await $0.execute(sql: query, onRow) }
        }

        func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
            try await run { try await $0.withSession(closure) }
        }
    }
}
