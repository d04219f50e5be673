import CityDomain
import Fluent
import Foundation
import Testing
import Vapor

@testable import App

/// `citynet seed-history`'s bulk path: the history it writes keeps every invariant the product's own write paths
/// keep, on SQLite and PostgreSQL.
@Suite struct HistorySeedTests {
    static let size = 1_500

    @Test func seededHistoryKeepsTheInvariantsOfTheWritePaths() async throws {
        try await TestApp.withApp { app, clock in
            let now = clock.now
            let summary = try await HistorySeed.run(
                cases: Self.size, chunk: 700, reference: app.reference, gate: app.writeGate, now: now)
            #expect(summary.cases == Self.size)
            let cases = try await Case.query(on: app.db).sort(\.$id).all()
            let reports = try await Report.query(on: app.db).all()
            let events = try await CaseEvent.query(on: app.db).sort(\.$id).all()
            #expect(cases.count == Self.size)
            #expect(reports.count == Self.size)
            #expect(events.count == summary.events)
            let trails = Dictionary(grouping: events, by: \.caseID)
            let reportsByCase = Dictionary(grouping: reports, by: { $0.caseID ?? 0 })
            let reference = app.reference
            var problems: [String] = []
            for record in cases {
                let id = try record.requireID()
                let trail = trails[id] ?? []
                // The audit trail chains from intake's accept to the case's state, every step after the last.
                if trail.first?.action != .accept || trail.first?.fromState != nil { problems.append("\(id): start") }
                for (earlier, later) in zip(trail, trail.dropFirst())
                where later.fromState != earlier.toState || later.at < earlier.at {
                    problems.append("\(id): chain at event \(later.id ?? 0)")
                }
                if trail.last?.toState != record.state { problems.append("\(id): state \(record.state)") }
                if trail.last?.at != record.updatedAt { problems.append("\(id): updated_at") }
                if record.version != trail.filter({ $0.action.isWorkflowAfterIntake }).count {
                    problems.append("\(id): version")
                }
                if (record.state == .closed) != (record.closedAt != nil) { problems.append("\(id): closed_at") }
                if record.state == .closed, record.step != nil { problems.append("\(id): step of a closed case") }
                if reference.hierarchy[record.regionCode]?.level != .street { problems.append("\(id): region") }
                if reference.units[record.unitCode] == nil { problems.append("\(id): unit") }
                guard let category = reference.taxonomy[record.categoryCode], reference.isService(category) else {
                    problems.append("\(id): category")
                    continue
                }
                let attached = reportsByCase[id] ?? []
                if attached.count != record.reportCount || attached.first?.regionCode != record.regionCode {
                    problems.append("\(id): reports")
                }
                if record.createdAt > now || (trail.last?.at ?? now) > now { problems.append("\(id): future") }
            }
            #expect(problems.isEmpty, "\(problems.prefix(10))")

            // Spread over two years, every district, the three public channels and open and closed work.
            let first = try #require(cases.map(\.createdAt).min())
            #expect(now.timeIntervalSince(first) > 700 * 86_400)
            let districts = Set(cases.compactMap { reference.hierarchy.ancestor(of: $0.regionCode, at: .district) })
            #expect(districts.count == 16)
            #expect(Set(reports.map(\.source)) == [.hotline, .open311, .api])
            #expect(Set(cases.map(\.categoryCode)).count > 20)
            let states = Dictionary(grouping: cases, by: \.state).mapValues(\.count)
            #expect((states[.closed] ?? 0) > Self.size * 9 / 10)
            #expect(states.keys.count >= 4)
            #expect(cases.contains { CaseOverdue.isOverdue($0, now: now) })

            // The product's own intake carries on after the seeded ids.
            let intake = IntakeReport(
                source: .api, categoryCode: cases[0].categoryCode, chosenRegionCode: cases[0].regionCode,
                actor: "tester")
            let stored = try await CaseIntake.register(
                intake, reference: reference, gate: app.writeGate, now: now, logger: app.logger)
            #expect(stored.case.id == Self.size + 1)
            #expect(stored.report.id == Self.size + 1)
        }
    }

    @Test func theSameSeedGivesTheSameHistoryStoredExactly() async throws {
        try await TestApp.withApp { app, clock in
            _ = try await HistorySeed.run(cases: 50, reference: app.reference, gate: app.writeGate, now: clock.now)
            var generator = HistoryGenerator(
                reference: app.reference, start: clock.now.addingTimeInterval(-730 * 86_400), end: clock.now,
                total: 50, seed: 17)
            for index in 0..<50 {
                let expected = try generator.make(index: index, caseID: index + 1, reportID: index + 1).record
                let stored = try #require(try await Case.find(index + 1, on: app.db))
                #expect(stored.createdAt == Timestamps.stored(expected.createdAt))
                #expect(stored.stepDueAt == expected.stepDueAt.map(Timestamps.stored))
                #expect(stored.closedAt == expected.closedAt.map(Timestamps.stored))
                #expect(stored.latitude == expected.latitude)
                #expect(stored.state == expected.state)
                #expect(stored.extensionRequested == expected.extensionRequested)
            }
        }
    }
}

extension CaseEventAction {
    /// A workflow step taken after intake (intake's register and dispatch do not move the version).
    fileprivate var isWorkflowAfterIntake: Bool {
        switch self {
        case .workflow(let action): action != .register && action != .dispatch
        default: false
        }
    }
}
