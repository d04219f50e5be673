import CityDomain
import Foundation
import SQLKit

extension AlarmStore {
    /// The actor of the rule's own raisings and clearings (`alarms.cleared_by`, `alarm_events.actor`).
    static let systemActor = "system"

    /// Applies one correction of a re-evaluation after late readings (``AlarmReplay/Correction``), with an audit
    /// event per change (action `correct` or `withdraw`, actor `system`) and a note on the alarm's case where the
    /// change ends or withdraws the alarm. Added alarms are raised (and cleared) as ingestion would, cases included.
    /// - Parameters: `late`, the earliest late reading's observed time (ISO 8601, for the notes); `nowMS`, `now`:
    ///   the processing instant.
    /// - Throws: database errors (the caller's transaction is undone).
    func apply(
        _ correction: AlarmReplay.Correction, rule: AlarmRule, sensor: Sensor, late: String, nowMS: Int64, now: Date
    ) async throws {
        let because = "readings observed from \(late) arrived late"
        func when(_ date: Date) -> String { date.ISO8601Format() }
        switch correction {
        case .moveRaise(let id, let at, let value):
            try await sql.update("alarms").set("raised_at_ms", to: VitalsTime.ms(at)).set("raised_value", to: value)
                .where("id", .equal, id).run()
            try await event(
                alarmID: id, atMS: nowMS, action: "correct", actor: Self.systemActor,
                note: "raised at \(when(at)) at reading \(value): \(because)")
        case .clear(_, let at, let value):
            try await clear(
                sensorID: sensor.id, ruleCode: rule.code, atMS: VitalsTime.ms(at), value: value, by: Self.systemActor,
                nowMS: nowMS)
        case .moveClear(let id, let at, let value):
            try await sql.update("alarms").set("cleared_at_ms", to: VitalsTime.ms(at))
                .set("cleared_value", to: value).where("id", .equal, id).run()
            try await event(
                alarmID: id, atMS: nowMS, action: "correct", actor: Self.systemActor,
                note: "cleared at \(when(at)) at reading \(value): \(because)")
        case .reopen(let id):
            try await sql.update("alarms").set("status", to: AlarmStatus.active.rawValue)
                .set(SQLIdentifier("cleared_at_ms"), to: SQLLiteral.null)
                .set(SQLIdentifier("cleared_value"), to: SQLLiteral.null)
                .set(SQLIdentifier("cleared_by"), to: SQLLiteral.null)
                .where("id", .equal, id).run()
            try await event(
                alarmID: id, atMS: nowMS, action: "correct", actor: Self.systemActor,
                note: "active again: \(because) and continue the condition")
        case .withdraw(let id):
            let row = try await sql.update("alarms").set("status", to: AlarmStatus.cleared.rawValue)
                .set("withdrawn_at_ms", to: nowMS)
                .set(
                    SQLIdentifier("cleared_at_ms"),
                    to: SQLFunction("COALESCE", args: SQLColumn("cleared_at_ms"), SQLColumn("raised_at_ms"))
                )
                .set(
                    SQLIdentifier("cleared_by"),
                    to: SQLFunction("COALESCE", args: SQLColumn("cleared_by"), SQLBind(Self.systemActor))
                )
                .where("id", .equal, id).returning("case_id").first()
            let note = "withdrawn: \(because); with them the rule's condition never held for this alarm"
            try await event(alarmID: id, atMS: nowMS, action: "withdraw", actor: Self.systemActor, note: note)
            if let caseID = try row?.decode(column: "case_id", as: Int?.self) {
                try await noteOnCase(caseID, atMS: nowMS, actor: Self.systemActor, note: "alarm #\(id) \(note)")
            }
        case .add(let episode):
            try await raise(
                rule: rule, sensor: sensor, atMS: VitalsTime.ms(episode.raisedAt), value: episode.raisedValue,
                nowMS: nowMS, now: now)
            if let at = episode.clearedAt {
                try await clear(
                    sensorID: sensor.id, ruleCode: rule.code, atMS: VitalsTime.ms(at), value: episode.clearedValue,
                    by: Self.systemActor, nowMS: nowMS)
            }
        }
    }
}
