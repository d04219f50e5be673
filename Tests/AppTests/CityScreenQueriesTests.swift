import CityDomain
import Fluent
import Testing
import Vapor

@testable import App

/// The city screen's reads called directly (no HTTP): counts, the league, markers and the feed, in scope.
@Suite struct CityScreenQueriesTests {
    @Test func countsFollowTheChosenDistrictAndTheLeagueKeepsEveryDistrict() async throws {
        try await TestApp.withApp { app, clock in
            let ids = try await CaseQueriesTests.fourCases(app)
            let city = try CaseQueriesTests.city(app)
            func counts(_ scope: OperatorScope, district: String? = nil, now: Date? = nil) async throws
                -> CityScreenCounts
            {
                try await CityScreenQueries.counts(
                    scope: scope, district: district, measure: .open, reference: app.reference, on: app.db,
                    now: now ?? clock.now)
            }
            let whole = try await counts(city)
            #expect(whole.district == nil)
            #expect(whole.inScope == nil)
            #expect(whole.openTotal == 3)
            #expect(whole.states["closed"] == 1)
            #expect(whole.districts.count == 16)
            #expect(whole.districts.first?.code == "310101")  // most open cases first
            let huangpu = try #require(whole.districts.first { $0.code == "310101" })
            #expect((huangpu.open, huangpu.closed, huangpu.total) == (2, 1, 3))
            #expect(huangpu.onTimeRate == "100%")
            #expect(huangpu.shade == 4)

            let pudong = try await counts(city, district: "310115")
            #expect(pudong.district?.code == "310115")
            #expect(pudong.openTotal == 1)
            #expect(pudong.states["closed"] == nil)
            #expect(pudong.districts.count == 16)  // the league still compares every district
            #expect(pudong.districts.first { $0.code == "310115" }?.selected == true)
            // A street, or a district outside the scope, is no choice: the whole scope is counted.
            #expect(try await counts(city, district: "310101002").district == nil)
            let pudongCentre = try CaseQueriesTests.scope(app, .districtOperator, unit: "310115.operations_centre")
            let outside = try await counts(pudongCentre, district: "310101")
            #expect(outside.district == nil)
            #expect(outside.openTotal == 1)
            #expect(outside.districts.map(\.code) == ["310115"])

            let later = clock.now.addingTimeInterval(60 * 86_400)
            #expect(try await counts(city, now: later).overdueTotal == 3)
            let caseworker = try CaseQueriesTests.scope(app, .caseworker, unit: FieldWorkTests.unit)
            let own = try await counts(caseworker, now: later)
            #expect((own.openTotal, own.overdueTotal) == (1, 1))
            #expect(ids.count == 4)
        }
    }

    @Test func markersAndTheFeedShowOnlyWhatTheScopeReaches() async throws {
        try await TestApp.withApp { app, clock in
            let ids = try await CaseQueriesTests.fourCases(app)
            let city = try CaseQueriesTests.city(app)
            let later = clock.now.addingTimeInterval(60 * 86_400)
            // The whole city's map: its first grid (the cells the clustering starts from).
            let grid = DistrictMap(boundaries: app.reference.boundaries, hierarchy: app.reference.hierarchy)
                .grid(side: CaseMapMarks.cell)
            let markers = try await CityScreenQueries.markers(
                scope: city, regions: nil, grid: grid, reference: app.reference, on: app.db, now: later)
            #expect(Set(markers.map(\.firstCaseID)) == [ids[3], ids[2], ids[0]])  // the open ones
            #expect(markers.allSatisfy { $0.count == 1 && $0.overdueCount == 1 })
            let inPudong = try await CityScreenQueries.markers(
                scope: city, regions: Set(app.reference.hierarchy.subtree(of: "310115")), grid: grid,
                reference: app.reference, on: app.db, now: clock.now)
            #expect(inPudong.map(\.firstCaseID) == [ids[0]])
            #expect(inPudong.first?.overdue == false)
            let caseworker = try CaseQueriesTests.scope(app, .caseworker, unit: FieldWorkTests.unit)
            #expect(
                try await CityScreenQueries.markers(
                    scope: caseworker, regions: nil, grid: grid, reference: app.reference, on: app.db, now: clock.now
                ).map(\.firstCaseID) == [ids[2]])

            let feed = try await CityScreenQueries.recentEvents(
                scope: city, regions: nil, reference: app.reference, on: app.db)
            #expect(!feed.isEmpty)
            #expect(feed.allSatisfy { !CityScreenQueries.quietActions.contains($0.action) })
            #expect(feed.map { $0.id ?? 0 } == feed.map { $0.id ?? 0 }.sorted(by: >))
            #expect(feed.first?.caseID == ids[3])
            let pudongCentre = try CaseQueriesTests.scope(app, .districtOperator, unit: "310115.operations_centre")
            let pudongFeed = try await CityScreenQueries.recentEvents(
                scope: pudongCentre, regions: nil, reference: app.reference, on: app.db)
            #expect(Set(pudongFeed.map(\.caseID)) == [ids[0]])
            #expect(pudongFeed.map(\.action) == [.workflow(.dispatch)])
        }
    }
}
