import CityDomain
import Fluent
import Testing
import Vapor

@testable import App

/// Overdue cases escalate one level per sweep, street → district → city, driven by a fixed clock.
@Suite struct EscalationTests {
    @Test func streetCaseEscalatesToDistrictThenCityThenStops() async throws {
        try await TestApp.withApp { app, clock in
            // Dog barking at night → 南京东路派出所 (street level); handle limit 2 h on the continuous clock.
            let intake = IntakeReport(
                source: .api, categoryCode: "noise.dog_barking", address: "南京东路街道",
                point: try GeoPoint(latitude: 31.2304, longitude: 121.4737), actor: "test")
            let id = try await CaseIntake.register(
                intake, reference: app.reference, gate: app.writeGate, now: clock.now, logger: app.logger
            ).case.requireID()
            func sweep() async throws -> [Int] {
                try await EscalationSweep.run(
                    reference: app.reference, on: app.db, gate: app.writeGate, now: clock.now, logger: app.logger)
            }
            clock.advance(by: 3600)
            #expect(try await sweep().isEmpty)  // not yet overdue
            clock.advance(by: 3601)
            #expect(try await sweep() == [id])
            var record = try #require(try await Case.find(id, on: app.db))
            #expect(record.escalationLevel == 1)
            #expect(record.supervisingUnitCode == "310101.operations_centre")
            #expect(try await sweep().isEmpty)  // one level per missed limit, not per sweep
            clock.advance(by: 2 * 3600 + 1)
            #expect(try await sweep() == [id])
            record = try #require(try await Case.find(id, on: app.db))
            #expect(record.escalationLevel == 2)
            #expect(record.supervisingUnitCode == "310000.operations_centre")
            clock.advance(by: 24 * 3600)
            #expect(try await sweep().isEmpty)  // the city is the top
            let events = try await CaseEvent.query(on: app.db).filter(\.$caseID == id).filter(
                \.$action == .workflow(.escalate)
            )
            .all()
            #expect(events.count == 2)
            #expect(events.allSatisfy { $0.actor == "system" })
        }
    }

    @Test func suspendedAndClosedCasesDoNotEscalate() async throws {
        try await TestApp.withApp { app, clock in
            let intake = IntakeReport(
                source: .api, categoryCode: "parking.fire_lane",
                point: try GeoPoint(latitude: 31.2397, longitude: 121.4998), actor: "test")
            let id = try await CaseIntake.register(
                intake, reference: app.reference, gate: app.writeGate, now: clock.now, logger: app.logger
            ).case.requireID()
            try await CaseActions.perform(
                CaseCommand(action: .suspend, note: "现场封控"), on: id, by: .system, reference: app.reference,
                on: app.db, gate: app.writeGate, now: clock.now)
            clock.advance(by: 10 * 3600)
            #expect(
                try await EscalationSweep.run(
                    reference: app.reference, on: app.db, gate: app.writeGate, now: clock.now, logger: app.logger
                ).isEmpty)
        }
    }
}
