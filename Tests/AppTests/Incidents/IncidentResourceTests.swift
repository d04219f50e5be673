import CityDomain
import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

/// Resources, response-plan edits, joining cases and the live feed of joint incidents (issue 15 §1–§3).
@Suite("Joint incidents: resources, plans, joins, live feed")
struct IncidentResourceTests {
    typealias F = IncidentFixtures

    @Test func requestsAssignTheNearestAvailableResourcesFirst() async throws {
        try await TestApp.withApp { app, _ in
            let team = try await F.team(app)
            let id = try await F.declareFerry(app, token: team.city)
            let made = try await F.send(
                app, .POST, "/api/v1/incidents/\(id)/resource-requests", token: team.pudong,
                json: ["kind": "bus", "count": 25, "unit_code": "310000.transport"])
            #expect(made.status == .created, "\(made.text)")
            let assigned = made.list
            #expect(assigned.count == 25)
            // The 20 buses of the Gaodong yard (≈ 3.7 km from the terminal) come first, then the Jinqiao yard's.
            #expect(assigned.prefix(20).allSatisfy { $0["depot"] as? String == "demo-gaodong-bus" })
            #expect(assigned.suffix(5).allSatisfy { $0["depot"] as? String == "demo-jinqiao-bus" })
            let distances = assigned.compactMap { $0["distance_m"] as? Double }
            #expect(distances == distances.sorted())
            #expect(assigned.allSatisfy { $0["demo"] as? Bool == true && $0["state"] as? String == "requested" })
            // Those buses are no longer available to the next request, which takes the next nearest.
            let next = try await F.send(
                app, .POST, "/api/v1/incidents/\(id)/resource-requests", token: team.city,
                json: ["kind": "bus", "count": 1, "unit_code": "310000.transport"])
            #expect(next.list.first?["depot"] as? String == "demo-jinqiao-bus")
            #expect((next.list.first?["distance_m"] as? Double ?? 0) >= distances.last ?? 0)

            let bad = try await F.send(
                app, .POST, "/api/v1/incidents/\(id)/resource-requests", token: team.city,
                json: ["kind": "boat", "count": 0, "unit_code": "310107.water"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.errorFields == ["kind", "count", "unit_code"], "\(bad.text)")
            let short = try await F.send(
                app, .POST, "/api/v1/incidents/\(id)/resource-requests", token: team.city,
                json: ["kind": "gritter", "count": 500])
            #expect(short.list.count == 8, "the pool holds 8 gritters")
            let events = try await F.send(app, .GET, "/api/v1/incidents/\(id)/events", token: team.city).list
            #expect(events.contains { ($0["note"] as? String ?? "").contains("pool short by 492") })
        }
    }

    @Test func assignmentsMoveOnOnlyInOrderAndByTheirUnit() async throws {
        try await TestApp.withApp { app, clock in
            let team = try await F.team(app)
            let id = try await F.declareFerry(app, token: team.city)
            _ = try await F.send(app, .POST, "/api/v1/incidents/\(id)/plans", token: team.city, json: [:])
            let all = try await F.send(app, .GET, "/api/v1/incidents/\(id)/assignments", token: team.transport).list
            #expect(all.count == 100)
            let ids = all.prefix(3).compactMap { $0["id"] as? Int }
            let path = "/api/v1/incidents/\(id)/assignments"
            let early = try await F.send(
                app, .POST, "\(path)/arrive", token: team.transport, json: ["assignment_ids": ids])
            #expect(early.status == .conflict, "arrived before dispatched")
            #expect(early.text.contains("is requested"))
            let other = try await F.send(
                app, .POST, "\(path)/dispatch", token: team.trafficPolice, json: ["assignment_ids": ids])
            #expect(other.status == .forbidden)
            clock.advance(by: 60)
            let sent = try await F.send(
                app, .POST, "\(path)/dispatch", token: team.transport, json: ["assignment_ids": ids])
            #expect(sent.list.count == 3 && sent.list.allSatisfy { $0["dispatched_at"] != nil })
            let unknown = try await F.send(
                app, .POST, "\(path)/dispatch", token: team.transport, json: ["assignment_ids": [999_999]])
            #expect(unknown.status == .notFound)
            let badStep = try await F.send(
                app, .POST, "\(path)/teleport", token: team.transport, json: ["assignment_ids": ids])
            #expect(badStep.status == .notFound)
            clock.advance(by: 600)
            _ = try await F.send(app, .POST, "\(path)/arrive", token: team.transport, json: ["assignment_ids": ids])
            let released = try await F.send(
                app, .POST, "\(path)/release", token: team.transport, json: ["assignment_ids": ids])
            #expect(released.list.allSatisfy { $0["state"] as? String == "released" })
            let pool = try await F.send(app, .GET, "/api/v1/resources?kind=bus", token: team.city).list
            let freed = Set(all.prefix(3).compactMap { $0["resource_id"] as? String })
            #expect(
                pool.filter { freed.contains($0["id"] as? String ?? "") }.allSatisfy {
                    $0["state"] as? String == "available"
                })
            #expect(pool.count == 130)
            let metrics = try await F.send(app, .GET, "/api/v1/incidents/\(id)/metrics", token: team.city)
            #expect(metrics["all_resources_arrived_seconds"] == nil, "97 buses have not arrived")
        }
    }

    @Test func newCasesInTheAreaAndCategoryJoinTheIncident() async throws {
        try await TestApp.withApp { app, _ in
            let team = try await F.team(app)
            let key = try await TestApp.apiKey(app)
            let declared = try await F.send(
                app, .POST, "/api/v1/incidents", token: team.city,
                json: [
                    "type": "road_ponding", "level": "IV", "area": ["region_codes": ["310115"]],
                    "lead_unit_code": "310115.water",
                ])
            let id = try #require(declared["id"] as? Int)
            func report(_ code: String, _ lat: String, _ long: String) async throws -> Int {
                var caseID = 0
                try await Open311IntakeTests.post(
                    app, ["api_key": key, "service_code": code, "lat": lat, "long": long]
                ) { res in
                    let created = try JSONSerialization.jsonObject(with: Data(buffer: res.body)) as? [[String: Any]]
                    let reportID = Int(created?.first?["service_request_id"] as? String ?? "") ?? 0
                    caseID = reportID
                }
                return try #require(try await Report.find(caseID, on: app.db)?.caseID)
            }
            let inPudong = try await report("road.ponding", "31.2200", "121.5400")
            let inPutuo = try await report("road.ponding", "31.2500", "121.4000")
            let otherCategory = try await report("noise.dog_barking", "31.2200", "121.5400")
            #expect(try await IncidentJoin.sweep(app: app, now: app.clock.now()) == 1)
            #expect(try await IncidentJoin.sweep(app: app, now: app.clock.now()) == 0, "a case joins once")
            let detail = try await F.send(app, .GET, "/api/v1/incidents/\(id)", token: team.city)
            let links = detail["links"] as? [[String: Any]] ?? []
            #expect(links.map { $0["id"] as? Int } == [inPudong])
            #expect(links.first?["how"] as? String == "auto")
            #expect(!links.contains { [inPutuo, otherCategory].contains($0["id"] as? Int) })
            // Linking by hand a case that belongs already is refused.
            let again = try await F.send(
                app, .POST, "/api/v1/incidents/\(id)/links", token: team.city, json: ["case_id": inPudong])
            #expect(again.status == .conflict)
            let manual = try await F.send(
                app, .POST, "/api/v1/incidents/\(id)/links", token: team.city, json: ["case_id": inPutuo])
            #expect(manual.status == .ok, "\(manual.text)")
        }
    }

    @Test func plansAreEditedAsCheckedData() async throws {
        try await TestApp.withApp { app, _ in
            let team = try await F.team(app)
            let plans = try await F.send(app, .GET, "/api/v1/response-plans", token: team.pudong).list
            #expect(plans.compactMap { $0["code"] as? String } == ["ferry_suspension", "road_ponding", "bridge_ice"])
            var ice = try #require(plans.last)
            let bad: [String: Any] = [
                "code": "bridge_ice", "name_zh": "", "name_en": "Ice", "incident_type": "bridge_ice",
                "levels": ["IV", "IV"],
                "units": [
                    [
                        "unit": "{street}.road_maintenance",
                        "tasks": [["code": "Grit!", "title_zh": "撒布", "title_en": "Grit", "deadline_minutes": 0]],
                        "resources": [["kind": "gritter", "count": 0]],
                    ],
                    ["unit": "310115.nowhere", "tasks": []],
                ],
            ]
            let refused = try await F.send(app, .PUT, "/api/v1/response-plans/bridge_ice", token: team.city, json: bad)
            #expect(refused.status == .unprocessableEntity)
            #expect(
                refused.errorFields == [
                    "name_zh", "levels", "units[0].unit", "units[0].tasks[0].code",
                    "units[0].tasks[0].deadline_minutes",
                    "units[0].resources[0].count", "units[1].unit", "units[1].tasks",
                ], "\(refused.text)")
            let shape = try await F.send(
                app, .PUT, "/api/v1/response-plans/bridge_ice", token: team.city,
                json: [
                    "code": "bridge_ice", "name_zh": "x", "name_en": "x", "incident_type": "hail", "levels": [],
                    "units": [],
                ])
            #expect(shape.status == .unprocessableEntity)
            #expect(shape.errorFields == ["incident_type"], "\(shape.text)")
            let district = try await F.send(
                app, .PUT, "/api/v1/response-plans/bridge_ice", token: team.pudong, json: ice)
            #expect(district.status == .forbidden)

            var units = ice["units"] as? [[String: Any]] ?? []
            units[0]["resources"] = [["kind": "gritter", "count": 3]]
            ice["units"] = units
            let saved = try await F.send(app, .PUT, "/api/v1/response-plans/bridge_ice", token: team.city, json: ice)
            #expect(saved.status == .ok, "\(saved.text)")
            let declared = try await F.send(
                app, .POST, "/api/v1/incidents", token: team.city,
                json: [
                    "type": "bridge_ice", "level": "IV", "area": ["region_codes": ["310107"]],
                    "lead_unit_code": "310107.road_maintenance",
                ])
            let id = try #require(declared["id"] as? Int)
            let start = try await F.send(app, .POST, "/api/v1/incidents/\(id)/plans", token: team.city, json: [:])
            #expect(start["resources_assigned"] as? Int == 3, "the edited plan is the one started: \(start.text)")
            #expect(start["units_notified"] as? [String] == ["310107.traffic_police"])
            let wrong = try await F.send(
                app, .POST, "/api/v1/incidents/\(id)/plans", token: team.city, json: ["plan_code": "ferry_suspension"])
            #expect(wrong.errors.first?["code"] as? String == "does_not_apply")
        }
    }

    @Test func incidentTimelinesReachTheLiveFeedOfThoseWhoSeeThem() async throws {
        try await TestApp.withApp { app, _ in
            let team = try await F.team(app)
            let id = try await F.declareFerry(app, token: team.city)
            let subscription = app.liveFeed.subscribe(app, sessionHash: Access.digest(team.weather))
            try await Task.sleep(for: .milliseconds(700))  // the feed's first tick starts at the newest entry
            _ = try await F.send(app, .POST, "/api/v1/incidents/\(id)/plans", token: team.city, json: [:])
            var received: [LiveIncidentEvent] = []
            let reader = Task {
                var events: [LiveIncidentEvent] = []
                for await event in subscription.incidents {
                    events.append(event)
                    if event.action == "plan_started" { break }
                }
                return events
            }
            let timeout = Task {
                try await Task.sleep(for: .seconds(20))
                reader.cancel()
            }
            received = await reader.value
            timeout.cancel()
            let started = try #require(received.first { $0.action == "plan_started" })
            #expect(started.incidentID == id && started.actor == "city.op")
            #expect(!received.contains { $0.action == "declared" }, "history before the stream is not replayed")
            let weather = try #require(
                try await Access.scope(
                    forToken: team.weather, reference: app.reference, on: app.db, now: app.clock.now()))
            let putuo = try #require(
                try await Access.scope(
                    forToken: team.putuo, reference: app.reference, on: app.db, now: app.clock.now()))
            #expect(started.visible(to: weather, in: app.reference.hierarchy))
            #expect(!started.visible(to: putuo, in: app.reference.hierarchy))
        }
    }
}
