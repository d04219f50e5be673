import CityDomain
import Foundation
import SQLKit
import Vapor

/// The resource pools (buses, pump trucks, gritters, crews): requests assign the nearest available resources of a
/// kind to an incident, and each assignment is tracked requested → dispatched → arrived → released with its times.
///
/// Nearest is the straight-line great-circle distance from the resource's position to the incident's point
/// (``NearestFirst``): CityNet has no road network. An incident without a point takes resources in id order. A
/// resource is assigned to one incident at a time: the claim is a conditional update (`state = 'available'`), so
/// two requests at the same moment never take the same bus; the later one takes the next nearest.
struct ResourcePool {
    let sql: any SQLDatabase

    /// What a request got.
    struct Request: Sendable {
        var kind: ResourceKind
        var unitCode: String
        var requested: Int
        var assigned: [AssignmentRow]
    }

    /// Requests `count` resources of `kind` for `unitCode`'s part of `incident`, nearest first.
    /// - Returns: the assignments made (fewer than `count` when the pool runs short; the timeline says so).
    func request(
        _ count: Int, of kind: ResourceKind, for incident: IncidentRow, unitCode: String, actor: CaseActor,
        atMS: Int64
    ) async throws -> Request {
        let available = try await sql.select().column("*").from("resources").where("kind", .equal, kind.rawValue)
            .where("state", .equal, "available").all().map { try $0.incidentDecode(ResourceRow.self) }
        let ordered: [(id: String, meters: Double)]
        if let target = incident.center {
            ordered = NearestFirst.order(
                available.compactMap { row in
                    (try? GeoPoint(latitude: row.latitude, longitude: row.longitude)).map {
                        NearestFirst.Candidate(id: row.id, position: $0)
                    }
                }, to: target)
        } else {
            ordered = available.map { (id: $0.id, meters: 0) }.sorted { $0.id < $1.id }
        }
        var assigned: [AssignmentRow] = []
        for candidate in ordered where assigned.count < count {
            let claimed = try await sql.update("resources").set("state", to: "assigned")
                .where("id", .equal, candidate.id).where("state", .equal, "available").returning("id").first()
            guard claimed != nil else { continue }
            let row = try await sql.insert(into: "resource_assignments")
                .columns("incident_id", "resource_id", "unit_code", "state", "distance_m", "requested_at_ms")
                .values(
                    SQLBind(incident.id), SQLBind(candidate.id), SQLBind(unitCode),
                    SQLBind(AssignmentState.requested.rawValue), SQLBind(candidate.meters), SQLBind(atMS)
                )
                .returning("*").first()
            if let row { assigned.append(try row.incidentDecode(AssignmentRow.self)) }
        }
        let km = { (m: Double?) in m.map { String(format: "%.1f", $0 / 1000) } ?? "-" }
        var note = "\(kind.rawValue) × \(count) requested, \(assigned.count) assigned"
        var parts = [
            Message(
                "incident_note.resources_requested",
                ["phrase_kind": "resource.\(kind.rawValue)", "count": "\(count)", "assigned": "\(assigned.count)"])
        ]
        if let first = assigned.first, let last = assigned.last {
            let (nearest, farthest) = (km(first.distanceM), km(last.distanceM))
            note += " (nearest \(nearest) km, farthest \(farthest) km)"
            parts.append(Message("incident_note.resources_distance", ["nearest": nearest, "farthest": farthest]))
        }
        if assigned.count < count {
            note += "; pool short by \(count - assigned.count)"
            parts.append(Message("incident_note.pool_short", ["count": "\(count - assigned.count)"]))
        }
        try await IncidentStore(sql: sql).event(
            incident.id, atMS: atMS, kind: .event, action: "resources_requested", actor: actor, unitCode: unitCode,
            note: note, parts: parts)
        return Request(kind: kind, unitCode: unitCode, requested: count, assigned: assigned)
    }

    /// Moves assignments of `incidentID` one step to `next` (dispatched, arrived or released); a released resource
    /// is available again. Assignments already there are left as they are.
    /// - Returns: the assignments moved.
    /// - Throws: 404 naming ids that are not assignments of the incident; 409 naming those whose state `next` does
    ///   not follow (nothing is moved then).
    func step(
        _ ids: [Int], of incidentID: Int, to next: AssignmentState, actor: CaseActor, atMS: Int64
    ) async throws -> [AssignmentRow] {
        guard !ids.isEmpty else { return [] }
        let rows = try await sql.select().column("*").from("resource_assignments")
            .where("incident_id", .equal, incidentID).where("id", .in, ids).all()
            .map { try $0.incidentDecode(AssignmentRow.self) }
        let found = Set(rows.map(\.id))
        let unknown = ids.filter { !found.contains($0) }
        guard unknown.isEmpty else {
            throw LocalizedRefusal(
                .notFound, "incident.no_assignment",
                ["ids": unknown.map(String.init).joined(separator: ", "), "id": "\(incidentID)"])
        }
        let refused = rows.filter { $0.state != next && $0.state.after(next) == nil }
        guard refused.isEmpty else {
            func state(_ row: AssignmentRow, _ language: DisplayLanguage) -> String {
                Message("assignment.\(row.state.rawValue)").text(language)
            }
            throw LocalizedRefusal(
                .conflict, "incident.cannot_mark",
                [
                    "phrase_step": "assignment.\(next.rawValue)",
                    "list_zh": refused.map { "#\($0.id) \(state($0, .zh))" }.joined(separator: "、"),
                    "list_en": refused.map { "#\($0.id) is \(state($0, .en))" }.joined(separator: ", "),
                ])
        }
        let moving = rows.filter { $0.state != next }
        let column = "\(next.rawValue)_at_ms"
        var moved: [AssignmentRow] = []
        for row in moving {
            let updated = try await sql.update("resource_assignments").set("state", to: next.rawValue)
                .set(SQLIdentifier(column), to: SQLBind(atMS)).where("id", .equal, row.id)
                .where("state", .equal, row.state.rawValue).returning("*").first()
            guard let updated else { continue }
            moved.append(try updated.incidentDecode(AssignmentRow.self))
            if next == .released {
                try await sql.update("resources").set("state", to: "available").where("id", .equal, row.resourceId)
                    .run()
            }
        }
        for (unit, group) in Dictionary(grouping: moved, by: \.unitCode).sorted(by: { $0.key < $1.key }) {
            try await IncidentStore(sql: sql).event(
                incidentID, atMS: atMS, kind: .event, action: "resources_\(next.rawValue)", actor: actor,
                unitCode: unit, note: "\(group.count) resource(s) \(next.rawValue)",
                parts: [Message("incident_note.resources_moved", ["count": "\(group.count)"])])
        }
        return moved
    }

    /// Every pooled resource, by kind then id.
    func all(kind: ResourceKind?) async throws -> [ResourceRow] {
        let query = sql.select().column("*").from("resources")
        if let kind { query.where("kind", .equal, kind.rawValue) }
        return try await query.orderBy("kind").orderBy("id").all().map { try $0.incidentDecode(ResourceRow.self) }
    }
}
