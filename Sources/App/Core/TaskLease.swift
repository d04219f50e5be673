import Vapor

/// Decides which node runs a background loop's pass (escalation sweep, hotline recovery, demo calls), so that
/// several `citynet serve` nodes on one database run each pass once, not once per node.
///
/// ``PeriodicTask`` asks before every pass; a node that does not hold the lease skips the pass and asks again one
/// interval later, so when the holder goes, another node takes over within one interval of the lease being freed.
/// On SQLite (one node by construction) the lease is always held (``SingleNodeLease``); on PostgreSQL it is a
/// session-level advisory lock (``AdvisoryLease``).
protocol TaskLease: Sendable {
    /// Whether this node holds the lease named `name` now, taking it when it is free.
    /// - Parameter name: the loop's name (``PeriodicTask/name``); one lease per name.
    /// - Returns: true when this node may run the pass. Never throws: a lease that cannot be checked (the database
    ///   is unreachable) is not held.
    func hold(_ name: String) async -> Bool
}

/// The lease of a single node (SQLite, or an app without a database): always held.
struct SingleNodeLease: TaskLease {
    func hold(_ name: String) async -> Bool { true }
}

extension Application {
    private struct TaskLeaseKey: StorageKey { typealias Value = any TaskLease }

    /// The leases of this node's background loops: the one `configure` installed for the database, else
    /// ``SingleNodeLease`` (an app with no database configured is one node).
    var taskLease: any TaskLease {
        get { storage[TaskLeaseKey.self] ?? SingleNodeLease() }
        set { storage[TaskLeaseKey.self] = newValue }
    }
}
