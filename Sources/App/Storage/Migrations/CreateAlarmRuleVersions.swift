import Fluent
import SQLKit

/// Versioned, audited alarm rules (CityNet issue 11 §3, the rule edit API): `alarm_rules.version` (1 for every rule
/// so far, one more on every change), `alarms.rule_version` (the version an alarm was raised under; 1 for alarms
/// raised before), and `alarm_rule_events`, one row per create/update/disable/enable with the actor, the time and
/// the rule before and after as JSON; the `after` of each row is that version of the rule. Names are spelled out:
/// this migration must never change when the code does.
struct CreateAlarmRuleVersions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("alarm_rules").field("version", .int64, .required, .sql(.default(1))).update()
        try await database.schema("alarms").field("rule_version", .int64, .required, .sql(.default(1))).update()
        try await database.schema("alarm_rule_events")
            .field("id", .int64, .identifier(auto: true))
            .field("rule_code", .string, .required)
            .field("version", .int64, .required)
            .field("at_ms", .int64, .required)
            .field("action", .string, .required)
            .field("actor", .string, .required)
            .field("before", .string)
            .field("after", .string, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "alarm_rule_events_rule_idx").on("alarm_rule_events").column("rule_code")
                .column("id").run()
        }
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase { try await sql.drop(index: "alarm_rule_events_rule_idx").run() }
        try await database.schema("alarm_rule_events").delete()
        try await database.schema("alarms").deleteField("rule_version").update()
        try await database.schema("alarm_rules").deleteField("version").update()
    }
}
