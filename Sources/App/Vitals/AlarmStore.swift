import CityDomain
import Foundation
import Logging
import SQLKit

/// Alarm writes inside a caller's transaction. "Already active" is decided by the database alone: an insert that
/// meets `alarms_one_active` (the partial unique index on (sensor, rule) where status is active) inserts nothing.
struct AlarmStore {
    let sql: any SQLDatabase
    let reference: CityReference
    let caseSeverities: Set<AlarmSeverity>
    let logger: Logger
    /// When set, the cases alarms open are counted here and written by the caller at the end of its transaction
    /// (``CaseCounters/Deferred``); nil to count each as it is opened.
    var counts: CaseCounters.Deferred? = nil

    /// Raises the rule's alarm for the sensor unless one is active; an alarm of a case-opening severity whose rule
    /// names a category opens a report and a dispatched case (source `sensor`) for the sensor's street.
    /// - Returns: the new alarm's id, or nil when one was already active.
    @discardableResult
    func raise(rule: AlarmRule, sensor: Sensor, atMS: Int64, value: Double?, nowMS: Int64, now: Date) async throws
        -> Int64?
    {
        let row = try await sql.insert(into: "alarms")
            .columns(
                "rule_code", "sensor_id", "status", "acknowledged", "severity", "raised_at_ms", "raised_value",
                "processed_at_ms", "rule_version"
            )
            .values(
                SQLBind(rule.code), SQLBind(sensor.id), SQLBind(AlarmStatus.active.rawValue), SQLBind(false),
                SQLBind(rule.severity.rawValue), SQLBind(atMS), IntakeRows.b(value), SQLBind(nowMS),
                SQLBind(Int64(rule.version))
            )
            .ignoringConflicts().returning("id").first()
        guard let row else { return nil }
        let id = try row.decode(column: "id", as: Int64.self)
        try await event(
            alarmID: id, atMS: nowMS, action: "raise", actor: Self.systemActor, note: note(rule, value, atMS))
        if let category = rule.categoryCode, caseSeverities.contains(rule.severity) {
            try await openCase(
                alarmID: id, rule: rule, category: category, sensor: sensor, value: value, atMS: atMS,
                now: now)
        }
        logger.info("alarm raised", metadata: ["alarm_id": "\(id)", "rule": "\(rule.code)", "sensor": "\(sensor.id)"])
        return id
    }

    /// Clears the active alarm of (sensor, rule), if any, and records the clearing on its case.
    /// - Returns: the cleared alarm's id, or nil when none was active.
    @discardableResult
    func clear(sensorID: String, ruleCode: String, atMS: Int64, value: Double?, by actor: String, nowMS: Int64)
        async throws -> Int64?
    {
        let update = sql.update("alarms").where("sensor_id", .equal, sensorID).where("rule_code", .equal, ruleCode)
        return try await clear(update, atMS: atMS, value: value, by: actor, nowMS: nowMS, note: nil)
    }

    /// Clears the alarm `alarmID` by hand if it is still active (never another alarm of its sensor and rule), with
    /// the operator's note in its audit event, and records the clearing on its case.
    /// - Returns: the cleared alarm's id, or nil when that alarm is not active (or does not exist).
    func clear(alarmID: Int64, atMS: Int64, by actor: String, nowMS: Int64, note: String?) async throws -> Int64? {
        let update = sql.update("alarms").where("id", .equal, alarmID)
        return try await clear(update, atMS: atMS, value: nil, by: actor, nowMS: nowMS, note: note)
    }

    private func clear(
        _ update: SQLUpdateBuilder, atMS: Int64, value: Double?, by actor: String, nowMS: Int64, note: String?
    ) async throws -> Int64? {
        let row =
            try await update
            .set("status", to: AlarmStatus.cleared.rawValue).set("cleared_at_ms", to: atMS)
            .set(SQLIdentifier("cleared_value"), to: IntakeRows.b(value)).set("cleared_by", to: actor)
            .where("status", .equal, AlarmStatus.active.rawValue)
            .returning("id", "case_id").first()
        guard let row else { return nil }
        let id = try row.decode(column: "id", as: Int64.self)
        let reading = value.map { " at reading \($0)" } ?? ""
        let when = VitalsTime.date(atMS).ISO8601Format()
        try await event(
            alarmID: id, atMS: nowMS, action: "clear", actor: actor, note: note ?? "cleared \(when)\(reading)")
        if let caseID = try row.decode(column: "case_id", as: Int?.self) {
            let cleared = Message(
                value == nil ? "note.alarm_cleared" : "note.alarm_cleared_reading",
                ["alarm": "\(id)", "when": when, "value": value.map { "\($0)" } ?? ""])
            try await noteOnCase(
                caseID, atMS: nowMS, actor: actor,
                note: "alarm #\(id) cleared \(when)\(reading)\(note.map { ": \($0)" } ?? "")",
                parts: [cleared] + (note.map { [Message(MessageNote.words, ["text": $0])] } ?? []))
        }
        return id
    }

    /// Appends an alarm audit event.
    func event(alarmID: Int64, atMS: Int64, action: String, actor: String, note: String?) async throws {
        try await sql.insert(into: "alarm_events").columns("alarm_id", "at_ms", "action", "actor", "note")
            .values(SQLBind(alarmID), SQLBind(atMS), SQLBind(action), SQLBind(actor), IntakeRows.b(note)).run()
    }

    private func note(_ rule: AlarmRule, _ value: Double?, _ atMS: Int64) -> String {
        let when = VitalsTime.date(atMS).ISO8601Format()
        guard let value else { return "\(rule.nameEn) at \(when)" }
        return "\(rule.nameEn): \(rule.attribute ?? "") = \(value) at \(when)"
    }

    private func openCase(
        alarmID: Int64, rule: AlarmRule, category: String, sensor: Sensor, value: Double?, atMS: Int64, now: Date
    ) async throws {
        let when = VitalsTime.date(atMS).ISO8601Format()
        let evidence: [String: String] = [
            "alarm_id": "\(alarmID)", "rule": rule.code, "sensor_id": sensor.id, "attribute": rule.attribute ?? "",
            "value": value.map { "\($0)" } ?? "", "unit": rule.attribute.flatMap { sensor.attributes[$0] } ?? "",
            "observed_at": when,
        ]
        var point: GeoPoint?
        if let lat = sensor.latitude, let long = sensor.longitude {
            point = try? GeoPoint(latitude: lat, longitude: long)
        }
        let intake = IntakeReport(
            source: .sensor, categoryCode: category,
            description: "\(rule.nameZh)（\(rule.nameEn)）: \(sensor.name) \(rule.attribute ?? "") = "
                + "\(value.map { "\($0)" } ?? "-") @ \(when)",
            address: sensor.address, point: point, deviceID: sensor.id,
            attributes: String(decoding: try JSONEncoder.sorted.encode(evidence), as: UTF8.self),
            actor: "vitals:\(rule.code)")
        let located = LocatedRegion(
            regionCode: sensor.regionCode, method: LocateMethod(rawValue: sensor.locateMethod) ?? .none)
        let prepared: CaseIntake.PreparedCase
        do {
            prepared = try CaseIntake.prepare(intake, located: located, reference: reference, now: now)
        } catch {
            // A rule naming a category that is gone must not lose the alarm: it stays, without a case.
            logger.error("alarm case not opened", metadata: ["alarm_id": "\(alarmID)", "error": "\(error)"])
            return
        }
        let report = CaseIntake.makeReport(intake, regionCode: located.regionCode, now: now)
        try await IntakeRows.insert(
            IntakeRowSet(record: prepared.record, report: report) { caseID, reportID in
                prepared.events(
                    caseID: caseID, acceptNote: "report #\(reportID) via sensor alarm #\(alarmID)",
                    accept: [Message("note.accept_alarm", ["report": "\(reportID)", "alarm": "\(alarmID)"])])
            }, on: sql, counting: counts == nil)
        counts?.add(prepared.record)
        try await sql.update("alarms").set("case_id", to: prepared.record.id).set("report_id", to: report.id)
            .where("id", .equal, alarmID).run()
    }

    func noteOnCase(
        _ caseID: Int, atMS: Int64, actor: String, note: String, action: CaseEventAction = .alarmCleared,
        parts: [Message]? = nil
    ) async throws {
        guard
            let row = try await sql.select().column("state").column("unit_code").from("cases")
                .where("id", .equal, caseID).first()
        else { return }
        let state = try row.decode(column: "state", as: CaseState.self)
        let unit = try row.decode(column: "unit_code", as: String.self)
        try await IntakeRows.insert(
            [
                CaseEvent(
                    caseID: caseID, at: VitalsTime.date(atMS), action: action, from: state,
                    to: state, actor: actor, actorUnitCode: nil, unitCode: unit, note: note, parts: parts)
            ], on: sql)
    }
}

/// An alarm's status (`alarms.status`); acknowledgement is a separate flag.
enum AlarmStatus: String, Codable, CaseIterable, Sendable {
    case active, cleared
}
