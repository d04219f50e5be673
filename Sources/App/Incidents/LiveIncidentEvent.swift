import CityDomain
import Fluent
import Foundation
import SQLKit
import Vapor

/// One timeline entry of a joint incident as the live feed carries it (`event: incident` on
/// `GET /console/events`), with what a stream needs to decide whether its operator sees the incident.
struct LiveIncidentEvent: Content, Sendable {
    var id: Int
    var incidentID: Int
    var at: Date
    var kind: String
    var action: String
    var actor: String
    var actorUnitCode: String?
    var unitCode: String?
    var taskID: Int?
    var note: String?
    /// The incident's regions and units taking part, for the scope check.
    var regionCodes: [String]
    var unitCodes: [String]

    enum CodingKeys: String, CodingKey {
        case id, at, kind, action, actor, note
        case incidentID = "incident_id", actorUnitCode = "actor_unit_code", unitCode = "unit_code", taskID = "task_id"
        case regionCodes = "region_codes", unitCodes = "unit_codes"
    }

    /// Whether `scope` sees the incident (``IncidentAccess/canSee(_:units:)``).
    func visible(to scope: OperatorScope, in hierarchy: RegionHierarchy) -> Bool {
        IncidentAccess(scope: scope, hierarchy: hierarchy).canSee(regionCodes: regionCodes, unitCodes: unitCodes)
    }

    /// Where the feed has read `incident_events` up to: the highest id seen, and the ids seen in the look-back
    /// window (on PostgreSQL a transaction may commit after one with a higher id, as for case events).
    struct Cursor: Sendable {
        var lastID: Int?
        var seen: Set<Int> = []
    }

    /// The entries after `cursor`, and the cursor after them. A fresh cursor starts at the newest entry and returns
    /// nothing (a page shows history from its own query).
    static func read(after cursor: Cursor, on db: any Database) async throws -> ([LiveIncidentEvent], Cursor) {
        let sql = try db.sql()
        guard let lastID = cursor.lastID else {
            let newest =
                try await sql.select().column(SQLFunction("MAX", args: SQLIdentifier("id")), as: "n")
                .from("incident_events").first(decodingColumn: "n", as: Int?.self) ?? nil
            let start = newest ?? 0
            let recent = try await sql.select().column("id").from("incident_events")
                .where("id", .greaterThan, start - LiveFeed.lookback).all(decodingColumn: "id", as: Int.self)
            return ([], Cursor(lastID: start, seen: Set(recent)))
        }
        let rows = try await sql.select().column("*").from("incident_events")
            .where("id", .greaterThan, lastID - LiveFeed.lookback).orderBy("id").limit(LiveFeed.lookback * 2).all()
            .map { try $0.incidentDecode(IncidentEventRow.self) }
        var next = cursor
        let fresh = rows.filter { next.seen.insert($0.id).inserted }
        guard !fresh.isEmpty else { return ([], cursor) }
        next.lastID = max(lastID, fresh.map(\.id).max() ?? lastID)
        let floor = (next.lastID ?? 0) - LiveFeed.lookback
        next.seen = next.seen.filter { $0 > floor }
        let store = IncidentStore(sql: sql)
        var incidents: [Int: (regions: [String], units: [String])] = [:]
        for id in Set(fresh.map(\.incidentId)) {
            guard let incident = try await store.incident(id) else { continue }
            incidents[id] = (incident.regions, try await store.units(id).map(\.unitCode))
        }
        let events = fresh.map { row in
            LiveIncidentEvent(
                id: row.id, incidentID: row.incidentId, at: VitalsTime.date(row.atMs), kind: row.kind.rawValue,
                action: row.action, actor: row.actor, actorUnitCode: row.actorUnitCode, unitCode: row.unitCode,
                taskID: row.taskId, note: row.note, regionCodes: incidents[row.incidentId]?.regions ?? [],
                unitCodes: incidents[row.incidentId]?.units ?? [])
        }
        return (events, next)
    }
}
