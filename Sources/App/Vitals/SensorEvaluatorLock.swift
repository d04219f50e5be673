import SQLKit

extension SQLDatabase {
    /// Takes the evaluator lock of sensor `id` until the end of the caller's transaction: on PostgreSQL a
    /// transaction-scoped advisory lock (`vitals:<id>`), so that only one transaction at a time reads, steps and
    /// writes back the sensor's rule states and alarms (ingestion, the staleness sweep, clearing by hand, a rule
    /// change). On SQLite nothing: the ``WriteGate`` already runs one write at a time. Callers taking several take
    /// them in sensor-id order, so two transactions never wait for each other in a cycle.
    /// - Throws: database errors.
    func lockSensorEvaluator(_ id: String) async throws {
        guard dialect.name == "postgresql" else { return }
        try await raw("SELECT pg_advisory_xact_lock(hashtext(\(bind: "vitals:" + id)))").run()
    }
}
