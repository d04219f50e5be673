import Foundation
import Logging
import NIOConcurrencyHelpers
import PostgresKit
import Vapor

/// The PostgreSQL ``TaskLease``: a session-level advisory lock (`pg_try_advisory_lock`) per loop, held on one
/// connection of its own, outside the app's pool, for as long as this node runs.
///
/// Why an advisory lock and not a lease row with an expiry: the lock belongs to the connection, so it is freed the
/// moment the node's process ends, however it ends (SIGKILL included: the kernel closes the socket and PostgreSQL
/// ends the session); it needs no table or migration, no clock shared by the nodes and no renewal writes; and a
/// long pass cannot outlive its lease, because the lock has no expiry to outrun. A lease row would also free the
/// lease of a process that hangs with its connections open; such a node fails `GET /health` and is restarted.
///
/// Bounds. A node whose process ends loses its leases at once; a node whose host or network goes silent loses them
/// within ``deadPeerSeconds`` (25 s: the session's TCP keepalives, `tcp_keepalives_idle` 10 s + 3 probes 5 s apart,
/// and `tcp_user_timeout` for unacknowledged data). Another node takes a freed lease at its next pass, at most one
/// loop interval later. The holder checks its connection (`SELECT 1`, at most ``checkSeconds``) before each pass
/// and runs none once it is gone: it then reconnects and competes again. Passes stay safe to overlap anyway (every
/// escalation and triage write is guarded by the row's version or state), so the lease saves duplicate work and
/// duplicate log lines rather than guarding correctness.
///
/// Lock keys are the 64-bit FNV-1a hash of `citynet.lease/<schema>/<loop name>`, so deployments (and test runs) in
/// different schemas of one database do not contend. The connection's `application_name` is
/// `citynet lease pid <pid>`, so `pg_locks` joined with `pg_stat_activity` shows which node holds what.
actor AdvisoryLease: TaskLease, LifecycleHandler {
    /// Seconds after which PostgreSQL ends the session of a node that went silent (and frees its locks).
    static let deadPeerSeconds = 25
    /// Longest wait for the lock query or the connection check before a pass; one that takes longer counts as a lost
    /// connection.
    static let checkSeconds: Int64 = 5

    private let configuration: SQLPostgresConfiguration
    private let eventLoop: any EventLoop
    private let logger: Logger
    /// The open connection (or the attempt to open one), shared by every loop of this node.
    private var connection: Task<Session, any Error>?
    /// Leases taken on the current connection.
    private var held: Set<String> = []
    /// Leases last seen held by another node (logged once per change).
    private var elsewhere: Set<String> = []
    private var closed = false

    /// One connection and what it was opened with.
    struct Session: Sendable {
        let connection: PostgresConnection
        /// `current_schema()` after the search path was set: part of every lock key.
        let schema: String
        /// The server process of the connection (`pg_backend_pid()`), for `pg_terminate_backend` in tests.
        let backendPID: Int32
    }

    /// - Parameters:
    ///   - configuration: the app's PostgreSQL configuration (its search path selects the schema).
    ///   - eventLoop: where the lock connection runs.
    ///   - logger: logs taking and losing leases.
    init(configuration: SQLPostgresConfiguration, eventLoop: any EventLoop, logger: Logger) {
        var configuration = configuration
        configuration.coreConfiguration.options.additionalStartupParameters += [
            ("application_name", "citynet lease pid \(ProcessInfo.processInfo.processIdentifier)"),
            ("tcp_keepalives_idle", "10"), ("tcp_keepalives_interval", "5"), ("tcp_keepalives_count", "3"),
            ("tcp_user_timeout", "\(Self.deadPeerSeconds * 1000)"),
        ]
        self.configuration = configuration
        self.eventLoop = eventLoop
        self.logger = logger
    }

    func hold(_ name: String) async -> Bool {
        guard !closed else { return false }
        let attempt = connect()
        do {
            let session = try await attempt.value
            if held.contains(name) {
                try await Self.withDeadline(session.connection) {
                    _ = try await session.connection.query("SELECT 1", logger: self.logger)
                }
                return true
            }
            let key = Self.key(schema: session.schema, name: name)
            let taken = try await Self.withDeadline(session.connection) {
                var taken = false
                let rows = try await session.connection.query(
                    "SELECT pg_try_advisory_lock(\(key))", logger: self.logger)
                for try await value in rows.decode(Bool.self) { taken = value }
                return taken
            }
            guard attempt == connection else { return false }  // the connection was replaced meanwhile
            if taken {
                held.insert(name)
                elsewhere.remove(name)
                logger.notice("lease taken: this node runs \(name)", metadata: ["lock_key": "\(key)"])
            } else if elsewhere.insert(name).inserted {
                logger.info("lease held by another node: \(name) runs there")
            }
            return taken
        } catch {
            await lose(attempt, error: error)
            return false
        }
    }

    /// The server process of the lock connection, once open (tests end it with `pg_terminate_backend`).
    var backendPID: Int32? {
        get async { try? await connection?.value.backendPID }
    }

    /// Closes the lock connection, which frees every lease of this node at once; no lease is taken afterwards.
    nonisolated func shutdownAsync(_ application: Application) async {
        await close()
    }

    private func close() async {
        closed = true
        if let connection { await lose(connection, error: nil) }
    }

    /// The current connection, opening one when there is none.
    private func connect() -> Task<Session, any Error> {
        if let connection { return connection }
        let (configuration, eventLoop, logger) = (configuration, eventLoop, logger)
        let task = Task {
            let connection = try await PostgresConnection.connect(
                on: eventLoop, configuration: configuration.coreConfiguration, id: 0, logger: logger)
            do {
                if let searchPath = configuration.searchPath {
                    try await connection.sql().raw("SET search_path TO \(idents: searchPath, joinedBy: ",")").run()
                }
                var schema = ""
                var backendPID: Int32 = 0
                let rows = try await connection.query(
                    "SELECT coalesce(current_schema(), ''), pg_backend_pid()", logger: logger)
                for try await (name, pid) in rows.decode((String, Int32).self) { (schema, backendPID) = (name, pid) }
                return Session(connection: connection, schema: schema, backendPID: backendPID)
            } catch {
                try? await connection.close()
                throw error
            }
        }
        connection = task
        held = []
        return task
    }

    /// Forgets `attempt` (if it is still the current connection) and every lease taken on it, and closes it.
    private func lose(_ attempt: Task<Session, any Error>, error: (any Error)?) async {
        guard attempt == connection else { return }
        connection = nil
        if let error {
            logger.warning(
                "lease connection lost: this node runs no background pass until it holds a lease again",
                metadata: ["leases": "\(held.sorted())", "error": "\(String(reflecting: error))"])
        }
        held = []
        elsewhere = []
        if let session = try? await attempt.value { try? await session.connection.close() }
    }

    /// Runs `body` on `connection`, or throws ``LeaseConnectionLost`` at once when the connection is closed and after
    /// ``checkSeconds`` when `body` has not finished (closing the connection then). PostgresNIO can leave a query
    /// sent on a connection the server has just ended waiting for ever, so the deadline does not rely on the query
    /// failing.
    private static func withDeadline<T: Sendable>(
        _ connection: PostgresConnection, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        guard !connection.isClosed else { throw LeaseConnectionLost() }
        let pending = NIOLockedValueBox<CheckedContinuation<T, any Error>?>(nil)
        let take: @Sendable () -> CheckedContinuation<T, any Error>? = {
            pending.withLockedValue { continuation in
                defer { continuation = nil }
                return continuation
            }
        }
        return try await withCheckedThrowingContinuation { continuation in
            pending.withLockedValue { $0 = continuation }
            let timer = Task {
                try await Task.sleep(for: .seconds(checkSeconds))
                guard let continuation = take() else { return }
                try? await connection.close()
                continuation.resume(throwing: LeaseConnectionLost())
            }
            Task {
                let result: Result<T, any Error>
                do { result = .success(try await body()) } catch { result = .failure(error) }
                timer.cancel()
                take()?.resume(with: result)
            }
        }
    }

    /// The advisory lock key of the lease `name` in `schema`: FNV-1a (64 bits) of `citynet.lease/<schema>/<name>`.
    static func key(schema: String, name: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "citynet.lease/\(schema)/\(name)".utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return Int64(bitPattern: hash)
    }
}

/// The lease connection closed, or did not answer within ``AdvisoryLease/checkSeconds``.
struct LeaseConnectionLost: Error, CustomStringConvertible {
    var description: String { "the lease connection is closed or did not answer in time" }
}
