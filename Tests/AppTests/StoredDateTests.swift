import CityDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// Every stored date is written at whole microseconds, so a date read back equals the one the app holds, and
/// compares equal inside the database, on SQLite (which would keep nanoseconds) and PostgreSQL (which keeps
/// microseconds) alike.
@Suite struct StoredDateTests {
    /// An instant with a sub-microsecond part: 2024-09-27 10:00:00.123456789 +08:00.
    static let odd = TestApp.friday.addingTimeInterval(0.123_456_789)

    @Test func roundingIsToTheNearestMicrosecondAndIdempotent() {
        let stored = Timestamps.stored(Self.odd)
        #expect(abs(stored.timeIntervalSince(Self.odd)) < 0.000_000_5)
        #expect(Timestamps.stored(stored) == stored)
        #expect((stored.timeIntervalSince(TestApp.friday) * 1_000_000).rounded() == 123_457)
        #expect(Timestamps.stored(TestApp.friday) == TestApp.friday)
    }

    @Test func datesWrittenByIntakeAndByFluentReadBackEqual() async throws {
        try await TestApp.withApp(now: Self.odd) { app, clock in
            // The intake path: SQLKit inserts through the write gate.
            let id = try await CaseWorkflowAPITests.register(
                app, category: "road.ponding", lat: 31.2397, long: 121.4998)
            let written = try #require(try await Case.find(id, on: app.db))
            #expect(written.createdAt == Timestamps.stored(Self.odd))
            let sameInstant = try await Case.query(on: app.db).filter(\.$createdAt == written.createdAt).count()
            #expect(sameInstant == 1)
            let report = try #require(try await Report.query(on: app.db).filter(\.$caseID == id).first())
            #expect(report.receivedAt == written.createdAt)
            #expect(try await Report.query(on: app.db).filter(\.$receivedAt <= written.createdAt).count() == 1)

            // A Fluent save: a case action updates the case and appends an event.
            clock.set(TestApp.friday.addingTimeInterval(3600.987_654_321))
            let token = try await TestApp.login(
                app, username: "pd.centre", unit: "310115.operations_centre", role: .districtOperator)
            try await CaseWorkflowAPITests.act(app, token: token, caseID: id, ["action": "escalate"]) {
                #expect($0.status == .ok)
            }
            let updated = try #require(try await Case.find(id, on: app.db))
            #expect(updated.updatedAt == Timestamps.stored(clock.now))
            let event = try #require(
                try await CaseEvent.query(on: app.db).filter(\.$caseID == id).sort(\.$id, .descending).first())
            #expect(event.at == Timestamps.stored(clock.now))
            #expect(try await CaseEvent.query(on: app.db).filter(\.$at == event.at).count() == 1)
            #expect(try await CaseEvent.query(on: app.db).filter(\.$at >= event.at).count() == 1)
        }
    }

    @Test func aModelSavedThroughFluentHoldsWhatWasStored() async throws {
        try await TestApp.withApp(now: Self.odd) { app, _ in
            let example = TrainingExample()
            example.createdAt = Self.odd
            example.text = "路面积水"
            example.categoryCode = "road.ponding"
            example.reportID = 1
            example.actor = "test"
            try await example.create(on: app.db)
            #expect(example.createdAt == Timestamps.stored(Self.odd))  // the model holds what the row holds
            let read = try #require(try await TrainingExample.find(example.id, on: app.db))
            #expect(read.createdAt == example.createdAt)
            #expect(try await TrainingExample.query(on: app.db).filter(\.$createdAt == example.createdAt).count() == 1)
        }
    }
}
