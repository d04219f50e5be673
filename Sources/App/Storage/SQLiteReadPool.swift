import Fluent
import FluentSQLiteDriver
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SQLKit

/// The app's SQLite read connections for a database file: `connections` of them, each reading on its own thread
/// (issue #17: Vapor's SQLite driver keeps one connection per event loop — two on a 2-core machine — and runs them
/// on the app's small thread pool, so one slow screen made every other reader wait, and answer 500 after 10 s).
///
/// FluentSQLiteDriver ignores `maxConnectionsPerEventLoop` (always 1), so this configuration holds several of its
/// drivers — ⌈connections / event loops⌉, each one connection per event loop — on a thread pool of `connections`
/// threads, and runs each statement or transaction on the driver whose connection on the asking event loop runs the
/// fewest statements at that moment (``Driver/take(_:)``). With WAL
/// (``configure(_:config:)``) readers never wait for the writer (``SQLiteWriter``) nor for each other, so a quick
/// read waits only when every connection of its event loop is busy. Size: `CITYNET_SQLITE_READERS`
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
        let threads = NIOThreadPool(numberOfThreads: connections)
        threads.start()
        // The stock driver reads on its `Databases`' thread pool: hand it one of `connections` threads.
        let own = Databases(threadPool: threads, on: databases.eventLoopGroup)
        let loops = max(1, Array(databases.eventLoopGroup.makeIterator()).count)
        let drivers = (0..<max(1, (connections + loops - 1) / loops)).map { _ in
            DatabaseConfigurationFactory.sqlite(file, connectionPoolTimeout: timeout).make().makeDriver(for: own)
        }
        return Driver(drivers: drivers, threads: threads)
    }

    /// Runs each statement (and each transaction) on the stock driver whose connection on the asking event loop runs
    /// the fewest statements at that moment.
    final class Driver: DatabaseDriver, Sendable {
        let drivers: [any DatabaseDriver]
        let threads: NIOThreadPool
        /// Statements running, per event loop and driver.
        private let running = NIOLockedValueBox([Slot: Int]())

        struct Slot: Hashable, Sendable {
            var loop: ObjectIdentifier
            var index: Int
        }

        init(drivers: [any DatabaseDriver], threads: NIOThreadPool) {
            self.drivers = drivers
            self.threads = threads
        }

        func makeDatabase(with context: DatabaseContext) -> any Database {
            Reader(pool: self, context: context, first: drivers[0].makeDatabase(with: context) as! any SQLDatabase)
        }

        /// The least busy driver's database for `context`, counted as running one more statement until `release`.
        func take(_ context: DatabaseContext) -> (slot: Slot, database: any Database & SQLDatabase) {
            let loop = ObjectIdentifier(context.eventLoop)
            let slot = running.withLockedValue { running in
                let index = drivers.indices.min {
                    running[Slot(loop: loop, index: $0), default: 0] < running[Slot(loop: loop, index: $1), default: 0]
                }
                let slot = Slot(loop: loop, index: index ?? 0)
                running[slot, default: 0] += 1
                return slot
            }
            return (slot, drivers[slot.index].makeDatabase(with: context) as! any Database & SQLDatabase)
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
            return work(database).always { _ in pool.release(slot) }
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
