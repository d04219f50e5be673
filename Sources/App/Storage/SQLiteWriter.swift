import Fluent
import FluentSQLiteDriver
import NIOCore
import NIOPosix
import Vapor

/// The threads SQLite's writes run on: one event loop for the ``WriteGate`` and, for a database file, one SQLite
/// connection with its own blocking-I/O thread. A group commit is a handful of statements, each a hop to the I/O
/// thread and back; on threads of their own those hops do not queue behind HTTP work on the server's event loops,
/// which on a 2-core machine doubled the time a group took (measured with `citynet bench intake`).
///
/// An in-memory database (tests) cannot be opened twice, so its writes use the app's own connections and only
/// the gate's code runs on the writer's event loop.
final class SQLiteWriter: Sendable {
    /// The gate's executor.
    let loop: any EventLoop
    private let group: MultiThreadedEventLoopGroup
    private let threadPool: NIOThreadPool
    private let databases: Databases?

    /// - Parameter path: the database file, or nil for the app's in-memory database.
    init(path: String?) {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        loop = group.next()
        threadPool = NIOThreadPool(numberOfThreads: 1)
        threadPool.start()
        if let path {
            let databases = Databases(threadPool: threadPool, on: group)
            databases.use(.sqlite(.file(path)), as: .sqlite)
            databases.middleware.use(StoredDatesMiddleware())  // as on the app's databases
            self.databases = databases
        } else {
            databases = nil
        }
    }

    /// The writer's own connection for a database file; nil for an in-memory database.
    func database(logger: Logger) -> (any Database)? {
        databases?.database(logger: logger, on: loop)
    }

    /// Closes the connection, then stops the threads.
    func shutdown() async throws {
        await databases?.shutdownAsync()
        try await threadPool.shutdownGracefully()
        try await group.shutdownGracefully()
    }
}

extension Application {
    private struct SQLiteWriterKey: StorageKey { typealias Value = SQLiteWriter }

    /// Installs the SQLite writer and a write gate that runs on it; both shut down with the app.
    /// - Parameter path: the database file, or nil for an in-memory database.
    func useSQLiteWriter(path: String?) async {
        let writer = SQLiteWriter(path: path)
        await storage.setWithAsyncShutdown(SQLiteWriterKey.self, to: writer) { try await $0.shutdown() }
        let logger = logger
        writeGate = WriteGate(batching: true, loop: writer.loop) { [unowned self] in
            writer.database(logger: logger) ?? self.db
        }
    }
}
