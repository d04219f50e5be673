@testable import App
import CityDomain
import Fluent
import Testing
import Vapor

/// Group commit keeps every intake whole: concurrent intakes each get their own case, report and three events.
@Suite struct WriteGateTests {
    @Test func concurrentIntakesAreStoredWholeAndLinked() async throws {
        try await TestApp.withApp { app, clock in
            let count = 120
            let codes = ["road.ponding", "noise.dog_barking", "parking.fire_lane", "sanitation.garbage"]
            let ids = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
                for index in 0..<count {
                    group.addTask {
                        let intake = IntakeReport(
                            source: .api, categoryCode: codes[index % codes.count], description: "并发 \(index)",
                            point: try GeoPoint(latitude: 31.2304, longitude: 121.4737), actor: "test")
                        let stored = try await CaseIntake.register(
                            intake, reference: app.reference, gate: app.writeGate, now: clock.now, logger: app.logger)
                        return (try stored.case.requireID(), try stored.report.requireID())
                    }
                }
                var all: [(Int, Int)] = []
                for try await pair in group { all.append(pair) }
                return all
            }
            #expect(Set(ids.map(\.0)).count == count)
            #expect(Set(ids.map(\.1)).count == count)
            #expect(try await Case.query(on: app.db).count() == count)
            let reports = try await Report.query(on: app.db).all()
            let byReport = Dictionary(uniqueKeysWithValues: reports.map { ($0.id!, $0) })
            for (caseID, reportID) in ids {
                #expect(byReport[reportID]?.caseID == caseID)
                #expect(byReport[reportID]?.description?.hasPrefix("并发") == true)
            }
            let events = try await CaseEvent.query(on: app.db).all()
            #expect(events.count == 3 * count)
            #expect(Dictionary(grouping: events, by: \.caseID).values.allSatisfy { $0.count == 3 })
        }
    }
}
