import Fluent
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// Runs write transactions. On SQLite it serialises them through one queue, and consecutive intakes share one
/// transaction written with multi-row inserts (group commit): one fsync makes a whole group durable, and no
/// connection busy-waits on another's write lock. On PostgreSQL, which handles concurrent writers itself, each
/// transaction runs directly.
///
/// Every write of a running app goes through the gate (sign-in bookkeeping and sessions included): on SQLite a write
/// on another connection makes the gate's transactions, which read before they write, fail with "database is
/// locked" (`SignInFloodTests`). Migrations at start-up are the one exception.
///
/// A caller's `await` returns only after its rows are committed, so "answered" still means "durably stored".
/// The gate's own code runs on the event loop it is given (``SQLiteWriter``'s thread for SQLite).
actor WriteGate {
    typealias Work = @Sendable (any Database) async throws -> Void

    private enum Payload: Sendable {
        case intake(IntakeRowSet)
        /// `assignsIDs`: the work inserts into `cases` or `reports` itself.
        case exclusive(Work, assignsIDs: Bool)
        /// Shares one transaction and multi-row statements with the row batches queued beside it.
        case rows(RowBatch)
    }

    private struct Job: Sendable {
        let payload: Payload
        let continuation: CheckedContinuation<Void, any Error>
    }

    private let database: @Sendable () -> any Database
    private let batching: Bool
    private let loop: any EventLoop
    private var queue: [Job] = []
    private var draining = false
    /// The next free case and report ids, known after the first group; forgotten after a failure and after an
    /// exclusive job that inserts cases or reports, so that the next group reads them again. A write that bypassed
    /// the gate (another process) makes a group fail on a duplicate id; it is then retried with fresh ids.
    private var nextIDs: IntakeRows.NextIDs?
    /// At most this many intakes share one transaction.
    static let maxGroup = 64

    /// - Parameters:
    ///   - batching: true for SQLite (one serial writer, group commit), false to run each transaction directly.
    ///   - loop: the event loop the gate's queue runs on.
    ///   - database: the database to write to (read at each transaction, so it follows the app's pool).
    init(batching: Bool, loop: any EventLoop, database: @escaping @Sendable () -> any Database) {
        self.batching = batching
        self.loop = loop
        self.database = database
    }

    nonisolated var unownedExecutor: UnownedSerialExecutor { loop.executor.asUnownedSerialExecutor() }

    /// Stores one intake (case, report, audit events) and sets their ids; returns after the commit. If a shared
    /// transaction fails, each intake of the group is retried alone, so one bad intake fails only itself.
    nonisolated func intake(_ rows: IntakeRowSet) async throws {
        guard batching else {
            try await database().transaction { tx in try await IntakeRows.insert(rows, on: try tx.sql()) }
            return
        }
        try await enqueue(.intake(rows))
    }

    /// Runs `work` alone in its own transaction, in queue order with the other writes; returns after the commit.
    /// - Parameter assignsIDs: true when `work` inserts into `cases` or `reports` (the gate's id cache is then
    ///   refreshed).
    nonisolated func exclusive(assignsIDs: Bool = false, _ work: @escaping Work) async throws {
        guard batching else {
            try await database().transaction { try await work($0) }
            return
        }
        try await enqueue(.exclusive(work, assignsIDs: assignsIDs))
    }

    /// Inserts `rows` and returns after the commit. On SQLite the batches queued at the same time share one
    /// transaction and one multi-row statement per table (group commit: one fsync and a handful of statements for
    /// up to ``maxGroup``); if that fails, each batch is retried alone, so one bad batch (a duplicate key) fails only
    /// itself. On PostgreSQL it runs in its own transaction. `rows` must not go into `cases` or `reports`.
    nonisolated func insert(_ rows: RowBatch) async throws {
        guard batching else {
            try await database().transaction { tx in try await rows.insert(on: tx.sql()) }
            return
        }
        try await enqueue(.rows(rows))
    }

    /// Runs `work` as ``exclusive(assignsIDs:_:)`` does and returns its result.
    nonisolated func exclusive<T: Sendable>(
        assignsIDs: Bool = false, returning work: @escaping @Sendable (any Database) async throws -> T
    ) async throws -> T {
        let result = NIOLockedValueBox<T?>(nil)
        try await exclusive(assignsIDs: assignsIDs) { db in
            let value = try await work(db)
            result.withLockedValue { $0 = value }
        }
        guard let value = result.withLockedValue({ $0 }) else {
            throw Abort(.internalServerError, reason: "write finished without a result")
        }
        return value
    }

    private func enqueue(_ payload: Payload) async throws {
        try await withCheckedThrowingContinuation { continuation in
            queue.append(Job(payload: payload, continuation: continuation))
            if !draining {
                draining = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !queue.isEmpty {
            let job = queue.removeFirst()
            let db = database()
            switch job.payload {
            case .exclusive(let work, let assignsIDs):
                if assignsIDs { nextIDs = nil }
                do {
                    try await db.transaction { try await work($0) }
                    job.continuation.resume()
                } catch {
                    job.continuation.resume(throwing: error)
                }
            case .rows(let first):
                var group = [(first, job.continuation)]
                while group.count < Self.maxGroup, let next = queue.first, case .rows(let rows) = next.payload {
                    queue.removeFirst()
                    group.append((rows, next.continuation))
                }
                await RowBatch.write(group, on: db)
            case .intake(let first):
                var group = [(first, job.continuation)]
                while group.count < Self.maxGroup, let next = queue.first, case .intake(let rows) = next.payload {
                    queue.removeFirst()
                    group.append((rows, next.continuation))
                }
                await writeIntakes(group, on: db)
            }
        }
        draining = false
    }

    private func writeIntakes(
        _ group: [(IntakeRowSet, CheckedContinuation<Void, any Error>)], on db: any Database
    ) async {
        let cached = nextIDs
        do {
            let rows = group.map(\.0)
            nextIDs = try await insert(rows, after: cached, on: db)
            for (_, continuation) in group { continuation.resume() }
        } catch  where group.count > 1 || cached != nil {
            // One bad intake, or ids taken behind the gate's back: each intake again, alone, with fresh ids.
            nextIDs = nil
            for (rows, continuation) in group {
                do {
                    nextIDs = try await insert([rows], after: nil, on: db)
                    continuation.resume()
                } catch {
                    nextIDs = nil
                    continuation.resume(throwing: error)
                }
            }
        } catch {
            nextIDs = nil
            group[0].1.resume(throwing: error)
        }
    }

    /// One transaction for `rows`; returns the next free ids after it.
    private func insert(_ rows: [IntakeRowSet], after known: IntakeRows.NextIDs?, on db: any Database) async throws
        -> IntakeRows.NextIDs
    {
        try await db.transaction { tx in
            let sql = try tx.sql()
            var start = known
            if start == nil { start = try await IntakeRows.nextIDs(on: sql) }
            guard let start else { throw Abort(.internalServerError, reason: "no next ids") }
            return try await IntakeRows.insertGroup(rows, from: start, on: sql)
        }
    }
}

extension Database {
    /// This database as SQLKit's `SQLDatabase` (both of CityNet's drivers are SQL databases).
    /// - Throws: a 500 for a driver without SQL, which CityNet does not configure.
    func sql() throws -> any SQLDatabase {
        guard let sql = self as? any SQLDatabase else {
            throw Abort(.internalServerError, reason: "CityNet needs an SQL database")
        }
        return sql
    }
}

extension Application {
    private struct WriteGateKey: StorageKey { typealias Value = WriteGate }

    /// The app's write gate; installed by `configure`.
    var writeGate: WriteGate {
        get {
            storage.required(WriteGateKey.self)
        }
        set { storage[WriteGateKey.self] = newValue }
    }
}
