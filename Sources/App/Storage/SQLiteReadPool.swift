import Fluent
import FluentSQLiteDriver
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// The app's SQLite read connections for a database file: `connections` of them, each reading on its own thread
/// (issue #17: Vapor's SQLite driver keeps one connection per event loop — two on a 2-core machine — and runs them
/// on the app's small thread pool, so one slow screen made every other reader wait, and answer 500 after 10 s).
///
/// FluentSQLiteDriver ignores `maxConnectionsPerEventLoop` (always 1), so this configuration holds several of its
/// drivers — ⌈connections / event loops⌉, each one connection per event loop — on a thread pool of `connections`
/// threads, and hands each new `Database` (each `req.db`, each `app.db`) to the next driver in turn. With WAL
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

    /// Round-robin over the stock drivers.
    final class Driver: DatabaseDriver, Sendable {
        let drivers: [any DatabaseDriver]
        let threads: NIOThreadPool
        private let turn = NIOLockedValueBox(0)

        init(drivers: [any DatabaseDriver], threads: NIOThreadPool) {
            self.drivers = drivers
            self.threads = threads
        }

        func makeDatabase(with context: DatabaseContext) -> any Database {
            let index = turn.withLockedValue { turn in
                defer { turn = (turn + 1) % drivers.count }
                return turn
            }
            return drivers[index].makeDatabase(with: context)
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
}
