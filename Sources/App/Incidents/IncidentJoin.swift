import CityDomain
import Fluent
import Foundation
import SQLKit
import Vapor

/// Cases join active incidents by area and category (issue 15 §1: "new reports in its area and category join it").
///
/// A case joins an active incident when it is not closed, belongs to no incident yet, its category is one of the
/// incident's `category_codes`, and it lies in the incident's area (``IncidentArea/contains(regionCode:point:in:)``:
/// its region inside one of the incident's regions, or its point within the radius). Open cases join at the
/// declaration; later ones at the next pass of the join sweep (run with the other sweeps, every
/// `escalationInterval`), or at once when a report is merged into a case that already belongs. A case that fits two
/// incidents joins the older one. Each join is a timeline entry `linked_case` (how: `auto`) by `system`.
enum IncidentJoin {
    /// Joins the open cases that fit incident `incidentID`.
    /// - Returns: the ids of the cases joined.
    @discardableResult
    static func joinOpenCases(incidentID: Int, reference: CityReference, atMS: Int64, on sql: any SQLDatabase)
        async throws -> [Int]
    {
        let store = IncidentStore(sql: sql)
        guard let incident = try await store.incident(incidentID), incident.state == .active,
            !incident.categories.isEmpty
        else { return [] }
        let rows = try await sql.select().column("id").column("region_code").column("latitude").column("longitude")
            .from("cases").where("category_code", .in, incident.categories)
            .where("state", .notEqual, CaseState.closed.rawValue)
            .where(
                "id", .notIn,
                SQLGroupExpression(
                    sql.select().column("ref_id").from("incident_links").where("kind", .equal, "case").query)
            )
            .orderBy("id").all()
        var joined: [Int] = []
        for row in rows {
            let id = try row.decode(column: "id", as: Int.self)
            let region = try row.decode(column: "region_code", as: String.self)
            var point: GeoPoint?
            if let lat = try row.decode(column: "latitude", as: Double?.self),
                let long = try row.decode(column: "longitude", as: Double?.self)
            {
                point = try? GeoPoint(latitude: lat, longitude: long)
            }
            guard incident.area.contains(regionCode: region, point: point, in: reference.hierarchy) else { continue }
            if try await store.link(incidentID, kind: "case", refID: id, how: "auto", actor: .system, atMS: atMS) {
                joined.append(id)
            }
        }
        return joined
    }

    /// One pass over every active incident, oldest first.
    /// - Returns: how many cases joined.
    @discardableResult
    static func sweep(app: Application, now: Date) async throws -> Int {
        let reference = app.reference
        let atMS = VitalsTime.ms(now)
        return try await app.writeGate.exclusive { db in
            let sql = try db.sql()
            var count = 0
            for incident in try await IncidentStore(sql: sql).incidents(state: .active).reversed() {
                count += try await joinOpenCases(incidentID: incident.id, reference: reference, atMS: atMS, on: sql)
                    .count
            }
            return count
        }
    }

    /// The sweep as a periodic task (lease "incident join sweep").
    static func periodicTask(interval: TimeInterval) -> PeriodicTask {
        PeriodicTask(name: "incident join sweep", interval: interval, startsAtOnce: false) { application, _ in
            _ = try await sweep(app: application, now: application.clock.now())
        }
    }
}
