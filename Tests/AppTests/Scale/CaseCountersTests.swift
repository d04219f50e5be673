import CityDomain
import Fluent
import Foundation
import Testing
import Vapor

@testable import App

/// The case counters behind the city screen and the daily rollups of the window measures (``CaseDayCounts``) stay
/// equal to a recount from the cases, whatever writes the cases: bulk history, intake, workflow actions (closing,
/// reopening, reassigning), splits — also when they run at the same time (on PostgreSQL truly in parallel).
@Suite struct CaseCountersTests {
    /// Drift of the counters and of the daily rollups, as `check-counters` prints it.
    static func drift(_ app: Application) async throws -> [String] {
        let sql = try app.db.sql()
        return CaseCounters.drift(
            stored: try await CaseCounters.stored(on: sql), recounted: try await CaseCounters.recount(on: sql))
            + CaseDayCounts.drift(
                stored: try await CaseDayCounts.stored(on: sql), recounted: try await CaseDayCounts.recount(on: sql))
    }

    /// The next step of the usual path for a case in `state`, or nil.
    static func nextStep(_ state: CaseState) -> CaseCommand? {
        switch state {
        case .dispatched: CaseCommand(action: .start)
        case .handling: CaseCommand(action: .resolve, note: "done")
        case .handled: CaseCommand(action: .verify)
        case .verified: CaseCommand(action: .close)
        case .closed: CaseCommand(action: .reopen, note: "came back")
        default: nil
        }
    }

    @Test func countersNeverDriftUnderConcurrentIntakesAndActions() async throws {
        try await TestApp.withApp { app, clock in
            _ = try await HistorySeed.run(
                cases: 200, days: 30, reference: app.reference, gate: app.writeGate, now: clock.now)
            #expect(try await Self.drift(app).isEmpty)
            let reference = app.reference
            let codes = reference.taxonomy.all.filter(reference.isService).map(\.code)
            let streets = reference.hierarchy.all.filter { $0.level == .street }.map(\.code)
            let now = clock.now
            let outcomes = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
                for worker in 0..<12 {
                    group.addTask {
                        var done = 0
                        var refused = 0
                        for step in 0..<25 {
                            if (worker + step) % 3 == 0 {
                                let intake = IntakeReport(
                                    source: .api, categoryCode: codes[(worker * 25 + step) % codes.count],
                                    chosenRegionCode: streets[(worker * 7 + step) % streets.count], actor: "tester")
                                _ = try await CaseIntake.register(
                                    intake, reference: reference, gate: app.writeGate, now: now, logger: app.logger)
                                done += 1
                                continue
                            }
                            // Workers share a few cases, so that many actions race for the same version.
                            let id = 1 + (step * 13 + worker) % 40
                            guard let record = try await Case.find(id, on: app.db),
                                let command = Self.nextStep(record.state)
                            else { continue }
                            do {
                                try await CaseActions.perform(
                                    command, on: record, by: .system, reference: reference, on: app.db,
                                    gate: app.writeGate, now: now)
                                done += 1
                            } catch CaseActionError.concurrentChange {
                                refused += 1
                            }
                        }
                        return (done, refused)
                    }
                }
                var total = (0, 0)
                for try await outcome in group { total = (total.0 + outcome.0, total.1 + outcome.1) }
                return total
            }
            #expect(outcomes.0 > 100)
            #expect(try await Self.drift(app).isEmpty)
            // The rollups moved: cases were closed and reopened today, and received today.
            let days = try await CaseDayCounts.stored(on: app.db.sql())
            let today = CaseDayCounts.day(of: now)
            #expect(days.filter { $0.key.day == today }.values.reduce(0) { $0 + $1.received } >= 25)
            #expect(days.values.reduce(0) { $0 + $1.received } == (try await Case.query(on: app.db).count()))
            let states = try await CaseCounters.stored(on: app.db.sql())
            #expect(states.values.reduce(0) { $0 + $1.count } == (try await Case.query(on: app.db).count()))
        }
    }

    @Test func driftIsReportedAndARebuildRepairsIt() async throws {
        try await TestApp.withApp { app, clock in
            _ = try await HistorySeed.run(
                cases: 50, days: 30, reference: app.reference, gate: app.writeGate, now: clock.now)
            let sql = try app.db.sql()
            try await sql.raw(#"UPDATE "case_counters" SET "n" = "n" + 2 WHERE "state" = 'closed'"#).run()
            try await sql.raw(#"DELETE FROM "case_counters" WHERE "state" <> 'closed'"#).run()
            try await sql.raw(#"UPDATE "case_day_counts" SET "closed" = "closed" + 1 WHERE "received" > 0"#).run()
            let drift = try await Self.drift(app)
            #expect(!drift.isEmpty)
            #expect(drift.contains { $0.contains(" closed: stored ") })
            #expect(drift.contains { $0.hasPrefix("day ") })
            try await app.writeGate.exclusive { db in try await CaseCounters.rebuild(on: db.sql()) }
            #expect(try await Self.drift(app).isEmpty)
        }
    }

    @Test func theCityScreenCountsFromTheCountersAsFromTheCases() async throws {
        try await TestApp.withApp { app, clock in
            _ = try await HistorySeed.run(
                cases: 400, days: 60, reference: app.reference, gate: app.writeGate, now: clock.now)
            let tally = try await CityScreenQueries.tally(unit: nil, on: app.db, now: clock.now)
            let cases = try await Case.query(on: app.db).all()
            #expect(tally.reduce(0) { $0 + $1.count } == cases.count)
            #expect(
                tally.reduce(0) { $0 + $1.overdue } == cases.filter { CaseOverdue.isOverdue($0, now: clock.now) }.count)
            let closed = cases.filter { $0.state == .closed }
            let onTime = closed.filter { record in record.dueAt.map { record.closedAt! <= $0 } ?? true }
            #expect(tally.reduce(0) { $0 + $1.onTime } == onTime.count)
            #expect(tally.reduce(0) { $0 + $1.firstOK } == cases.filter { $0.unitCode == $0.firstUnitCode }.count)
            let unit = try #require(cases.first?.unitCode)
            let own = try await CityScreenQueries.tally(unit: unit, on: app.db, now: clock.now)
            #expect(own.reduce(0) { $0 + $1.count } == cases.filter { $0.unitCode == unit }.count)
        }
    }
}
