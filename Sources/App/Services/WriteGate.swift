import Fluent
import Vapor

/// Runs write transactions. On SQLite it serialises them through one queue and lets concurrent intakes share a
/// transaction (group commit): one fsync makes a whole group durable, and no connection busy-waits on another's
/// write lock. On PostgreSQL, which handles concurrent writers itself, each transaction runs directly.
///
/// A caller's `await` returns only after its work is committed, so "answered" still means "durably stored".
actor WriteGate {
    typealias Work = @Sendable (any Database) async throws -> Void

    private struct Job {
        let work: Work
        /// Whether the job may share a transaction with others. Only jobs that can safely run again after a rolled
        /// back attempt (pure inserts whose inputs do not change) are shareable.
        let shareable: Bool
        let continuation: CheckedContinuation<Void, any Error>
    }

    private let database: @Sendable () -> any Database
    private let batching: Bool
    private var queue: [Job] = []
    private var draining = false
    /// At most this many jobs share one transaction.
    static let maxGroup = 64

    /// - Parameters:
    ///   - batching: true for SQLite (group commit through one queue), false to run each transaction directly.
    ///   - database: the database to write to (read at each transaction, so it follows the app's pool).
    init(batching: Bool, database: @escaping @Sendable () -> any Database) {
        self.batching = batching
        self.database = database
    }

    /// Runs `work` in a transaction that may be shared with other shareable jobs; returns after the commit.
    /// If the shared transaction fails, each job of the group is retried alone so one bad job fails only itself.
    func shared(_ work: @escaping Work) async throws {
        try await enqueue(work, shareable: true)
    }

    /// Runs `work` alone in its own transaction, in queue order with the others; returns after the commit.
    func exclusive(_ work: @escaping Work) async throws {
        try await enqueue(work, shareable: false)
    }

    private func enqueue(_ work: @escaping Work, shareable: Bool) async throws {
        guard batching else {
            try await database().transaction { try await work($0) }
            return
        }
        try await withCheckedThrowingContinuation { continuation in
            queue.append(Job(work: work, shareable: shareable, continuation: continuation))
            if !draining {
                draining = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !queue.isEmpty {
            var group = [queue.removeFirst()]
            if group[0].shareable {
                while group.count < Self.maxGroup, let next = queue.first, next.shareable {
                    group.append(queue.removeFirst())
                }
            }
            let db = database()
            let works = group.map(\.work)
            do {
                try await db.transaction { tx in
                    for work in works { try await work(tx) }
                }
                for job in group { job.continuation.resume() }
            } catch where group.count > 1 {
                for job in group {
                    do {
                        try await db.transaction { try await job.work($0) }
                        job.continuation.resume()
                    } catch {
                        job.continuation.resume(throwing: error)
                    }
                }
            } catch {
                group[0].continuation.resume(throwing: error)
            }
        }
        draining = false
    }
}

extension Application {
    private struct WriteGateKey: StorageKey { typealias Value = WriteGate }

    /// The app's write gate; installed by `configure`.
    var writeGate: WriteGate {
        get {
            guard let gate = storage[WriteGateKey.self] else { fatalError("writeGate used before configure(_:)") }
            return gate
        }
        set { storage[WriteGateKey.self] = newValue }
    }
}
