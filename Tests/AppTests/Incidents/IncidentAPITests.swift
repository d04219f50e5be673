import CityDomain
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import App

/// Joint incidents through the API (issue 15 §1–§3), on SQLite and, with `TEST_DATABASE_URL`, PostgreSQL.
@Suite("Joint incidents: declare, plan, tasks, close")
struct IncidentAPITests {
    typealias F = IncidentFixtures

    @Test func ferryPlanCreatesTasksPerUnitAndOnlyTheirUnitAcceptsThem() async throws {
        try await TestApp.withApp { app, clock in
            let team = try await F.team(app)
            let id = try await F.declareFerry(app, token: team.city)
            let start = try await F.send(app, .POST, "/api/v1/incidents/\(id)/plans", token: team.pudong, json: [:])
            #expect(start.status == .created, "\(start.text)")
            #expect(start["plan_code"] as? String == "ferry_suspension")
            #expect(start["tasks_created"] as? Int == 5)
            #expect(start["resources_assigned"] as? Int == 100)
            let units = Set(start["units_notified"] as? [String] ?? [])
            #expect(units == ["310115.transport", "310000.meteorology", "310115.traffic_police"])

            let detail = try await F.send(app, .GET, "/api/v1/incidents/\(id)", token: team.transport)
            #expect(detail.status == .ok, "\(detail.text)")
            let tasks = detail["tasks"] as? [[String: Any]] ?? []
            let busTask = try #require(tasks.first { $0["code"] as? String == "dispatch_buses" })
            let busTaskID = try #require(busTask["id"] as? Int)
            #expect(busTask["unit_code"] as? String == "310115.transport")

            // Another unit's operator may see the incident but not accept the transport task.
            let refused = try await F.send(
                app, .POST, "/api/v1/incidents/\(id)/tasks/\(busTaskID)/accept", token: team.trafficPolice)
            #expect(refused.status == .forbidden, "\(refused.text)")
            // An operator of an unrelated district does not see the incident at all.
            let hidden = try await F.send(app, .GET, "/api/v1/incidents/\(id)", token: team.putuo)
            #expect(hidden.status == .notFound)
            let hiddenTask = try await F.send(
                app, .POST, "/api/v1/incidents/\(id)/tasks/\(busTaskID)/accept", token: team.putuo)
            #expect(hiddenTask.status == .notFound)

            clock.advance(by: 240)
            let accepted = try await F.send(
                app, .POST, "/api/v1/incidents/\(id)/tasks/\(busTaskID)/accept", token: team.transport)
            #expect(accepted.status == .ok, "\(accepted.text)")
            #expect(accepted["state"] as? String == "accepted")
            #expect(accepted["overdue"] as? Bool == false)
            let again = try await F.send(
                app, .POST, "/api/v1/incidents/\(id)/tasks/\(busTaskID)/accept", token: team.transport)
            #expect(again.status == .conflict)
            #expect(again.text.contains("already accepted"))

            // Signed off by its unit, with the timeline attributing every step.
            let done = try await F.send(
                app, .POST, "/api/v1/incidents/\(id)/tasks/\(busTaskID)/done", token: team.transport,
                json: ["note": "100 buses on the way"])
            #expect(done["state"] as? String == "done")
            let events = try await F.send(app, .GET, "/api/v1/incidents/\(id)/events", token: team.city).list
            let accept = try #require(events.first { $0["action"] as? String == "task_accepted" })
            #expect(accept["actor"] as? String == "pd.transport")
            #expect(accept["actor_unit_code"] as? String == "310115.transport")
            #expect(events.first?["action"] as? String == "declared")
            #expect(
                events.contains { $0["action"] as? String == "plan_started" && $0["kind"] as? String == "decision" })
        }
    }

    @Test func startingThePlanTwiceDoesNothingTheSecondTime() async throws {
        try await TestApp.withApp { app, _ in
            let team = try await F.team(app)
            let id = try await F.declareFerry(app, token: team.city)
            let first = try await F.send(app, .POST, "/api/v1/incidents/\(id)/plans", token: team.city, json: [:])
            #expect(first.status == .created)
            let second = try await F.send(
                app, .POST, "/api/v1/incidents/\(id)/plans", token: team.city, json: ["plan_code": "ferry_suspension"])
            #expect(second.status == .ok, "\(second.text)")
            #expect(second["started"] as? Bool == false)
            #expect(second["tasks_created"] as? Int == 0)
            let detail = try await F.send(app, .GET, "/api/v1/incidents/\(id)", token: team.city)
            #expect((detail["tasks"] as? [Any])?.count == 5)
            #expect((detail["resources"] as? [String: Int])?["requested"] == 100)
        }
    }

    @Test func concurrentPlanStartsMakeOneSetOfTasks() async throws {
        try await TestApp.withApp { app, _ in
            let team = try await F.team(app)
            let id = try await F.declareFerry(app, token: team.city)
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        try await F.send(app, .POST, "/api/v1/incidents/\(id)/plans", token: team.city, json: [:])
                            .status
                    }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 == .ok }.count == 5, "\(statuses)")
            let sql = try app.db.sql()
            let tasks = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from("incident_tasks").where("incident_id", .equal, id).first(decodingColumn: "n", as: Int.self)
            #expect(tasks == 5)
            let assigned = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from("resource_assignments").first(decodingColumn: "n", as: Int.self)
            #expect(assigned == 100)
        }
    }

    @Test func closingRefusesOpenTasksUnlessOverriddenWithAReason() async throws {
        try await TestApp.withApp { app, _ in
            let team = try await F.team(app)
            let id = try await F.declareFerry(app, token: team.city)
            _ = try await F.send(app, .POST, "/api/v1/incidents/\(id)/plans", token: team.city, json: [:])
            let refused = try await F.send(app, .POST, "/api/v1/incidents/\(id)/close", token: team.city, json: [:])
            #expect(refused.status == .conflict)
            #expect(refused.text.contains("5 task(s) not signed off"), "\(refused.text)")
            #expect(refused.text.contains("310000.meteorology forecast_updates (open)"), "\(refused.text)")
            // A caseworker of an assisting unit may not close it.
            let notLead = try await F.send(
                app, .POST, "/api/v1/incidents/\(id)/close", token: team.transport, json: ["override_reason": "x"])
            #expect(notLead.status == .forbidden)
            let emptyReason = try await F.send(
                app, .POST, "/api/v1/incidents/\(id)/close", token: team.city, json: ["override_reason": " "])
            #expect(emptyReason.status == .unprocessableEntity)
            let closed = try await F.send(
                app, .POST, "/api/v1/incidents/\(id)/close", token: team.pudong,
                json: ["override_reason": "ferries resumed; tasks handled by phone"])
            #expect(closed.status == .ok, "\(closed.text)")
            #expect(closed["state"] as? String == "closed")
            #expect(closed["closed_by"] as? String == "pudong.op")
            let events = try await F.send(app, .GET, "/api/v1/incidents/\(id)/events", token: team.city).list
            #expect(events.last?["action"] as? String == "closed_override")
            let late = try await F.send(
                app, .POST, "/api/v1/incidents/\(id)/messages", token: team.city, json: ["text": "hi"])
            #expect(late.status == .created, "messages stay possible after the close")
        }
    }

    @Test func declarationRefusesEachBadFieldWith422() async throws {
        try await TestApp.withApp { app, _ in
            let team = try await F.team(app)
            let bad = try await F.send(
                app, .POST, "/api/v1/incidents", token: team.city,
                json: [
                    "type": "flood", "level": "V", "area": ["region_codes": ["999999"]],
                    "lead_unit_code": "310115.nothing", "assisting_unit_codes": ["310115.transport", "x.y"],
                    "category_codes": ["no.such"],
                ])
            #expect(bad.status == .unprocessableEntity)
            #expect(
                bad.errorFields == [
                    "type", "level", "area.region_codes", "lead_unit_code", "assisting_unit_codes[1]",
                    "category_codes[0]",
                ], "\(bad.text)")
            let radius = try await F.send(
                app, .POST, "/api/v1/incidents", token: team.city,
                json: [
                    "type": "bridge_ice", "level": "IV", "area": ["point": ["lat": 31.2, "long": 121.5]],
                    "lead_unit_code": "310115.road_maintenance",
                ])
            #expect(radius.errorFields == ["area.radius_m"], "\(radius.text)")
            let notJSON = try await F.send(app, .POST, "/api/v1/incidents", token: team.city, json: [1, 2])
            #expect(notJSON.status == .badRequest)
            // Only an operations centre over the whole area declares: Putuo's centre may not declare in Pudong.
            let outside = try await F.send(app, .POST, "/api/v1/incidents", token: team.putuo, json: F.ferryBody())
            #expect(outside.status == .forbidden)
            let caseworker = try await F.send(
                app, .POST, "/api/v1/incidents", token: team.transport, json: F.ferryBody())
            #expect(caseworker.status == .forbidden)
        }
    }

    @Test func anIncidentDeclaredFromAnAlarmOrACaseTakesItsPlaceAndLinksIt() async throws {
        try await TestApp.withApp { app, _ in
            let team = try await F.team(app)
            try await VitalsFixtures.post(
                app, "/api/v1/sensors", token: team.city,
                json: [
                    "id": "wuzhou-wind", "kind": "weather", "name": "五洲大道风速站", "lat": F.terminal.lat,
                    "long": F.terminal.long, "region_code": "310115", "unit_code": "310000.meteorology",
                    "attributes": [["name": "windSpeed", "unit": "MTS"]],
                ]
            ) { res in #expect(res.status == .created, "\(res.body.string)") }
            let observed = app.clock.now().addingTimeInterval(-60)
            let outcomes = try await ReadingIngest.ingest(
                [
                    ReadingInput(
                        sensorID: "wuzhou-wind", attribute: "windSpeed", value: .number(18.3), unit: "m/s",
                        observedAt: VitalsFixtures.isoMS(observed))
                ], app: app, now: app.clock.now())
            #expect(outcomes == [.accepted])
            let alarmID = try #require(
                try await app.db.sql().select().column("id").from("alarms").where("rule_code", .equal, "gale_force_8")
                    .first(decodingColumn: "id", as: Int.self))
            let body: [String: Any] = [
                "type": "ferry_suspension", "level": "III", "alarm_id": alarmID,
                "lead_unit_code": "310115.operations_centre",
            ]
            let declared = try await F.send(app, .POST, "/api/v1/incidents", token: team.city, json: body)
            #expect(declared.status == .created, "\(declared.text)")
            #expect(declared["source"] as? String == "alarm")
            let area = declared["area"] as? [String: Any] ?? [:]
            #expect(area["region_codes"] as? [String] == ["310115"])
            #expect(area["radius_m"] as? Double == 3000)
            #expect((area["point"] as? [String: Double])?["lat"] == F.terminal.lat)
            #expect(
                (declared["links"] as? [[String: Any]])?.map { "\($0["kind"] ?? "") \($0["how"] ?? "")" } == [
                    "alarm declared"
                ])
            #expect(declared["category_codes"] as? [String] == ["traffic.stranded_passengers", "traffic.congestion"])
            let twice = try await F.send(app, .POST, "/api/v1/incidents", token: team.city, json: body)
            #expect(twice.status == .conflict)
            let unknown = try await F.send(
                app, .POST, "/api/v1/incidents", token: team.city,
                json: ["type": "other", "level": "IV", "alarm_id": 999, "lead_unit_code": "310115.operations_centre"])
            #expect(unknown.errorFields == ["alarm_id"], "\(unknown.text)")

            let key = try await TestApp.apiKey(app)
            var reportID = 0
            try await Open311IntakeTests.post(
                app, ["api_key": key, "service_code": "road.ponding", "lat": "31.2200", "long": "121.5400"]
            ) { res in
                let created = try JSONSerialization.jsonObject(with: Data(buffer: res.body)) as? [[String: Any]]
                reportID = Int(created?.first?["service_request_id"] as? String ?? "") ?? 0
            }
            let caseID = try #require(try await Report.find(reportID, on: app.db)?.caseID)
            let fromCase = try await F.send(
                app, .POST, "/api/v1/incidents", token: team.pudong,
                json: ["type": "road_ponding", "level": "IV", "case_id": caseID, "lead_unit_code": "310115.water"])
            #expect(fromCase.status == .created, "\(fromCase.text)")
            #expect(fromCase["source"] as? String == "case")
            #expect((fromCase["links"] as? [[String: Any]])?.first?["id"] as? Int == caseID)
            let hiddenCase = try await F.send(
                app, .POST, "/api/v1/incidents", token: team.putuo,
                json: ["type": "road_ponding", "level": "IV", "case_id": caseID, "lead_unit_code": "310107.water"])
            #expect(hiddenCase.errorFields == ["case_id"], "Putuo's centre does not see a Pudong case")
        }
    }

    @Test func theBundledPlansAndDepotsAreValidAndCoverTheThreeStories() async throws {
        try await TestApp.withApp { app, _ in
            let plans = app.bundledResponsePlans
            #expect(plans.map(\.incidentType) == [.ferrySuspension, .roadPonding, .bridgeIce])
            for plan in plans {
                #expect(plan.problems { app.reference.units[$0] != nil }.isEmpty, "\(plan.code)")
            }
            let ferry = try #require(plans.first)
            #expect(
                ferry.units.map(\.unit) == [
                    "{district}.transport", "310000.meteorology", "{district}.operations_centre",
                    "{district}.traffic_police",
                ])
            #expect(ferry.units.first?.resources == [PlanResource(kind: .bus, count: 100)])
            let pools = try ResourcePoolFile.bundled { app.reference.units[$0] != nil }
            #expect(pools.depots.allSatisfy { $0.demo })
            #expect(pools.depots.filter { $0.kind == .bus }.map(\.count).reduce(0, +) >= 100)
            #expect(Set(pools.depots.map(\.kind)) == Set(ResourceKind.allCases))
            #expect(throws: ResponsePlans.LoadError.self) {
                try ResponsePlans.parse(
                    Data(
                        #"{"version":1,"plans":[{"code":"x","name_zh":"x","name_en":"x","incident_type":"other","levels":["IV"],"units":[{"unit":"310115.nowhere","tasks":[]}]}]}"#
                            .utf8),
                    unitExists: { app.reference.units[$0] != nil })
            }
        }
    }
}
