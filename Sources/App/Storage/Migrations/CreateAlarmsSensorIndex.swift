import Fluent
import SQLKit

/// An index on `alarms (sensor_id, rule_code, raised_at_ms)`: a late reading's re-evaluation reads every alarm of one
/// (sensor, rule) in raise order, and `GET /api/v1/alarms?sensor_id=` one sensor's alarms; without it each read
/// scans every alarm ever raised. (The partial unique index `alarms_one_active` covers active alarms only.)
struct CreateAlarmsSensorIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "alarms_sensor_rule_idx").on("alarms")
            .column("sensor_id").column("rule_code").column("raised_at_ms").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "alarms_sensor_rule_idx").run()
    }
}
