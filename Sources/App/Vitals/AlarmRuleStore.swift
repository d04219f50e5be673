import CityDomain
import Foundation
import SQLKit

/// Alarm rules as stored in `alarm_rules`.
enum AlarmRuleStore {
    /// Every rule, enabled ones only unless `includeDisabled`, in code order.
    static func load(includeDisabled: Bool = false, on sql: any SQLDatabase) async throws -> [AlarmRule] {
        var query = sql.select().column("*").from("alarm_rules")
        if !includeDisabled { query = query.where("enabled", .equal, true) }
        return try await query.orderBy("code").all().compactMap(decode)
    }

    /// A stored rule, or nil for a row no rule can be built from (an unknown kind or condition).
    static func decode(_ row: any SQLRow) throws -> AlarmRule? {
        func threshold(_ op: String, _ value: String) throws -> AlarmThreshold? {
            guard let code = try row.decode(column: op, as: String?.self),
                let op = AlarmThreshold.Operator(rawValue: code),
                let number = try row.decode(column: value, as: Double?.self)
            else { return nil }
            return AlarmThreshold(op, number)
        }
        guard let kind = SensorKind(rawValue: try row.decode(column: "sensor_kind", as: String.self)),
            let scope = AlarmScope(stored: try row.decode(column: "scope", as: String.self)),
            let condition = AlarmCondition(
                code: try row.decode(column: "condition", as: String.self),
                parameter: Int(try row.decode(column: "condition_value", as: Int64.self))),
            let severity = AlarmSeverity(rawValue: try row.decode(column: "severity", as: String.self)),
            let gapPolicy = GapPolicy(rawValue: try row.decode(column: "gap_policy", as: String.self))
        else { return nil }
        return AlarmRule(
            code: try row.decode(column: "code", as: String.self),
            nameZh: try row.decode(column: "name_zh", as: String.self),
            nameEn: try row.decode(column: "name_en", as: String.self), sensorKind: kind,
            attribute: try row.decode(column: "attribute", as: String?.self), scope: scope, condition: condition,
            raise: try threshold("raise_op", "raise_value"), clear: try threshold("clear_op", "clear_value"),
            severity: severity, gapSeconds: Int(try row.decode(column: "gap_seconds", as: Int64.self)),
            gapPolicy: gapPolicy, categoryCode: try row.decode(column: "category_code", as: String?.self),
            version: Int(try row.decode(column: "version", as: Int64.self)),
            enabled: try row.decode(column: "enabled", as: Bool.self))
    }

    /// The rule `code` (enabled or not), or nil when there is none (or it cannot be built).
    static func find(_ code: String, on sql: any SQLDatabase) async throws -> AlarmRule? {
        guard let row = try await sql.select().column("*").from("alarm_rules").where("code", .equal, code).first()
        else { return nil }
        return try decode(row)
    }

    /// Inserts a new rule (its version and ``AlarmRule/enabled`` as given). - Returns: false when the code is taken (nothing written).
    static func insert(_ rule: AlarmRule, on sql: any SQLDatabase) async throws -> Bool {
        let row = try await sql.insert(into: "alarm_rules")
            .columns(
                "code", "name_zh", "name_en", "sensor_kind", "attribute", "scope", "condition", "condition_value",
                "raise_op", "raise_value", "clear_op", "clear_value", "severity", "gap_seconds", "gap_policy",
                "category_code", "enabled", "version"
            )
            .values(
                SQLBind(rule.code), SQLBind(rule.nameZh), SQLBind(rule.nameEn), SQLBind(rule.sensorKind.rawValue),
                IntakeRows.b(rule.attribute), SQLBind(rule.scope.stored), SQLBind(rule.condition.code),
                SQLBind(Int64(rule.condition.parameter)), IntakeRows.b(rule.raise?.op.rawValue),
                IntakeRows.b(rule.raise?.value), IntakeRows.b(rule.clear?.op.rawValue), IntakeRows.b(rule.clear?.value),
                SQLBind(rule.severity.rawValue), SQLBind(Int64(rule.gapSeconds)), SQLBind(rule.gapPolicy.rawValue),
                IntakeRows.b(rule.categoryCode), SQLBind(rule.enabled), SQLBind(Int64(rule.version))
            )
            .ignoringConflicts().returning("code").first()
        return row != nil
    }

    /// Writes `rule` (its version and ``AlarmRule/enabled`` included) over the stored rule of its code if that is still at `fromVersion`.
    /// - Returns: false when the stored version moved on (a concurrent change; nothing written).
    static func update(_ rule: AlarmRule, fromVersion: Int, on sql: any SQLDatabase) async throws -> Bool {
        let row = try await sql.update("alarm_rules")
            .set("name_zh", to: rule.nameZh).set("name_en", to: rule.nameEn)
            .set("sensor_kind", to: rule.sensorKind.rawValue).set(
                SQLIdentifier("attribute"), to: IntakeRows.b(rule.attribute)
            )
            .set("scope", to: rule.scope.stored).set("condition", to: rule.condition.code)
            .set("condition_value", to: Int64(rule.condition.parameter))
            .set(SQLIdentifier("raise_op"), to: IntakeRows.b(rule.raise?.op.rawValue))
            .set(SQLIdentifier("raise_value"), to: IntakeRows.b(rule.raise?.value))
            .set(SQLIdentifier("clear_op"), to: IntakeRows.b(rule.clear?.op.rawValue))
            .set(SQLIdentifier("clear_value"), to: IntakeRows.b(rule.clear?.value))
            .set("severity", to: rule.severity.rawValue).set("gap_seconds", to: Int64(rule.gapSeconds))
            .set("gap_policy", to: rule.gapPolicy.rawValue)
            .set(SQLIdentifier("category_code"), to: IntakeRows.b(rule.categoryCode))
            .set("enabled", to: rule.enabled).set("version", to: Int64(rule.version))
            .where("code", .equal, rule.code).where("version", .equal, Int64(fromVersion))
            .returning("code").first()
        return row != nil
    }

    /// Restarts every sensor's run under rule `code` (a changed condition must not complete a run of the old one):
    /// run start and count are reset, whether the alarm is active and the last observed time are kept, so an
    /// active alarm is still cleared by the (new) clear condition and late readings stay late.
    static func restartRuns(ruleCode code: String, on sql: any SQLDatabase) async throws {
        try await sql.update("alarm_rule_states").set(SQLIdentifier("run_start_ms"), to: SQLLiteral.null)
            .set("run_count", to: Int64(0))
            .set(SQLIdentifier("replay_floor_ms"), to: SQLIdentifier("last_observed_ms"))
            .where("rule_code", .equal, code).run()
    }

    /// Appends a rule audit event: `action` (create, update, disable, enable) by `actor` at `atMS`, the rule before
    /// (nil for a create) and after, as JSON of ``AlarmRuleDTO``.
    static func event(
        ruleCode: String, version: Int, atMS: Int64, action: String, actor: String, before: AlarmRuleDTO?,
        after: AlarmRuleDTO, on sql: any SQLDatabase
    ) async throws {
        func json(_ dto: AlarmRuleDTO) throws -> String {
            String(decoding: try JSONEncoder.sorted.encode(dto), as: UTF8.self)
        }
        try await sql.insert(into: "alarm_rule_events")
            .columns("rule_code", "version", "at_ms", "action", "actor", "before", "after")
            .values(
                SQLBind(ruleCode), SQLBind(Int64(version)), SQLBind(atMS), SQLBind(action), SQLBind(actor),
                IntakeRows.b(try before.map(json)), SQLBind(try json(after))
            ).run()
    }
}
