import Fluent
import SQLKit

/// Stale-feed rules for the feeds the vital-sign indicators read (CityNet issue 11 §2: a feed that stops shows as
/// stale and raises a staleness alarm): air-quality stations silent for 2 hours (they report hourly) and ponding
/// gauges silent for 30 minutes, both warnings (blue), cleared by the next reading. Literal rows; `revert` deletes
/// them.
struct SeedStaleFeedRulesForIndicators: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        func b<T: Encodable & Sendable>(_ value: T) -> any SQLExpression { SQLBind(value) }
        let null = SQLLiteral.null
        try await sql.insert(into: "alarm_rules")
            .columns(
                "code", "name_zh", "name_en", "sensor_kind", "attribute", "scope", "condition", "condition_value",
                "raise_op", "raise_value", "clear_op", "clear_value", "severity", "gap_seconds", "gap_policy",
                "category_code", "enabled"
            )
            .values(
                b("stale_air_quality"), b("空气监测站数据中断"), b("Air-quality feed stale"), b("air_quality"), null,
                b("city"), b("stale"), b(7200), null, null, null, null, b("warning"), b(0), b("reset"), null, b(true)
            )
            .values(
                b("stale_ponding"), b("积水监测点数据中断"), b("Ponding feed stale"), b("ponding"), null, b("city"),
                b("stale"), b(1800), null, null, null, null, b("warning"), b(0), b("reset"), null, b(true)
            )
            .run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.delete(from: "alarm_rules").where("code", .in, ["stale_air_quality", "stale_ponding"]).run()
    }
}
