import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

/// What closing an incident settles (issue 15): its resources go back to their pools, nothing more lands on it, and
/// who may command or link to it.
@Suite struct IncidentCloseTests {
    typealias F = IncidentFixtures

    /// Resources of `kind` that are assigned (not available), by id.
    static func held(_ app: Application, kind: String) async throws -> [String] {
        try await app.db.sql().select().column("id").from("resources").where("kind", .equal, kind)
            .where("state", .notEqual, "available").all(decodingColumn: "id", as: String.self).sorted()
    }

    @Test func closingReleasesEveryResourceAndRefusesLaterChanges() async throws {
        try await TestApp.withApp { app, _ in
            let team = try await F.team(app)
            let id = try await F.declareFerry(app, token: team.city)
            let made = try await F.send(
                app, .POST, "/api/v1/incidents/\(id)/resource-requests", token: team.pudong,
                json: ["kind": "bus", "count": 5, "unit_code": "310000.transport"])
            #expect(made.status == .created, "\(made.text)")
            let first = made.list.compactMap { $0["resource_id"] as? String }.sorted()
            let dispatched = made.list.prefix(2).compactMap { $0["id"] as? Int }
            let moved = try await F.send(
                app, .POST, "/api/v1/incidents/\(id)/assignments/dispatch", token: team.pudong,
                json: ["assignment_ids": dispatched])
            #expect(moved.status == .ok, "\(moved.text)")
            #expect(try await Self.held(app, kind: "bus") == first)

            let closed = try await F.send(
                app, .POST, "/api/v1/incidents/\(id)/close", token: team.city,
                json: ["override_reason": "旅客已全部疏散"])
            #expect(closed.status == .ok, "\(closed.text)")
            #expect(try await Self.held(app, kind: "bus") == [], "every bus is back in its pool")
            let assignments = try await F.send(app, .GET, "/api/v1/incidents/\(id)/assignments", token: team.city)
            #expect(assignments.list.count == 5)
            #expect(assignments.list.allSatisfy { $0["state"] as? String == "released" })

            // Nothing more lands on a closed incident.
            for (path, body) in [
                ("resource-requests", ["kind": "bus", "count": 1, "unit_code": "310000.transport"] as [String: Any]),
                ("plans", [:]),
                (
                    "tasks",
                    [
                        "unit_code": "310115.operations_centre", "code": "x", "title_zh": "补充任务",
                        "deadline_minutes": 30,
                    ]
                ),
            ] {
                let late = try await F.send(app, .POST, "/api/v1/incidents/\(id)/\(path)", token: team.city, json: body)
                #expect(late.status == .conflict, "\(path): \(late.text)")
            }
            // The next incident finds the same buses available, nearest first.
            let next = try await F.declareFerry(app, token: team.city, level: "II")
            let again = try await F.send(
                app, .POST, "/api/v1/incidents/\(next)/resource-requests", token: team.city,
                json: ["kind": "bus", "count": 5, "unit_code": "310000.transport"])
            #expect(again.list.compactMap { $0["resource_id"] as? String }.sorted() == first)
        }
    }

    @Test func oneDistrictsCentreDoesNotCommandAnIncidentSpanningTwo() async throws {
        try await TestApp.withApp { app, _ in
            let team = try await F.team(app)
            var body = F.ferryBody()
            body["area"] = ["region_codes": ["310115", "310107"]]
            body["lead_unit_code"] = "310000.operations_centre"
            let declared = try await F.send(app, .POST, "/api/v1/incidents", token: team.city, json: body)
            #expect(declared.status == .created, "\(declared.text)")
            let id = try #require(declared["id"] as? Int)
            // Pudong's centre sees it (part of its area is Pudong's) but may not command it; the city may.
            let seen = try await F.send(app, .GET, "/api/v1/incidents/\(id)", token: team.pudong)
            #expect(seen.status == .ok)
            let refused = try await F.send(
                app, .POST, "/api/v1/incidents/\(id)/close", token: team.pudong, json: ["override_reason": "x"])
            #expect(refused.status == .forbidden, "\(refused.text)")
            let plan = try await F.send(app, .POST, "/api/v1/incidents/\(id)/plans", token: team.city, json: [:])
            #expect(plan.status == .ok || plan.status == .created, "\(plan.text)")
        }
    }

    @Test func anAlarmOutsideTheCommandersScopeIsNotLinked() async throws {
        try await TestApp.withApp { app, _ in
            let team = try await F.team(app)
            // A gale alarm on a sensor in Putuo, where Pudong's centre cannot see.
            try await VitalsFixtures.post(
                app, "/api/v1/sensors", token: team.city,
                json: [
                    "id": "putuo-wind", "kind": "weather", "name": "普陀风速站", "lat": 31.2494, "long": 121.3974,
                    "region_code": "310107", "unit_code": "310000.meteorology",
                    "attributes": [["name": "windSpeed", "unit": "MTS"]],
                ]
            ) { res in #expect(res.status == .created, "\(res.body.string)") }
            let outcomes = try await ReadingIngest.ingest(
                [
                    ReadingInput(
                        sensorID: "putuo-wind", attribute: "windSpeed", value: .number(19), unit: "m/s",
                        observedAt: VitalsFixtures.isoMS(app.clock.now().addingTimeInterval(-60)))
                ], app: app, now: app.clock.now())
            #expect(outcomes == [.accepted])
            let alarmID = try #require(
                try await app.db.sql().select().column("id").from("alarms").where("sensor_id", .equal, "putuo-wind")
                    .first(decodingColumn: "id", as: Int.self))
            let id = try await F.declareFerry(app, token: team.city)  // lead: Pudong's centre
            let refused = try await F.send(
                app, .POST, "/api/v1/incidents/\(id)/links", token: team.pudong, json: ["alarm_id": alarmID])
            #expect(refused.status == .unprocessableEntity, "\(refused.text)")
            #expect(refused.text.contains("alarm \(alarmID) not found"))
            let linked = try await F.send(
                app, .POST, "/api/v1/incidents/\(id)/links", token: team.city, json: ["alarm_id": alarmID])
            #expect(linked.status == .ok, "\(linked.text)")
        }
    }
}
