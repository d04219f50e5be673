import CityDomain
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

/// The window reads from the daily rollups (``CaseWindowCounts``, ``CaseDayCounts``) answer exactly what one read of
/// `cases` over the same span answers — for the city, a district, a street and a unit, over windows that start and
/// end mid-day, on day boundaries or within one day — and the city screen's map measures
/// (``IndicatorQueries/caseInputs(measure:windowSeconds:scope:reference:on:now:)``) what they answered when they read
/// the cases (the reference read below is the one they used before the rollups).
@Suite struct CaseWindowCountsTests {
    /// History with closings, reopenings and reassignments after it (so cases moved day, unit and closing).
    static func seeded(_ app: Application, _ clock: ManualClock) async throws {
        _ = try await HistorySeed.run(
            cases: 500, days: 45, reference: app.reference, gate: app.writeGate, now: clock.now)
        clock.advance(by: 3_600)
        for id in stride(from: 1, to: 500, by: 7) {
            guard let record = try await Case.find(id, on: app.db),
                let command = CaseCountersTests.nextStep(record.state)
            else { continue }
            _ = try await CaseActions.perform(
                command, on: record, by: .system, reference: app.reference, on: app.db, gate: app.writeGate,
                now: clock.now)
        }
        #expect(try await CaseCountersTests.drift(app).isEmpty)
    }

    /// The region filters and units to compare: everything, a district, a street, and a unit alone.
    static func filters(_ app: Application) -> [(regions: [String]?, unit: String?)] {
        let hierarchy = app.reference.hierarchy
        return [
            (nil, nil), (hierarchy.subtree(of: "310115"), nil), (hierarchy.subtree(of: "310101002"), nil),
            (nil, "310115.police"), (hierarchy.subtree(of: "310104"), "310104.operations_centre"),
        ]
    }

    @Test func splitKeepsEveryInstantOnceAndWholeDaysWhole() {
        let now = TestApp.friday  // 10:00 Beijing time
        let today = CaseDayCounts.day(of: now)
        let (days, edges) = CaseWindowCounts.split(.after(now.addingTimeInterval(-30 * 86_400), through: now))
        #expect(days == (today - 29)...(today - 1))
        #expect(edges.count == 2)
        #expect(edges[0].to == CaseDayCounts.start(of: today - 29) && !edges[0].toIncluded)
        #expect(edges[1].from == CaseDayCounts.start(of: today) && edges[1].to == now && edges[1].toIncluded)
        // A window of whole days has no edges; one within a day is read from the cases alone.
        let whole = CaseWindowCounts.split(
            .halfOpen(CaseDayCounts.start(of: today - 6), CaseDayCounts.start(of: today + 1)))
        #expect(whole.days == (today - 6)...today && whole.edges.isEmpty)
        let inside = CaseWindowCounts.split(.after(now.addingTimeInterval(-3_600), through: now))
        #expect(inside.days == nil && inside.edges.count == 1)
        // (start, …]: the day's first instant is outside, so that day is an edge.
        let open = CaseWindowCounts.split(.after(CaseDayCounts.start(of: today - 2), through: now))
        #expect(open.days == (today - 1)...(today - 1) && open.edges.count == 2)
    }

    @Test func windowReadsAnswerAsTheCases() async throws {
        try await TestApp.withApp { app, clock in
            try await Self.seeded(app, clock)
            let sql = try app.db.sql()
            let now = clock.now
            let today = CaseDayCounts.day(of: now)
            let spans: [CaseWindowCounts.Span] = [
                .after(now.addingTimeInterval(-30 * 86_400), through: now),
                .after(now.addingTimeInterval(-7 * 86_400), through: now),
                .after(now.addingTimeInterval(-86_400), through: now),
                .after(now.addingTimeInterval(-60 * 86_400), through: now.addingTimeInterval(-30 * 86_400)),
                .halfOpen(CaseDayCounts.start(of: today - 29), CaseDayCounts.start(of: today + 1)),
                .halfOpen(now.addingTimeInterval(-10 * 86_400 - 1_234.5), now.addingTimeInterval(-4_321)),
                .after(CaseDayCounts.start(of: today - 3), through: CaseDayCounts.start(of: today)),
            ]
            var compared = 0
            for span in spans {
                for event in [TrendQueries.Event.received, .closed] {
                    for grouping in [CaseWindowCounts.Grouping.day, .region, .regionAndUnit] {
                        for (regions, unit) in Self.filters(app) {
                            let rolled = try await CaseWindowCounts.count(
                                event, in: span, by: grouping, regions: regions, unit: unit, on: sql)
                            let direct = try await CaseWindowCounts.read(
                                CaseWindowCounts.casesQuery(
                                    event, in: span, by: grouping, regions: regions, unit: unit, on: sql), on: sql)
                            #expect(
                                rolled == direct,
                                "\(event) \(grouping) \(span) \(regions?.first ?? "all") \(unit ?? "")")
                            compared += direct.values.reduce(0) { $0 + $1.count }
                        }
                    }
                }
            }
            #expect(compared > 1_000)
        }
    }

    @Test func theMapMeasuresAnswerAsWhenTheyReadTheCases() async throws {
        try await TestApp.withApp { app, clock in
            try await Self.seeded(app, clock)
            let sql = try app.db.sql()
            let scopes = [
                try CaseQueriesTests.scope(app, .cityOperator, unit: "310000.operations_centre"),
                try CaseQueriesTests.scope(app, .districtOperator, unit: "310115.operations_centre"),
                try CaseQueriesTests.scope(app, .streetOperator, unit: "310101002.operations_centre"),
                try CaseQueriesTests.scope(app, .caseworker, unit: "310115.police"),
            ]
            var nonZero = 0
            // `now` in the past as well: cases created and closed after it must be left out alike.
            for now in [clock.now, clock.now.addingTimeInterval(-5 * 3_600 - 17)] {
                for scope in scopes {
                    for measure in CaseMeasure.allCases {
                        for window in [3_600, 86_400, 7 * 86_400, 30 * 86_400] {
                            let new = try await IndicatorQueries.caseInputs(
                                measure: measure, windowSeconds: window, scope: scope, reference: app.reference,
                                on: sql, now: now)
                            let old = try await Self.casesInputs(
                                measure: measure, windowSeconds: window, scope: scope, reference: app.reference,
                                on: sql, now: now)
                            #expect(Self.nonZero(new) == Self.nonZero(old), "\(measure) \(window) \(scope.regionCode)")
                            nonZero += Self.nonZero(old).count
                        }
                    }
                }
            }
            #expect(nonZero > 100)
        }
    }

    static func nonZero(_ inputs: [CaseIndicatorInput]) -> [CaseIndicatorInput] {
        inputs.filter { $0 != CaseIndicatorInput(districtCode: $0.districtCode) }
            .sorted { "\($0)" < "\($1)" }
    }

    /// The map measures as they were read before the daily rollups: every count of a window from `cases`.
    static func casesInputs(
        measure: CaseMeasure, windowSeconds: Int, scope: OperatorScope, reference: CityReference,
        on sql: any SQLDatabase, now: Date
    ) async throws -> [CaseIndicatorInput] {
        let hierarchy = reference.hierarchy
        let before = now.addingTimeInterval(-TimeInterval(windowSeconds))
        let unitAnd: SQLQueryString = scope.onlyUnit.map { "\(CaseQueries.unindexed("unit_code", [$0])) AND " } ?? ""
        let unitCounters: SQLQueryString = scope.onlyUnit.map { "\"unit_code\" = \(bind: $0) AND " } ?? ""
        var inputs: [String: CaseIndicatorInput] = [:]
        func add(_ counts: [String: Int], _ field: WritableKeyPath<CaseIndicatorInput, Int>, sign: Int = 1) {
            for (region, n) in counts {
                inputs[region, default: CaseIndicatorInput(districtCode: nil)][keyPath: field] += sign * n
            }
        }
        switch measure {
        case .open:
            let open = try await countByRegion(
                """
                SELECT "region_code", CAST(SUM("n") AS BIGINT) AS n FROM "case_counters"
                WHERE \(unitCounters)"state" <> \(bind: CaseState.closed.rawValue) GROUP BY "region_code"
                """, on: sql)
            let openedSince = try await countByRegion(
                """
                SELECT "region_code", COUNT(*) AS n FROM "cases"
                WHERE \(unitAnd)\(CaseOverdue.openExpression) AND "created_at" > \(bind: before)
                GROUP BY "region_code"
                """, on: sql)
            let closedSince = try await countByRegion(
                """
                SELECT "region_code", COUNT(*) AS n FROM "cases"
                WHERE \(unitAnd)"closed_at" > \(bind: before) AND "closed_at" <= \(bind: now)
                AND "created_at" <= \(bind: before)
                GROUP BY "region_code"
                """, on: sql)
            add(open, \.open)
            add(open, \.openBefore)
            add(openedSince, \.openBefore, sign: -1)
            add(closedSince, \.openBefore)
        case .overdue:
            add(
                try await countByRegion(
                    """
                    SELECT "region_code", COUNT(*) AS n FROM "cases"
                    WHERE \(unitAnd)\(CaseOverdue.sqlExpression(now: now)) GROUP BY "region_code"
                    """, on: sql), \.overdue)
        case .onTimeRate:
            let earlier = before.addingTimeInterval(-TimeInterval(windowSeconds))
            for (from, to, all, onTime) in [
                (before, now, \CaseIndicatorInput.closed, \CaseIndicatorInput.closedOnTime),
                (earlier, before, \.closedBefore, \.closedOnTimeBefore),
            ] {
                let closedIn: SQLQueryString =
                    "\(unitAnd)\"closed_at\" > \(bind: from) AND \"closed_at\" <= \(bind: to)"
                add(
                    try await countByRegion(
                        "SELECT \"region_code\", COUNT(*) AS n FROM \"cases\" WHERE \(closedIn) GROUP BY \"region_code\"",
                        on: sql), all)
                add(
                    try await countByRegion(
                        """
                        SELECT "region_code", COUNT(*) AS n FROM "cases" WHERE \(closedIn) AND \(CaseOnTime.sqlExpression())
                        GROUP BY "region_code"
                        """, on: sql), onTime)
            }
        }
        return inputs.filter { hierarchy.isWithin($0.key, ancestor: scope.regionCode) }.map { region, input in
            var input = input
            input.districtCode = hierarchy.ancestor(of: region, at: .district)?.code
            return input
        }
    }

    static func countByRegion(_ query: SQLQueryString, on sql: any SQLDatabase) async throws -> [String: Int] {
        struct Row: Decodable {
            var regionCode: String
            var n: Int?
            enum CodingKeys: String, CodingKey { case regionCode = "region_code", n }
        }
        var counts: [String: Int] = [:]
        for row in try await sql.raw(query).all(decoding: Row.self) { counts[row.regionCode, default: 0] += row.n ?? 0 }
        return counts
    }
}
