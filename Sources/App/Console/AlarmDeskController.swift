import CityDomain
import Foundation
import SQLKit
import Vapor

/// The alarm desk (告警台, CityNet issue 11 §5): `GET /console/alarms` lists the alarms of sensors in the operator's
/// scope (active or cleared × acknowledged or not), each with its severity in China's warning colours, its case,
/// and the selected alarm's sensor series as a chart CityNet draws itself (``SeriesChart``);
/// `POST /console/alarms/:id/acknowledge` and `POST /console/alarms/:id/clear` act as the API does
/// (``AlarmController``), CSRF-checked like every console form.
struct AlarmDeskController {
    struct Row: Encodable {
        var alarm: AlarmDTO
        var ruleName: String
        var sensorName: String
        var severityName: String
        var selected: Bool
    }

    struct Chart: Encodable {
        var geometry: SeriesChart
        var attribute: String
        var unit: String
        var sensorName: String
    }

    struct DeskPage: Encodable {
        var page: ConsolePage
        var rows: [Row]
        var status: String
        var ack: String
        var selected: Row?
        var chart: Chart?
        var canClear: Bool
    }

    /// Hours of series shown before the alarm was raised, and after it cleared (or after its raise while active).
    static let hoursBefore = 48.0
    static let hoursAfter = 24.0

    /// The desk's filters from the query: `status` active (default), cleared or all; `ack` no, yes or all
    /// (default).
    static func filters(_ req: Request) -> (status: AlarmStatus?, statusText: String, ack: Bool?, ackText: String) {
        let statusText = req.query[String.self, at: "status"] ?? "active"
        let ackText = req.query[String.self, at: "ack"] ?? "all"
        return (
            statusText == "all" ? nil : AlarmStatus(rawValue: statusText) ?? .active,
            AlarmStatus(rawValue: statusText)?.rawValue ?? (statusText == "all" ? "all" : "active"),
            ackText == "yes" ? true : ackText == "no" ? false : nil,
            ["yes", "no"].contains(ackText) ? ackText : "all"
        )
    }

    @Sendable func list(req: Request) async throws -> View {
        let scope = try req.auth.require(OperatorScope.self)
        let language = ConsoleText.language(req)
        let words = ConsoleText.table(language)
        let filters = Self.filters(req)
        let sql = try req.db.sql()
        let alarms = try await AlarmController.list(
            scope: scope, status: filters.status, acknowledged: filters.ack, sensorID: nil,
            hierarchy: req.reference.hierarchy, on: sql)
        let rules = Dictionary(
            try await AlarmRuleStore.load(includeDisabled: true, on: sql).map { ($0.code, $0) },
            uniquingKeysWith: { first, _ in first })
        let sensors = try await SensorRegistry.load(Set(alarms.map(\.sensorID)), on: sql)
        let chosen = req.query[Int.self, at: "alarm"] ?? alarms.first?.id
        let rows = alarms.map { alarm in
            Row(
                alarm: alarm,
                ruleName: rules[alarm.ruleCode].map { language == .zh ? $0.nameZh : $0.nameEn } ?? alarm.ruleCode,
                sensorName: sensors[alarm.sensorID]?.name ?? alarm.sensorID,
                severityName: words["severity_\(alarm.severity)"] ?? alarm.severity, selected: alarm.id == chosen)
        }
        let selected = rows.first { $0.selected }
        var chart: Chart?
        if let selected, let sensor = sensors[selected.alarm.sensorID], let rule = rules[selected.alarm.ruleCode] {
            chart = try await Self.chart(selected.alarm, rule: rule, sensor: sensor, now: req.now, on: sql)
        }
        return try await req.view.render(
            "console/alarms",
            DeskPage(
                page: ConsolePage(req, title: "alarm_desk", active: "alarms"), rows: rows,
                status: filters.statusText, ack: filters.ackText, selected: selected, chart: chart,
                canClear: scope.worksForACentre))
    }

    /// The series of the rule's attribute around the alarm, from the rollups (``ReadingSeries``): 10-minute means,
    /// or hourly means when the sensor reports less often than every half hour (hourly stations); from the first
    /// reading at most ``hoursBefore`` before the raise to ``hoursAfter`` after the clearing (or now).
    static func chart(_ alarm: AlarmDTO, rule: AlarmRule, sensor: Sensor, now: Date, on sql: any SQLDatabase)
        async throws -> Chart?
    {
        guard let attribute = rule.attribute, let unit = sensor.attributes[attribute] else { return nil }
        let from = alarm.raisedAt.addingTimeInterval(-hoursBefore * 3600)
        let end = min(
            (alarm.clearedAt ?? alarm.raisedAt).addingTimeInterval(hoursAfter * 3600), max(now, alarm.raisedAt))
        func series(step: String, seconds: Double) async throws -> ReadingSeries.SeriesDTO? {
            let query = ReadingSeries.Query(
                attribute: attribute, from: from.ISO8601Format(), to: end.addingTimeInterval(seconds).ISO8601Format(),
                step: step, aggregate: "avg")
            guard let request = try? ReadingSeries.Request(query, sensor: sensor) else { return nil }
            return try await ReadingSeries.answer(request, on: sql)
        }
        guard var found = try await series(step: "10m", seconds: 600) else { return nil }
        var step = 600.0
        let spacings = zip(found.points.dropFirst(), found.points).map { $0.t.timeIntervalSince($1.t) }.sorted()
        if let median = spacings.isEmpty ? nil : spacings[spacings.count / 2], median > 1800,
            let hourly = try await series(step: "1h", seconds: 3600)
        {
            found = hourly
            step = 3600
        }
        let start = max(from, (found.points.first?.t ?? from).addingTimeInterval(-step))
        let geometry = SeriesChart(
            points: found.points.map { ($0.t.addingTimeInterval(step / 2), $0.value) }, from: start,
            to: end.addingTimeInterval(step),
            stepSeconds: step, threshold: rule.raise?.value, raised: alarm.raisedAt, cleared: alarm.clearedAt,
            label: { $0.formatted(WhenTag.style) })
        return Chart(geometry: geometry, attribute: attribute, unit: unit, sensorName: sensor.name)
    }

    struct ActionForm: Content {
        var note: String?
    }

    /// `POST /console/alarms/:id/acknowledge` and `…/clear`: the API's action, then back to the desk with the
    /// outcome (an error, such as clearing an alarm no longer active, as the page's message).
    @Sendable func act(req: Request) async throws -> Response {
        let scope = try req.auth.require(OperatorScope.self)
        let idText = req.parameters.get("alarmID") ?? ""
        let action = req.parameters.get("action") ?? ""
        let back = "/console/alarms?status=all&alarm=\(idText)"
        guard let id = Int64(idText) else { throw LocalizedRefusal(.notFound, "alarm.no_alarm", ["id": idText]) }
        let note = try req.content.decode(ActionForm.self).note.flatMap { $0.isEmpty ? nil : $0 }
        if let note { try TextRules.validate(note, field: "note", maxLength: 500) }
        let words = ConsoleText.table(ConsoleText.language(req))
        do {
            switch action {
            case "acknowledge": _ = try await AlarmController.acknowledge(id, scope: scope, note: note, req: req)
            case "clear": _ = try await AlarmController.clear(id, scope: scope, note: note, req: req)
            default: throw LocalizedRefusal(.notFound, "alarm.no_action", ["action_code": action])
            }
            return req.consoleRedirect(back, ok: "#\(id) \(words["alarm_done_\(action)"] ?? action)")
        } catch let error as any AbortError where error.status == .conflict || error.status == .forbidden {
            return req.consoleRedirect(back, error: "#\(id): \(req.refusalText(error))")
        }
    }
}
