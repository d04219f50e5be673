import CityDomain
import Fluent
import Testing
import Vapor

@testable import App

/// One definition of overdue: the domain rule in Swift, the Fluent filter and the city screen's SQL tally pick
/// exactly the same cases, on SQLite and (with `TEST_DATABASE_URL`) PostgreSQL.
@Suite struct CaseOverdueTests {
    /// A boundary of the rule: what a case holds and whether it is overdue at `TestApp.friday`.
    struct Boundary {
        var name: String
        var state: CaseState
        var suspended = false
        var step: TimeInterval?
        var due: TimeInterval?
        var overdue: Bool
    }

    static let boundaries: [Boundary] = [
        Boundary(name: "closed, both limits passed", state: .closed, step: -60, due: -60, overdue: false),
        Boundary(name: "closed, no limits", state: .closed, overdue: false),
        Boundary(
            name: "suspended, both passed", state: .suspended, suspended: true, step: -60, due: -60, overdue: false),
        Boundary(name: "clock stopped in handling", state: .handling, suspended: true, step: -60, overdue: false),
        Boundary(name: "step limit passed", state: .dispatched, step: -1, overdue: true),
        Boundary(name: "overall limit passed", state: .handling, due: -1, overdue: true),
        Boundary(name: "step future, overall passed", state: .handling, step: 3600, due: -1, overdue: true),
        Boundary(name: "returned, step passed", state: .returned, step: -86_400, due: 86_400, overdue: true),
        Boundary(name: "no limits", state: .dispatched, overdue: false),
        Boundary(name: "step due exactly now", state: .dispatched, step: 0, overdue: false),
        Boundary(name: "overall due exactly now", state: .handled, due: 0, overdue: false),
        Boundary(name: "both due exactly now", state: .verified, step: 0, due: 0, overdue: false),
        Boundary(name: "open, both in the future", state: .handling, step: 1, due: 86_400, overdue: false),
    ]

    /// Stores one case per boundary, each in a street of its own (so the tally's groups are single cases); returns
    /// the case ids by street code.
    static func store(_ boundaries: [Boundary], app: Application, now: Date) async throws -> [String: (Int, Boundary)] {
        let streets = app.reference.hierarchy.subtree(of: app.reference.hierarchy.root.code)
            .filter { app.reference.hierarchy[$0]?.level == .street }
        try #require(streets.count >= boundaries.count)
        var stored: [String: (Int, Boundary)] = [:]
        for (boundary, street) in zip(boundaries, streets) {
            let id = try await CaseWorkflowAPITests.register(
                app, category: "road.ponding", lat: 31.2304, long: 121.4737)
            try await Case.query(on: app.db).filter(\.$id == id)
                .set(\.$regionCode, to: street)
                .set(\.$state, to: boundary.state)
                .set(\.$suspendedSince, to: boundary.suspended ? now.addingTimeInterval(-7200) : nil)
                .set(\.$stepDueAt, to: boundary.step.map(now.addingTimeInterval))
                .set(\.$dueAt, to: boundary.due.map(now.addingTimeInterval))
                .update()
            stored[street] = (id, boundary)
        }
        // The rows were changed behind the product's write paths: recount the city screen's counters from them.
        try await app.writeGate.exclusive { db in try await CaseCounters.rebuild(on: db.sql()) }
        return stored
    }

    @Test func theSwiftRuleTheFluentFilterAndTheSQLTallyAgreeOnEveryBoundary() async throws {
        try await TestApp.withApp { app, clock in
            let now = clock.now
            let stored = try await Self.store(Self.boundaries, app: app, now: now)
            let expected = Set(stored.values.filter { $0.1.overdue }.map(\.0))
            #expect(expected.count == 4)

            let records = try await Case.query(on: app.db).all()
            for record in records {
                let name = stored[record.regionCode]?.1.name ?? "?"
                let wanted = stored[record.regionCode]?.1.overdue
                #expect(CaseOverdue.isOverdue(record, now: now) == wanted, "Swift rule: \(name)")
            }
            let swift = Set(records.filter { CaseOverdue.isOverdue($0, now: now) }.compactMap(\.id))
            let fluent = Set(try await CaseOverdue.filter(Case.query(on: app.db), now: now).all().compactMap(\.id))
            var tallied: Set<Int> = []
            for row in try await CityScreenQueries.tally(unit: nil, on: app.db, now: now) {
                let (id, boundary) = try #require(stored[row.region])
                #expect(row.count == 1)
                #expect(row.overdue == (boundary.overdue ? 1 : 0), "SQL tally: \(boundary.name)")
                if row.overdue > 0 { tallied.insert(id) }
            }
            #expect(swift == expected)
            #expect(fluent == expected)
            #expect(tallied == expected)

            // The places that use them: the list's `overdue` filter, its DTO flag and the screen's total.
            let city = OperatorScope(
                operatorID: UUID(), username: "city.op", role: .cityOperator, unitCode: "310000.operations_centre",
                regionCode: "310000")
            let listing = try await CaseQueries.list(
                CaseFilter(overdue: true), scope: city, reference: app.reference, on: app.db, now: now, limit: 500,
                offset: 0)
            #expect(Set(listing.cases.compactMap(\.id)) == expected)
            #expect(listing.total == expected.count)
            let all = try await CaseQueries.list(
                CaseFilter(), scope: city, reference: app.reference, on: app.db, now: now, limit: 500, offset: 0)
            let flagged = all.cases.map { CaseSummaryDTO($0, reference: app.reference, now: now) }.filter(\.overdue)
            #expect(Set(flagged.map(\.id)) == expected)
            let counts = try await CityScreenQueries.counts(
                scope: city, district: nil, measure: .overdue, reference: app.reference, on: app.db, now: now)
            #expect(counts.overdueTotal == expected.count)
        }
    }

    @Test func aSecondLaterTheCasesDueExactlyNowAreOverdueInEveryForm() async throws {
        try await TestApp.withApp { app, clock in
            let stored = try await Self.store(Self.boundaries, app: app, now: clock.now)
            let later = clock.now.addingTimeInterval(1)
            let expected = Set(
                stored.values.filter {
                    $0.1.overdue || ($0.1.state.isOpen && !$0.1.suspended && ($0.1.step == 0 || $0.1.due == 0))
                }
                .map(\.0))
            #expect(expected.count == 7)
            let records = try await Case.query(on: app.db).all()
            #expect(Set(records.filter { CaseOverdue.isOverdue($0, now: later) }.compactMap(\.id)) == expected)
            #expect(
                Set(try await CaseOverdue.filter(Case.query(on: app.db), now: later).all().compactMap(\.id)) == expected
            )
            let tally = try await CityScreenQueries.tally(unit: nil, on: app.db, now: later)
            #expect(Set(tally.filter { $0.overdue > 0 }.compactMap { stored[$0.region]?.0 }) == expected)
        }
    }
}
