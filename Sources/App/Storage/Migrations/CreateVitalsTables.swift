import Fluent
import SQLKit

/// City vital signs (CityNet issue 11): sensors, readings with per-minute and per-hour rollups, alarm rules with
/// their per-sensor state, alarms and their audit trail. Times of readings and alarms are integer milliseconds
/// since 1970 (`*_ms`), so keys and rollup buckets compare exactly on both databases.
///
/// Two invariants live in the database, not in Swift: one reading per (sensor, attribute, observed time)
/// (`readings_key`), and at most one active alarm per (sensor, rule) (`alarms_one_active`, a partial unique
/// index, which SQLite and PostgreSQL both support). Names are spelled out: this migration must never change when
/// the code does.
struct CreateVitalsTables: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("sensors")
            .field("id", .string, .identifier(auto: false))
            .field("kind", .string, .required)
            .field("name", .string, .required)
            .field("latitude", .double)
            .field("longitude", .double)
            .field("address", .string)
            .field("region_code", .string, .required)
            .field("locate_method", .string, .required)
            .field("unit_code", .string, .required)
            .field("attributes", .string, .required)
            .field("created_at_ms", .int64, .required)
            .field("updated_at_ms", .int64, .required)
            .field("last_observed_ms", .int64)
            .create()
        try await database.schema("readings")
            .field("id", .int64, .identifier(auto: true))
            .field("sensor_id", .string, .required)
            .field("attribute", .string, .required)
            .field("observed_ms", .int64, .required)
            .field("received_ms", .int64, .required)
            .field("value", .double, .required)
            .unique(on: "sensor_id", "attribute", "observed_ms", name: "readings_key")
            .create()
        for table in ["reading_rollups_minute", "reading_rollups_hour"] {
            try await database.schema(table)
                .field("sensor_id", .string, .required)
                .field("attribute", .string, .required)
                .field("bucket_ms", .int64, .required)
                .field("n", .int64, .required)
                .field("total", .double, .required)
                .field("min_value", .double, .required)
                .field("max_value", .double, .required)
                .unique(on: "sensor_id", "attribute", "bucket_ms", name: "\(table)_key")
                .create()
        }
        try await database.schema("alarm_rules")
            .field("code", .string, .identifier(auto: false))
            .field("name_zh", .string, .required)
            .field("name_en", .string, .required)
            .field("sensor_kind", .string, .required)
            .field("attribute", .string)
            .field("scope", .string, .required)
            .field("condition", .string, .required)
            .field("condition_value", .int64, .required)
            .field("raise_op", .string)
            .field("raise_value", .double)
            .field("clear_op", .string)
            .field("clear_value", .double)
            .field("severity", .string, .required)
            .field("gap_seconds", .int64, .required)
            .field("gap_policy", .string, .required)
            .field("category_code", .string)
            .field("enabled", .bool, .required)
            .create()
        try await database.schema("alarm_rule_states")
            .field("sensor_id", .string, .required)
            .field("rule_code", .string, .required)
            .field("active", .bool, .required)
            .field("run_start_ms", .int64)
            .field("run_count", .int64, .required)
            .field("last_observed_ms", .int64)
            .unique(on: "sensor_id", "rule_code", name: "alarm_rule_states_key")
            .create()
        try await database.schema("alarms")
            .field("id", .int64, .identifier(auto: true))
            .field("rule_code", .string, .required)
            .field("sensor_id", .string, .required)
            .field("status", .string, .required)
            .field("acknowledged", .bool, .required)
            .field("severity", .string, .required)
            .field("raised_at_ms", .int64, .required)
            .field("raised_value", .double)
            .field("processed_at_ms", .int64, .required)
            .field("cleared_at_ms", .int64)
            .field("cleared_value", .double)
            .field("cleared_by", .string)
            .field("acknowledged_at_ms", .int64)
            .field("acknowledged_by", .string)
            .field("case_id", .int)
            .field("report_id", .int)
            .create()
        try await database.schema("alarm_events")
            .field("id", .int64, .identifier(auto: true))
            .field("alarm_id", .int64, .required)
            .field("at_ms", .int64, .required)
            .field("action", .string, .required)
            .field("actor", .string, .required)
            .field("note", .string)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw(
            "CREATE UNIQUE INDEX alarms_one_active ON alarms (sensor_id, rule_code) WHERE status = 'active'"
        ).run()
        try await sql.create(index: "readings_observed_idx").on("readings").column("observed_ms").run()
        try await sql.create(index: "alarms_status_idx").on("alarms").column("status").column("raised_at_ms").run()
        try await sql.create(index: "alarm_events_alarm_idx").on("alarm_events").column("alarm_id").run()
        try await sql.create(index: "sensors_region_idx").on("sensors").column("region_code").run()
        try await seedRules(on: sql)
    }

    /// The default rules (CityNet issue 11 §3), as literal rows.
    private func seedRules(on sql: any SQLDatabase) async throws {
        let columns = [
            "code", "name_zh", "name_en", "sensor_kind", "attribute", "scope", "condition", "condition_value",
            "raise_op", "raise_value", "clear_op", "clear_value", "severity", "gap_seconds", "gap_policy",
            "category_code", "enabled",
        ]
        let null = SQLLiteral.null
        func b<T: Encodable & Sendable>(_ value: T) -> any SQLExpression { SQLBind(value) }
        let rows: [[any SQLExpression]] = [
            [
                b("bridge_deck_ice"), b("桥面结冰"), b("Bridge-deck ice"), b("road_surface"), b("surfaceTemperature"),
                b("city"), b("duration"), b(600), b("le"), b(2.0), b("ge"), b(3.0), b("major"), b(900), b("reset"),
                b("road.bridge_ice"), b(true),
            ],
            [
                b("road_ponding"), b("道路积水"), b("Road ponding"), b("ponding"), b("waterDepth"), b("city"),
                b("simple"), b(0), b("ge"), b(15.0), b("lt"), b(15.0), b("major"), b(900), b("reset"),
                b("road.ponding"), b(true),
            ],
            [
                b("pm25_grade2"), b("PM2.5超二级标准"), b("PM2.5 above grade II"), b("air_quality"), b("pm25"),
                b("city"), b("duration"), b(3600), b("gt"), b(75.0), b("le"), b(75.0), b("minor"), b(7200),
                b("reset"), null, b(true),
            ],
            [
                b("stale_road_surface"), b("桥面传感器数据中断"), b("Bridge-deck feed stale"), b("road_surface"), null,
                b("city"), b("stale"), b(1800), null, null, null, null, b("warning"), b(0), b("reset"), null,
                b(true),
            ],
        ]
        var insert = sql.insert(into: "alarm_rules").columns(columns)
        for row in rows { insert = insert.values(row) }
        try await insert.run()
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase {
            for index in [
                "alarms_one_active", "readings_observed_idx", "alarms_status_idx", "alarm_events_alarm_idx",
                "sensors_region_idx",
            ] {
                try await sql.drop(index: index).run()
            }
        }
        for table in [
            "alarm_events", "alarms", "alarm_rule_states", "alarm_rules", "reading_rollups_hour",
            "reading_rollups_minute", "readings", "sensors",
        ] {
            try await database.schema(table).delete()
        }
    }
}
