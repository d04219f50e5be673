import CityDomain
import Foundation
import SQLKit

extension AlarmStore {
    /// The actor of the rule's own raisings and clearings (`alarms.cleared_by`, `alarm_events.actor`).
    static let systemActor = "system"

    /// Applies one correction of a re-evaluation after late readings (``AlarmReplay/Correction``), actor `system`:
    /// a moved raising or clearing and an alarm active again write an audit event `correct`, a withdrawal `withdraw`,
    /// each with a note on the alarm's case (`alarm_corrected`, with its parts `note.alarm_*` worded on the page); a clearing and an added alarm are the rule's own
    /// `clear` and `raise`, as ingestion writes them (an added alarm opens its case as ingestion would).
    /// - Parameters: `late`, the earliest late reading's observed time (ISO 8601, for the notes); `nowMS`, `now`:
    ///   the processing instant.
    /// - Throws: database errors (the caller's transaction is undone).
    func apply(
        _ correction: AlarmReplay.Correction, rule: AlarmRule, sensor: Sensor, late: String, nowMS: Int64, now: Date
    ) async throws {
        let because = "readings observed from \(late) arrived late"
        func when(_ date: Date) -> String { date.ISO8601Format() }
        // The case's note as catalogue parts (`note.alarm_*`), so the case page words it in the reader's language.
        func parts(_ code: String, _ id: Int64, _ more: [String: String] = [:]) -> [Message] {
            [Message(code, more.merging(["alarm": "\(id)", "when_late": late]) { first, _ in first })]
        }
        func corrected(_ id: Int64, _ note: String, _ parts: [Message], action: String = "correct") async throws {
            try await event(alarmID: id, atMS: nowMS, action: action, actor: Self.systemActor, note: note)
            let row = try await sql.select().column("case_id").from("alarms").where("id", .equal, id).first()
            if let caseID = try row?.decode(column: "case_id", as: Int?.self) {
                try await noteOnCase(
                    caseID, atMS: nowMS, actor: Self.systemActor, note: "alarm #\(id) \(note)", action: .alarmCorrected,
                    parts: parts)
            }
        }
        switch correction {
        case .moveRaise(let id, let at, let value):
            try await sql.update("alarms").set("raised_at_ms", to: VitalsTime.ms(at)).set("raised_value", to: value)
                .where("id", .equal, id).run()
            try await corrected(
                id, "raised at \(when(at)) at reading \(value): \(because)",
                parts("note.alarm_raise_moved", id, ["when": when(at), "value": "\(value)"]))
        case .clear(_, let at, let value):
            try await clear(
                sensorID: sensor.id, ruleCode: rule.code, atMS: VitalsTime.ms(at), value: value, by: Self.systemActor,
                nowMS: nowMS)
        case .moveClear(let id, let at, let value):
            try await sql.update("alarms").set("cleared_at_ms", to: VitalsTime.ms(at))
                .set("cleared_value", to: value).where("id", .equal, id).run()
            try await corrected(
                id, "cleared at \(when(at)) at reading \(value): \(because)",
                parts("note.alarm_clear_moved", id, ["when": when(at), "value": "\(value)"]))
        case .reopen(let id):
            try await sql.update("alarms").set("status", to: AlarmStatus.active.rawValue)
                .set(SQLIdentifier("cleared_at_ms"), to: SQLLiteral.null)
                .set(SQLIdentifier("cleared_value"), to: SQLLiteral.null)
                .set(SQLIdentifier("cleared_by"), to: SQLLiteral.null)
                .where("id", .equal, id).run()
            try await corrected(
                id, "active again: \(because) and continue the condition", parts("note.alarm_reopened", id))
        case .withdraw(let id):
            try await sql.update("alarms").set("status", to: AlarmStatus.cleared.rawValue)
                .set("withdrawn_at_ms", to: nowMS)
                .set(
                    SQLIdentifier("cleared_at_ms"),
                    to: SQLFunction("COALESCE", args: SQLColumn("cleared_at_ms"), SQLColumn("raised_at_ms"))
                )
                .set(
                    SQLIdentifier("cleared_by"),
                    to: SQLFunction("COALESCE", args: SQLColumn("cleared_by"), SQLBind(Self.systemActor))
                )
                .where("id", .equal, id).run()
            try await corrected(
                id, "withdrawn: \(because); with them the rule's condition never held for this alarm",
                parts("note.alarm_withdrawn", id), action: "withdraw")
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
