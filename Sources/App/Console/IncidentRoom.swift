import CityDomain
import Foundation
import SQLKit
import Vapor

/// What the incident room page shows (``IncidentRoomController``), in the page's language, with the actions this
/// operator may take (``IncidentAccess``): a task's own unit accepts and signs it off; commanders start plans,
/// request resources and close; the requesting unit or a commander moves assignments; everyone who sees the
/// incident posts messages (decisions: commanders). Nothing is offered on a closed incident.
struct IncidentRoom: Encodable {
    struct Task: Encodable {
        var id: Int
        var title: String
        var state: String
        var stateName: String
        var deadline: Date
        var overdue: Bool
        var acceptedBy: String?
        var doneBy: String?
        var note: String?
        var canAccept: Bool
        var canDone: Bool
    }

    struct UnitGroup: Encodable {
        var code: String
        var name: String
        var roleName: String
        var own: Bool
        var tasks: [Task]
        var firstResponse: String
        var allAccepted: String
        var allDone: String
    }

    struct Entry: Encodable {
        var id: Int
        var at: Date
        var kind: String
        var actionName: String
        var actor: String
        var unitName: String?
        /// The system's sentences in the page's language (empty for a person's words only, and for an entry stored
        /// before `note_parts`).
        var note: String
        /// A person's words as typed; an entry stored before `note_parts` shows its stored note here.
        var words: String
    }

    struct Measure: Encodable {
        var label: String
        var value: String
    }

    struct Link: Encodable {
        var kindName: String
        var id: Int
        var href: String
    }

    struct ResourceGroup: Encodable {
        var unitName: String
        var kindName: String
        var requested: [Int]
        var dispatched: [Int]
        var arrived: [Int]
        var released: Int
        var canMove: Bool
    }

    struct Choice: Encodable {
        var code: String
        var name: String
    }

    var page: ConsolePage
    var id: Int
    var title: String
    var typeName: String
    var level: String
    var levelName: String
    var active: Bool
    var stateName: String
    var areaNames: String
    var leadName: String
    var assistNames: String
    var declaredAt: Date
    var elapsed: String
    var map: IncidentMap
    var units: [UnitGroup]
    var measures: [Measure]
    var resources: [ResourceGroup]
    var links: [Link]
    var timeline: [Entry]
    var canCommand: Bool
    var plans: [Choice]
    var kinds: [Choice]
    var unitChoices: [Choice]

    static func load(_ loaded: LoadedIncident, access: IncidentAccess, req: Request) async throws -> IncidentRoom {
        let language = ConsoleText.language(req)
        let words = ConsoleText.table(language)
        let zh = language == .zh
        let reference = req.reference
        let sql = try req.db.sql()
        let store = IncidentStore(sql: sql)
        let incident = loaded.incident
        let active = incident.state == .active
        let command = access.canCommand(incident, units: loaded.units) && active
        let own = access.scope.unitCode
        func unitName(_ code: String) -> String { reference.unitName(code, in: language) }
        func duration(_ seconds: Double?) -> String {
            guard let seconds else { return words["ir_not_yet"] ?? "" }
            let minutes = Int((seconds / 60).rounded(.down))
            let (h, m) = (minutes / 60, minutes % 60)
            if zh { return h > 0 ? "\(h) 小时 \(m) 分" : "\(m) 分" }
            return h > 0 ? "\(h) h \(m) min" : "\(m) min"
        }

        let tasks = try await store.tasks(incident.id)
        let metrics = try await IncidentMetricsDTO.measure(incident, store: store)
        let perUnit = Dictionary(metrics.units.map { ($0.unitCode, $0) }, uniquingKeysWith: { first, _ in first })
        let units = loaded.units.map { unit in
            let times = perUnit[unit.unitCode]
            return UnitGroup(
                code: unit.unitCode, name: unitName(unit.unitCode),
                roleName: words["ir_role_\(unit.role.rawValue)"] ?? unit.role.rawValue, own: unit.unitCode == own,
                tasks: tasks.filter { $0.unitCode == unit.unitCode }.map { row in
                    let dto = IncidentTaskDTO(row, now: req.now)
                    let mine = row.unitCode == own && active
                    return Task(
                        id: row.id, title: zh ? row.titleZh : row.titleEn, state: row.state.rawValue,
                        stateName: words["ir_task_\(row.state.rawValue)"] ?? row.state.rawValue,
                        deadline: dto.deadline, overdue: dto.overdue, acceptedBy: dto.acceptedBy, doneBy: dto.doneBy,
                        note: dto.note, canAccept: mine && row.state == .open, canDone: mine && row.state == .accepted)
                },
                firstResponse: duration(times?.firstResponseSeconds),
                allAccepted: duration(times?.allAcceptedSeconds), allDone: duration(times?.allDoneSeconds))
        }

        let assignments = try await store.assignments(incident.id)
        let described = try await IncidentOperationsController.describe(assignments, req: req)
        var groups: [String: ResourceGroup] = [:]
        var order: [String] = []
        for item in described {
            let key = item.unitCode + "|" + item.kind
            if groups[key] == nil {
                order.append(key)
                groups[key] = ResourceGroup(
                    unitName: unitName(item.unitCode), kindName: Message("resource.\(item.kind)").text(language),
                    requested: [], dispatched: [], arrived: [], released: 0,
                    canMove: active && (command || item.unitCode == own))
            }
            switch item.state {
            case "requested": groups[key]?.requested.append(item.id)
            case "dispatched": groups[key]?.dispatched.append(item.id)
            case "arrived": groups[key]?.arrived.append(item.id)
            default: groups[key]?.released += 1
            }
        }
        let map = IncidentMap(
            regionCodes: incident.regions, center: incident.center, radiusMeters: incident.radiusM,
            resources: described.map {
                .init(
                    assignmentID: $0.id, name: $0.name, depot: $0.depot, latitude: $0.latitude,
                    longitude: $0.longitude, state: AssignmentState(rawValue: $0.state) ?? .requested)
            }, boundaries: reference.boundaries, hierarchy: reference.hierarchy)

        let timeline = try await store.events(incident.id).reversed().map { row in
            let shown = MessageNote.display(note: row.note, parts: row.noteParts, language, reference: reference)
            return Entry(
                id: row.id, at: VitalsTime.date(row.atMs), kind: row.kind.rawValue,
                actionName: words["ir_ev_\(row.action)"] ?? row.action, actor: row.actor,
                unitName: row.unitCode.map(unitName), note: shown.system, words: shown.words)
        }
        let links = try await store.links(incident.id).map { link in
            Link(
                kindName: words["ir_link_\(link.kind)"] ?? link.kind, id: link.refId,
                href: link.kind == "case"
                    ? "/console/cases/\(link.refId)" : "/console/alarms?status=all&alarm=\(link.refId)")
        }
        var plans: [Choice] = []
        if command {
            let started = Set(try await store.planStarts(incident.id))
            plans = try await ResponsePlans.all(bundled: req.application.bundledResponsePlans, on: sql)
                .filter { $0.applies(to: incident.type, level: incident.level) && !started.contains($0.code) }
                .map { Choice(code: $0.code, name: zh ? $0.nameZh : $0.nameEn) }
        }
        let end = incident.closedAtMs.map(VitalsTime.date) ?? req.now
        return IncidentRoom(
            page: ConsolePage(req, title: "incident_room", active: "incidents"), id: incident.id, title: incident.title,
            typeName: zh ? incident.type.nameZh : incident.type.nameEn, level: incident.level.rawValue,
            levelName: zh ? incident.level.nameZh : incident.level.nameEn, active: active,
            stateName: words["ir_state_\(incident.state.rawValue)"] ?? incident.state.rawValue,
            areaNames: incident.regions.map { reference.hierarchy[$0]?.name(in: language) ?? $0 }
                .joined(separator: language.listSeparator),
            leadName: unitName(incident.leadUnitCode),
            assistNames: loaded.units.filter { $0.role == .assist }.map { unitName($0.unitCode) }
                .joined(separator: language.listSeparator),
            declaredAt: incident.declaredAt, elapsed: duration(end.timeIntervalSince(incident.declaredAt)), map: map,
            units: units,
            measures: [
                Measure(label: words["ir_first_response"] ?? "", value: duration(metrics.firstResponseSeconds)),
                Measure(label: words["ir_all_accepted"] ?? "", value: duration(metrics.allAcceptedSeconds)),
                Measure(label: words["ir_all_arrived"] ?? "", value: duration(metrics.allResourcesArrivedSeconds)),
                Measure(label: words["ir_resolution"] ?? "", value: duration(metrics.resolutionSeconds)),
            ],
            resources: order.compactMap { groups[$0] }, links: links, timeline: timeline, canCommand: command,
            plans: plans,
            kinds: command
                ? ResourceKind.allCases.map {
                    Choice(code: $0.rawValue, name: Message("resource.\($0.rawValue)").text(language))
                }
                : [],
            unitChoices: command ? loaded.units.map { Choice(code: $0.unitCode, name: unitName($0.unitCode)) } : [])
    }
}
