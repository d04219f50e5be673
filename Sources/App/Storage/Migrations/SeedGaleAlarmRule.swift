import Fluent
import SQLKit

/// The gale alarm rule (issue 15: the wind alarm at 五洲大道): a weather sensor's `windSpeed` ≥ 17.2 m/s — force 8
/// of GB/T 28591-2012 — raises a major alarm, < 17.2 m/s clears it; no case. Literal row at version 1; `revert`
/// deletes it.
struct SeedGaleAlarmRule: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        func b<T: Encodable & Sendable>(_ value: T) -> any SQLExpression { SQLBind(value) }
        try await sql.insert(into: "alarm_rules")
            .columns(
                "code", "name_zh", "name_en", "sensor_kind", "attribute", "scope", "condition", "condition_value",
                "raise_op", "raise_value", "clear_op", "clear_value", "severity", "gap_seconds", "gap_policy",
                "category_code", "enabled", "version"
            )
            .values(
                b("gale_force_8"), b("大风（8级及以上）"), b("Gale (force 8 or more)"), b("weather"), b("windSpeed"),
                b("city"), b("simple"), b(0), b("ge"), b(17.2), b("lt"), b(17.2), b("major"), b(900), b("reset"),
                SQLLiteral.null, b(true), b(1)
            )
            .ignoringConflicts(with: "code").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.delete(from: "alarm_rules").where("code", .equal, "gale_force_8").run()
    }
}
