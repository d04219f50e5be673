import CityDomain
import Foundation
import Vapor

/// The body of `POST /api/v1/alarm-rules` and `PUT /api/v1/alarm-rules/{code}`: a whole rule in its stored
/// spelling (``AlarmRuleDraft``). `code` is required on create and, on update, absent or equal to the path's.
struct AlarmRuleBody: Content {
    struct Threshold: Content {
        var op: String?
        var value: Double?
    }

    var code: String?
    var nameZh: String?
    var nameEn: String?
    var sensorKind: String?
    var attribute: String?
    var scope: String?
    var condition: String?
    var conditionValue: Int?
    var raise: Threshold?
    var clear: Threshold?
    var severity: String?
    var gapSeconds: Int?
    var gapPolicy: String?
    var categoryCode: String?

    enum CodingKeys: String, CodingKey {
        case code, attribute, scope, condition, raise, clear, severity
        case nameZh = "name_zh", nameEn = "name_en", sensorKind = "sensor_kind", conditionValue = "condition_value"
        case gapSeconds = "gap_seconds", gapPolicy = "gap_policy", categoryCode = "category_code"
    }

    /// The draft for rule `code`; an absent `condition_value` or `gap_seconds` is 0, an absent required text ""
    /// (reported by ``missing`` instead of the draft's own error for it).
    func draft(code: String) -> AlarmRuleDraft {
        AlarmRuleDraft(
            code: code, nameZh: nameZh ?? "", nameEn: nameEn ?? "", sensorKind: sensorKind ?? "",
            attribute: attribute, scope: scope ?? "", condition: condition ?? "", conditionValue: conditionValue ?? 0,
            raiseOp: raise?.op, raiseValue: raise?.value, clearOp: clear?.op, clearValue: clear?.value,
            severity: severity ?? "", gapSeconds: gapSeconds ?? 0, gapPolicy: gapPolicy ?? "",
            categoryCode: categoryCode)
    }

    /// A `required` error for each required field the body lacks, in the body's field order.
    var missing: [AlarmRuleDraft.FieldError] {
        let required: [(String, String?)] = [
            ("name_zh", nameZh), ("name_en", nameEn), ("sensor_kind", sensorKind), ("scope", scope),
            ("condition", condition), ("severity", severity), ("gap_policy", gapPolicy),
        ]
        return required.filter { $0.1 == nil }.map {
            AlarmRuleDraft.FieldError(field: $0.0, code: "required", message: "\($0.0) is required")
        }
    }
}

/// The 422 answer to an invalid rule: every field error.
struct AlarmRuleErrorsDTO: Content {
    struct FieldError: Content, Equatable {
        var field: String
        var code: String
        var message: String
    }

    var errors: [FieldError]

    init(_ errors: [AlarmRuleDraft.FieldError]) {
        self.errors = errors.map { FieldError(field: $0.field, code: $0.code, message: $0.message) }
    }
}

/// One change of a rule (`alarm_rule_events`), as `GET /api/v1/alarm-rules/{code}/history` shows it.
struct AlarmRuleEventDTO: Content, Equatable {
    var id: Int
    var at: Date
    /// `create`, `update`, `disable` or `enable`.
    var action: String
    var actor: String
    /// The version the change made.
    var version: Int
    /// The rule before the change; absent for a create.
    var before: AlarmRuleDTO?
    var after: AlarmRuleDTO
}
