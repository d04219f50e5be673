import CityDomain
import Foundation
import SQLKit
import Vapor

/// An alarm as the API shows it, with its audit trail when read alone.
struct AlarmDTO: Content, Equatable {
    struct Event: Content, Equatable {
        var at: Date
        var action: String
        var actor: String
        var note: String?
    }

    var id: Int
    var ruleCode: String
    /// The version of the rule the alarm was raised under (a later change of the rule does not change it).
    var ruleVersion: Int
    var sensorID: String
    var status: String
    var acknowledged: Bool
    var severity: String
    var colour: String
    /// Observed time of the reading that raised it.
    var raisedAt: Date
    var raisedValue: Double?
    /// When CityNet processed that reading.
    var processedAt: Date
    var clearedAt: Date?
    var clearedValue: Double?
    var clearedBy: String?
    var acknowledgedAt: Date?
    var acknowledgedBy: String?
    var caseID: Int?
    var reportID: Int?
    var events: [Event]?

    enum CodingKeys: String, CodingKey {
        case id, status, acknowledged, severity, colour, events
        case ruleCode = "rule_code", ruleVersion = "rule_version", sensorID = "sensor_id", raisedAt = "raised_at",
            raisedValue = "raised_value"
        case processedAt = "processed_at", clearedAt = "cleared_at", clearedValue = "cleared_value"
        case clearedBy = "cleared_by", acknowledgedAt = "acknowledged_at", acknowledgedBy = "acknowledged_by"
        case caseID = "case_id", reportID = "report_id"
    }

    init(row: any SQLRow) throws {
        id = Int(try row.decode(column: "id", as: Int64.self))
        ruleCode = try row.decode(column: "rule_code", as: String.self)
        ruleVersion = Int(try row.decode(column: "rule_version", as: Int64.self))
        sensorID = try row.decode(column: "sensor_id", as: String.self)
        status = try row.decode(column: "status", as: String.self)
        acknowledged = try row.decode(column: "acknowledged", as: Bool.self)
        severity = try row.decode(column: "severity", as: String.self)
        colour = AlarmSeverity(rawValue: severity)?.colour ?? "blue"
        raisedAt = VitalsTime.date(try row.decode(column: "raised_at_ms", as: Int64.self))
        raisedValue = try row.decode(column: "raised_value", as: Double?.self)
        processedAt = VitalsTime.date(try row.decode(column: "processed_at_ms", as: Int64.self))
        clearedAt = try row.decode(column: "cleared_at_ms", as: Int64?.self).map(VitalsTime.date)
        clearedValue = try row.decode(column: "cleared_value", as: Double?.self)
        clearedBy = try row.decode(column: "cleared_by", as: String?.self)
        acknowledgedAt = try row.decode(column: "acknowledged_at_ms", as: Int64?.self).map(VitalsTime.date)
        acknowledgedBy = try row.decode(column: "acknowledged_by", as: String?.self)
        caseID = try row.decode(column: "case_id", as: Int?.self)
        reportID = try row.decode(column: "report_id", as: Int?.self)
    }
}
