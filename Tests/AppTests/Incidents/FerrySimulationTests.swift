import CityDomain
import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

/// `citynet incident simulate ferry` end to end (issue 15 §4), on SQLite and PostgreSQL.
@Suite("Ferry story simulation")
struct FerrySimulationTests {
    @Test func theFerryStoryRunsThroughTheProductAndIsMeasured() async throws {
        try await TestApp.withApp { app, _ in
            let report = try await FerrySimulation.run(app: app, now: app.clock.now())
            #expect(report.busesRequested == 100)
            #expect(report.busesArrived == 100)
            let metrics = report.metrics
            #expect(metrics.firstResponseSeconds == 300.0)  // accepted at minute 8, declared at minute 3
            #expect(metrics.allAcceptedSeconds == 540.0)
            #expect(metrics.resolutionSeconds == 6420.0)
            #expect(report.firstReportToCloseSeconds == 110 * 60)  // the seed's 1 h 50 min
            let arrived = try #require(metrics.allResourcesArrivedSeconds)
            #expect(arrived > 20 * 60 && arrived < 100 * 60, "\(arrived)")
            #expect(
                metrics.units.map(\.unitCode).sorted() == [
                    "310000.meteorology", "310115.operations_centre", "310115.traffic_police", "310115.transport",
                ])

            let store = IncidentStore(sql: try app.db.sql())
            let incident = try #require(try await store.incident(report.incidentID))
            #expect(incident.state == .closed && incident.source == .alarm)
            #expect(try await store.links(report.incidentID).map(\.kind) == ["alarm"])
            // The alarm came from the gale rule on a reading through ingestion.
            let rule = try await app.db.sql().select().column("rule_code").from("alarms")
                .where("id", .equal, report.alarmID).first(decodingColumn: "rule_code", as: String.self)
            #expect(rule == "gale_force_8")
            // Every bus is back in the pool, and the timeline holds the messages and the close.
            let pool = try await ResourcePool(sql: try app.db.sql()).all(kind: .bus)
            #expect(pool.allSatisfy { $0.state == "available" })
            let actions = try await store.events(report.incidentID).map(\.action)
            #expect(actions.first == "declared" && actions.last == "closed")
            #expect(actions.filter { $0 == "message" }.count == 3)
            let lines = report.lines.joined(separator: "\n")
            #expect(lines.contains("time to resolution (closed): 1 h 47 min"), "\(lines)")
            #expect(lines.contains("first report (alarm) to the last bus leaving: 1 h 50 min"), "\(lines)")
        }
    }

    @Test func theReplayGivesTheStateAtEachMinute() async throws {
        try await TestApp.withApp { app, _ in
            let report = try await FerrySimulation.run(app: app, now: app.clock.now())
            let store = IncidentStore(sql: try app.db.sql())
            let incident = try #require(try await store.incident(report.incidentID))
            let atStart = try await IncidentMeasureController.replay(incident, minute: 0, store: store)
            #expect(atStart.minutes.count == 108)  // minutes 0…107 from the declaration
            #expect(atStart.state?.tasks == ["open": 0, "accepted": 0, "done": 0])
            #expect(atStart.state?.units == 1)
            let planned = try await IncidentMeasureController.replay(incident, minute: 2, store: store)
            #expect(planned.state?.tasks["open"] == 5)
            #expect(planned.state?.assignments.requested == 100)
            #expect(planned.minutes[2].events.contains { $0.action == "plan_started" })
            let end = try await IncidentMeasureController.replay(incident, minute: 107, store: store)
            #expect(end.state?.incidentState == "closed")
            #expect(end.state?.tasks["done"] == 5)
            #expect(end.state?.assignments.released == 100)
        }
    }
}
