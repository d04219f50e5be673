import CityDomain
import Foundation
import SQLKit
import Vapor

/// The incident room (事件指挥室, issue 15 §5): `GET /console/incidents` lists the joint incidents the operator sees
/// (active first); `GET /console/incidents/:id` shows one — header, map (``IncidentMap``), tasks by unit, measured
/// times, resources, links, the timeline — and the actions this operator may take in its state;
/// `POST /console/incidents/:id/:action` runs the API's own handler (``IncidentController``,
/// ``IncidentOperationsController``) on the form and goes back to the room with the outcome, a refusal in the
/// page's language (a 422's field codes by ``IncidentRoomText``, the handlers' other refusals by their catalogue
/// messages, ``Request/refusalText(_:)``). Who sees and does what: ``IncidentAccess`` (an incident the operator
/// does not see is the console's 404). The page reloads its live parts on `event: incident` (console.js).
struct IncidentRoomController {
    struct ListRow: Encodable {
        var id: Int
        var title: String
        var typeName: String
        var level: String
        var levelName: String
        var active: Bool
        var leadName: String
        var since: Date
    }

    struct ListPage: Encodable {
        var page: ConsolePage
        var rows: [ListRow]
    }

    @Sendable func list(req: Request) async throws -> View {
        let scope = try req.auth.require(OperatorScope.self)
        let language = ConsoleText.language(req)
        let access = IncidentAccess(scope: scope, hierarchy: req.reference.hierarchy)
        let store = IncidentStore(sql: try req.db.sql())
        var rows: [ListRow] = []
        for row in try await store.incidents(state: nil) where access.canSee(row, units: try await store.units(row.id))
        {
            rows.append(
                ListRow(
                    id: row.id, title: row.title, typeName: language == .zh ? row.type.nameZh : row.type.nameEn,
                    level: row.level.rawValue, levelName: language == .zh ? row.level.nameZh : row.level.nameEn,
                    active: row.state == .active, leadName: req.reference.unitName(row.leadUnitCode, in: language),
                    since: row.declaredAt))
        }
        // Active first, then newest first (the store's order) within each.
        let sorted = rows.filter(\.active) + rows.filter { !$0.active }
        return try await req.view.render(
            "console/incidents",
            ListPage(page: ConsolePage(req, title: "incidents_title", active: "incidents"), rows: sorted))
    }

    @Sendable func show(req: Request) async throws -> View {
        let (loaded, access) = try await req.visibleIncident()
        let room = try await IncidentRoom.load(loaded, access: access, req: req)
        return try await req.view.render("console/incident", room)
    }

    /// The room's actions and the API handler each one runs.
    static let actions: Set<String> = [
        "accept", "done", "message", "plan", "request", "dispatch", "arrive", "release", "close",
    ]

    @Sendable func act(req: Request) async throws -> Response {
        let (loaded, _) = try await req.visibleIncident()
        let action = req.parameters.get("action") ?? ""
        guard Self.actions.contains(action) else {
            throw LocalizedRefusal(.notFound, "incident.no_action", ["action": action])
        }
        let words = ConsoleText.table(ConsoleText.language(req))
        let back = "/console/incidents/\(loaded.incident.id)"
        do {
            var answer: Response?
            switch action {
            case "accept", "done":
                let taskID = (try? req.content.get(Int.self, at: "task_id")) ?? 0
                req.parameters.set("task_id", to: "\(taskID)")
                _ = try await IncidentController.stepTask(req, to: action == "accept" ? .accepted : .done)
            case "message": answer = try await IncidentController().message(req: req)
            case "plan": answer = try await IncidentOperationsController().startPlan(req: req)
            case "request": answer = try await IncidentOperationsController().requestResources(req: req)
            case "close": _ = try await IncidentController().close(req: req)
            default:
                req.parameters.set("step", to: action)
                _ = try await IncidentOperationsController().step(req: req)
            }
            if let answer, answer.status == .unprocessableEntity, let body = answer.body.data {
                let errors = (try? JSONDecoder().decode(IncidentErrorsDTO.self, from: body))?.errors ?? []
                let text = errors.map { words["ir_refuse_\($0.code)"] ?? words["ir_refuse_invalid"] ?? "" }
                return req.consoleRedirect(back, error: Array(Set(text)).sorted().joined(separator: "; "))
            }
            if action == "plan", answer?.status == .ok {
                return req.consoleRedirect(back, ok: words["ir_plan_again"] ?? "")
            }
            return req.consoleRedirect(back, ok: words["ir_done"] ?? "")
        } catch let error as any AbortError
            where [.badRequest, .forbidden, .conflict, .unprocessableEntity].contains(error.status)
        {
            // The handlers' refusals are catalogue messages (``LocalizedRefusal``), worded in the page's language.
            return req.consoleRedirect(back, error: req.refusalText(error))
        }
    }
}
