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
            gapPolicy: gapPolicy, categoryCode: try row.decode(column: "category_code", as: String?.self))
    }
}
