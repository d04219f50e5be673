import CityDomain
import Fluent
import FluentSQL
import Foundation
import Open311
import SQLKit
import Testing
import Vapor

@testable import App

/// Every filter the desk, the API list, the city screen, Open311 and the hotline's duplicate check use has a plan
/// that does not walk the history: checked with the database's own planner (SQLite `EXPLAIN QUERY PLAN`;
/// PostgreSQL `EXPLAIN` with sequential scans priced out, as on a big table).
@Suite struct QueryPlanTests {
    /// Renders Fluent queries as SQL; CityNet's queries use no custom types or nested fields.
    struct Delegate: SQLConverterDelegate {
        func customDataType(_ dataType: DatabaseSchema.DataType) -> (any SQLExpression)? { nil }
        func nestedFieldExpression(_ column: String, _ path: [String]) -> any SQLExpression { SQLColumn(column) }
    }

    /// The plan of `query` (as `.all()` runs it) as text.
    static func plan<M: Model>(_ query: QueryBuilder<M>, on app: Application) async throws -> String {
        var fluent = query.query
        fluent.action = .read
        fluent.fields = [.path([.id], schema: M.schema)]
        return try await plan(SQLQueryConverter(delegate: Delegate()).convert(fluent), on: app)
    }

    static func plan(_ expression: any SQLExpression, on app: Application) async throws -> String {
        let sql = try app.db.sql()
        if sql.dialect.name == "sqlite" {
            let rows = try await sql.raw("EXPLAIN QUERY PLAN \(expression)").all()
            return try rows.map { try $0.decode(column: "detail", as: String.self) }.joined(separator: "\n")
        }
        return try await app.db.transaction { tx in
            let sql = try tx.sql()
            try await sql.raw("SET LOCAL enable_seqscan = off").run()
            let rows = try await sql.raw("EXPLAIN \(expression)").all()
            return try rows.map { try $0.decode(column: "QUERY PLAN", as: String.self) }.joined(separator: "\n")
        }
    }

    /// Whether `plan` reads the cases table other than through an index (a full scan of history).
    static func scansCases(_ plan: String) -> Bool {
        plan.split(separator: "\n").contains { line in
            (line.contains("SCAN cases") && !line.contains("INDEX")) || line.contains("Seq Scan on cases")
        }
    }

    /// Whether `plan` (SQLite) walks the cases down an index that does not bound the read: a `SCAN cases` by any
    /// index but the open cases' partial one.
    static func walksCases(_ plan: String) -> Bool {
        plan.split(separator: "\n").contains { $0.contains("SCAN cases") && !$0.contains("cases_open_idx") }
    }

    /// Whether `plan` reads the daily rollups by a range of days through their key (SQLite `SEARCH … (day>? AND
    /// day<?)`; PostgreSQL an index condition on the day), never every row.
    static func readsDayRange(_ plan: String) -> Bool {
        let lines = plan.split(separator: "\n")
        let search = lines.contains { $0.contains("SEARCH case_day_counts") && $0.contains("day>? AND day<?") }
        let indexed = plan.contains("Index Cond: ((day >=") || plan.contains("Index Cond: ((day >= ")
        let scanned = lines.contains {
            ($0.contains("SCAN case_day_counts")) || $0.contains("Seq Scan on case_day_counts")
        }
        return (search || indexed) && !scanned
    }

    static func district(_ app: Application) throws -> OperatorScope {
        try CaseQueriesTests.scope(app, .districtOperator, unit: "310115.operations_centre")
    }

    @Test func everyListFilterHasAnIndexPlan() async throws {
        try await TestApp.withApp { app, clock in
            _ = try await HistorySeed.run(
                cases: 200, days: 60, reference: app.reference, gate: app.writeGate, now: clock.now)
            let scope = try Self.district(app)
            let street = try #require(
                app.reference.hierarchy.children(of: "310115").first { $0.level == .street }?.code)
            let filters: [(String, CaseFilter)] = [
                ("none", CaseFilter()), ("region", CaseFilter(region: street)),
                ("unit", CaseFilter(unit: "310115.operations_centre")), ("state", CaseFilter(states: ["handling"])),
                ("category", CaseFilter(category: "road")), ("assignee", CaseFilter(assignee: "worker")),
                ("overdue", CaseFilter(overdue: true)),
            ]
            for (name, filter) in filters {
                let query = try CaseQueries.matching(
                    filter, scope: scope, reference: app.reference, on: app.db, now: clock.now)
                // The open part: the partial index over open cases.
                let open = CaseQueries.inQueueOrder(
                    try CaseQueries.matching(
                        filter, scope: scope, reference: app.reference, on: app.db, now: clock.now, openOnly: true)
                ).limit(50)
                let openPlan = try await Self.plan(open, on: app)
                #expect(openPlan.contains("cases_open_idx"), "open part, filter \(name): \(openPlan)")
                // The closed part: newest first down an index, never a scan of every case.
                let closed = query.copy().filter(\.$state == .closed).sort(\.$id, .descending).limit(50)
                let closedPlan = try await Self.plan(closed, on: app)
                #expect(!Self.scansCases(closedPlan), "closed part, filter \(name): \(closedPlan)")
                // The closed part after a cursor (keyset paging): still down an index, from the cursor on.
                let afterPlan = try await Self.plan(closed.copy().filter(\.$id < 100), on: app)
                #expect(!Self.scansCases(afterPlan), "closed part after a cursor, filter \(name): \(afterPlan)")
                // The total of a filter the counters do not keep (CaseQueries.total counts these cases): by index.
                if filter.category != nil || filter.assignee != nil || filter.overdue {
                    let countPlan = try await Self.plan(query.copy(), on: app)
                    #expect(!Self.scansCases(countPlan), "count, filter \(name): \(countPlan)")
                }
                // The desk's "previous page" (CaseQueries.queuePage(before:)): the closed part up the primary key
                // from the cursor, the open part from its end, each from the same index as forwards.
                let closedBefore = query.copy().filter(\.$state == .closed).filter(\.$id > 100).sort(\.$id, .ascending)
                    .limit(50)
                let beforePlan = try await Self.plan(closedBefore, on: app)
                #expect(!Self.scansCases(beforePlan), "closed part before a cursor, filter \(name): \(beforePlan)")
                let openBefore = CaseQueries.inReverseQueueOrder(
                    try CaseQueries.matching(
                        filter, scope: scope, reference: app.reference, on: app.db, now: clock.now, openOnly: true)
                ).limit(50)
                let openBeforePlan = try await Self.plan(openBefore, on: app)
                #expect(openBeforePlan.contains("cases_open_idx"), "open part backwards, \(name): \(openBeforePlan)")
            }
        }
    }

    @Test func theCityScreenTheDuplicateCheckAndOpen311UseTheirIndexes() async throws {
        try await TestApp.withApp { app, clock in
            _ = try await HistorySeed.run(
                cases: 200, days: 60, reference: app.reference, gate: app.writeGate, now: clock.now)
            // Overdue judged over the open cases only.
            let overdue = Case.query(on: app.db).filter(.sql(CaseOverdue.sqlExpression(now: clock.now)))
            let overduePlan = try await Self.plan(overdue, on: app)
            #expect(overduePlan.contains("cases_open_idx"), "\(overduePlan)")
            // The map's count of open located cases per cell of a district (CityScreenQueries.markers): over the
            // open cases' index, never history.
            let grid = DistrictMap(boundaries: app.reference.boundaries, hierarchy: app.reference.hierarchy)
                .grid(side: CaseMapMarks.cell)
            let cells = CityScreenQueries.markerCells(
                scope: try Self.district(app), regions: Set(app.reference.hierarchy.subtree(of: "310115")),
                grid: grid, reference: app.reference, now: clock.now, dialect: LiteralRows.Dialect(try app.db.sql()))
            let markersPlan = try await Self.plan(cells, on: app)
            #expect(markersPlan.contains("cases_open_idx"), "\(markersPlan)")
            #expect(!Self.scansCases(markersPlan), "\(markersPlan)")
            // The league within a window and the trends (TrendQueries, CaseWindowCounts): the edge days of a window
            // through the window's own covering indexes, never the whole history; its whole days from the daily
            // rollups through their key.
            let sql = try app.db.sql()
            for (event, index) in [
                (TrendQueries.Event.received, "cases_created_window_idx"), (.closed, "cases_closed_window_idx"),
            ] {
                let window = CaseWindowCounts.casesQuery(
                    event, in: .halfOpen(clock.now.addingTimeInterval(-7 * 86_400), clock.now), by: .day,
                    regions: try Self.district(app).regionCodes(in: app.reference.hierarchy),
                    unit: nil, on: sql)
                let windowPlan = try await Self.plan(window, on: app)
                // PostgreSQL may read the older single-column index on the same instant: also only the window.
                #expect(
                    windowPlan.contains(index) || windowPlan.contains("Index Cond: ((\(event.column) >="),
                    "\(windowPlan)")
                #expect(!Self.scansCases(windowPlan), "\(windowPlan)")
                let today = CaseDayCounts.day(of: clock.now)
                for (regions, unit) in [
                    (nil, nil), (try Self.district(app).regionCodes(in: app.reference.hierarchy), nil),
                    (nil, "310115.police"),
                ] as [([String]?, String?)] {
                    for grouping in [CaseWindowCounts.Grouping.day, .region, .regionAndUnit] {
                        let rollups = CaseWindowCounts.rollupQuery(
                            event, days: (today - 30)...today, by: grouping, regions: regions, unit: unit)
                        let rollupPlan = try await Self.plan(rollups, on: app)
                        #expect(Self.readsDayRange(rollupPlan), "\(rollupPlan)")
                    }
                }
            }
            // The hotline's duplicate check: one category, one street, its window.
            let duplicates = Case.query(on: app.db).filter(\.$categoryCode == "road.ponding")
                .filter(\.$regionCode == "310115001").filter(\.$state ~~ CaseMerge.mergeableStates)
                .filter(\.$createdAt >= clock.now.addingTimeInterval(-86_400)).sort(\.$id, .descending).limit(200)
            let duplicatesPlan = try await Self.plan(duplicates, on: app)
            // PostgreSQL may also prove the mergeable states open and read the open cases' index: also no history.
            #expect(
                duplicatesPlan.contains("cases_duplicate_idx") || duplicatesPlan.contains("cases_open_idx"),
                "\(duplicatesPlan)")
            #expect(!Self.scansCases(duplicatesPlan), "\(duplicatesPlan)")
            // Open311's closed requests: the channel's newest reports, each joined to its case by id.
            let closed = Report.query(on: app.db).filter(\.$source == .open311)
                .join(Case.self, on: \Report.$caseID == \Case.$id)
                .filter(.sql(unsafeRaw: #"("cases"."state" || '') = 'closed'"#))
                .sort(\.$receivedAt, .descending).sort(\.$id, .descending).limit(50)
            let closedPlan = try await Self.plan(closed, on: app)
            #expect(!Self.scansCases(closedPlan), "\(closedPlan)")
            // Which index PostgreSQL starts from depends on its statistics, which autovacuum may or may not have
            // gathered for these 200 rows (it chose `cases_pkey` once); SQLite's choice does not.
            if try app.db.sql().dialect.name == "sqlite" {
                #expect(closedPlan.contains("reports_source_received_idx"), "\(closedPlan)")
            }
        }
    }

    /// The city screen's map measures (``IndicatorQueries/caseInputs(measure:windowSeconds:scope:reference:on:now:)``)
    /// for the city, a district and one unit: no statement walks the cases, neither whole nor down an index that
    /// does not bound it (SQLite's `SCAN cases USING INDEX` of anything but the open cases' partial index). The open
    /// measure once read every case in region order (2.6 s at a million cases), which the older check let pass.
    @Test func theMapMeasuresReadOnlyOpenWorkAndTheirWindow() async throws {
        try await TestApp.withApp { app, clock in
            _ = try await HistorySeed.run(
                cases: 200, days: 60, reference: app.reference, gate: app.writeGate, now: clock.now)
            let unit = try CaseQueriesTests.scope(app, .caseworker, unit: "310115.police")
            let city = try CaseQueriesTests.scope(app, .cityOperator, unit: "310000.operations_centre")
            for scope in [city, try Self.district(app), unit] {
                for measure in CaseMeasure.allCases {
                    for window in [86_400, 30 * 86_400] {
                        let recorder = RecordingSQLDatabase(base: try app.db.sql())
                        _ = try await IndicatorQueries.caseInputs(
                            measure: measure, windowSeconds: window, scope: scope, reference: app.reference,
                            on: recorder, now: clock.now)
                        let statements = recorder.statements.withLockedValue { $0 }
                        #expect(!statements.isEmpty)
                        for statement in statements {
                            let plan = try await Self.plan(statement, on: app)
                            #expect(!Self.scansCases(plan), "\(measure) \(scope.regionCode): \(plan)")
                            #expect(!Self.walksCases(plan), "\(measure) \(scope.regionCode): \(plan)")
                            if plan.contains("case_day_counts") {
                                #expect(Self.readsDayRange(plan), "\(measure) \(scope.regionCode): \(plan)")
                            }
                        }
                    }
                }
            }
        }
    }

    /// The live feed's read of the triage queue per region (``TriageQueries/queueMarks(hierarchy:on:)``, every 2 s
    /// while a stream is open) walks the waiting reports' region index, never the reports' history.
    @Test func theTriageQueuesMarksReadTheRegionIndex() async throws {
        try await TestApp.withApp(routerThreshold: 1) { app, clock in
            _ = try await TriageDeskTests.queue(app, clock: clock, Array(TriageDeskTests.vague.prefix(2)))
            let plan = try await Self.plan(TriageQueries.queueByRegion(on: try app.db.sql()).select, on: app)
            #expect(plan.contains("reports_triage_region_idx"), "\(plan)")
            #expect(!plan.contains("Seq Scan on reports"), "\(plan)")
        }
    }

    /// Whether `plan` reads the reports table other than through an index.
    static func scansReports(_ plan: String) -> Bool {
        plan.split(separator: "\n").contains { line in
            (line.contains("SCAN reports") && !line.contains("INDEX")) || line.contains("Seq Scan on reports")
        }
    }

    @Test func everyOpen311FilterHasAnIndexPlan() async throws {
        try await TestApp.withApp { app, clock in
            _ = try await HistorySeed.run(
                cases: 200, days: 60, reference: app.reference, gate: app.writeGate, now: clock.now)
            let window = Open311DateWindow(start: clock.now.addingTimeInterval(-90 * 86_400), end: clock.now)
            let queries: [(String, Open311RequestQuery)] = [
                ("default window", Open311RequestQuery(window: window)),
                ("status=open", Open311RequestQuery(statuses: [.open], window: window)),
                ("status=closed", Open311RequestQuery(statuses: [.closed], window: window)),
                ("service_code", Open311RequestQuery(serviceCodes: ["road.ponding"], window: window)),
                (
                    "service_code&status=closed",
                    Open311RequestQuery(serviceCodes: ["road.ponding"], statuses: [.closed], window: window)
                ),
                ("service_request_id", Open311RequestQuery(serviceRequestIDs: ["3", "5"], window: nil)),
            ]
            for (name, query) in queries {
                let plan = try await Self.plan(Open311Queries.matching(query, on: app.db), on: app)
                #expect(!Self.scansCases(plan) && !Self.scansReports(plan), "\(name): \(plan)")
            }
        }
    }
}
