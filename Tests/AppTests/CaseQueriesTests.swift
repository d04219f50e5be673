import CityDomain
import Fluent
import Testing
import Vapor

@testable import App

/// The case queries called directly (no HTTP): list filters, scope, queue order, paging, the detail read.
@Suite struct CaseQueriesTests {
    /// The scope of an operator of `unit` (no account needed: queries take the scope as a value).
    static func scope(_ app: Application, _ role: OperatorRole, unit: String, username: String = "op") throws
        -> OperatorScope
    {
        let region = try #require(app.reference.units[unit]).regionCode
        return OperatorScope(operatorID: UUID(), username: username, role: role, unitCode: unit, regionCode: region)
    }

    static func city(_ app: Application) throws -> OperatorScope {
        try scope(app, .cityOperator, unit: "310000.operations_centre")
    }

    /// Four cases: 浦东 ponding, 黄浦 ponding (closed), 黄浦 rubbish at 南京东路街道 (assigned to `hp.grid1`) and
    /// 黄浦 road damage; ids in that order.
    static func fourCases(_ app: Application) async throws -> [Int] {
        let pudong = try await CaseWorkflowAPITests.register(
            app, category: "road.ponding", lat: 31.2397, long: 121.4998)
        let closed = try await CaseWorkflowAPITests.register(
            app, category: "road.ponding", lat: 31.2304, long: 121.4737)
        for action in [CaseAction.start, .resolve, .verify, .close] {
            try await CaseActions.perform(
                .init(action: action, note: "x"), on: closed, by: .system, reference: app.reference, on: app.db,
                gate: app.writeGate, now: app.clock.now())
        }
        let rubbish = try await FieldWorkTests.register(app)
        try await Case.query(on: app.db).filter(\.$id == rubbish).set(\.$assignee, to: "hp.grid1").update()
        let road = try await CaseWorkflowAPITests.register(
            app, category: "road.damaged", lat: 31.2304, long: 121.4737)
        return [pudong, closed, rubbish, road]
    }

    static func ids(
        _ filter: CaseFilter, _ scope: OperatorScope, _ app: Application, now: Date? = nil, limit: Int = 500,
        offset: Int = 0
    ) async throws -> [Int] {
        try await CaseQueries.list(
            filter, scope: scope, reference: app.reference, on: app.db, now: now ?? app.clock.now(), limit: limit,
            offset: offset
        ).cases.compactMap(\.id)
    }

    @Test func listNarrowsByEachFilterInsideTheScope() async throws {
        try await TestApp.withApp { app, clock in
            let ids = try await Self.fourCases(app)
            let (pudong, closed, rubbish, road) = (ids[0], ids[1], ids[2], ids[3])
            let city = try Self.city(app)
            #expect(Set(try await Self.ids(CaseFilter(), city, app)) == Set(ids))
            #expect(try await Self.ids(CaseFilter(region: "310115"), city, app) == [pudong])
            #expect(Set(try await Self.ids(CaseFilter(region: "310101"), city, app)) == [closed, rubbish, road])
            #expect(Set(try await Self.ids(CaseFilter(region: "310000"), city, app)) == Set(ids))
            #expect(try await Self.ids(CaseFilter(unit: FieldWorkTests.unit), city, app) == [rubbish])
            #expect(try await Self.ids(CaseFilter(states: ["closed"]), city, app) == [closed])
            #expect(Set(try await Self.ids(CaseFilter(category: "road"), city, app)) == [pudong, closed, road])
            #expect(try await Self.ids(CaseFilter(category: "road.damaged"), city, app) == [road])
            #expect(try await Self.ids(CaseFilter(assignee: "hp.grid1"), city, app) == [rubbish])
            #expect(Set(try await Self.ids(CaseFilter(assignee: " "), city, app)) == Set(ids))
            let grid = try Self.scope(app, .gridWorker, unit: FieldWorkTests.unit, username: "hp.grid1")
            #expect(try await Self.ids(CaseFilter(assignee: "me"), grid, app) == [rubbish])
            #expect(try await Self.ids(CaseFilter(overdue: true), city, app).isEmpty)
            // Sixty days on, every open case has passed a limit; the closed one never does.
            let later = clock.now.addingTimeInterval(60 * 86_400)
            #expect(
                Set(try await Self.ids(CaseFilter(overdue: true), city, app, now: later)) == [pudong, rubbish, road])

            // Scope: a district sees its own district; a caseworker only their unit's cases.
            let pudongCentre = try Self.scope(app, .districtOperator, unit: "310115.operations_centre")
            #expect(try await Self.ids(CaseFilter(), pudongCentre, app) == [pudong])
            let caseworker = try Self.scope(app, .caseworker, unit: FieldWorkTests.unit)
            #expect(try await Self.ids(CaseFilter(), caseworker, app) == [rubbish])
            #expect(try await Self.ids(CaseFilter(region: "310101002"), caseworker, app) == [rubbish])
        }
    }

    @Test func listIsAQueueAndPagesWithATotal() async throws {
        try await TestApp.withApp { app, _ in
            let ids = try await Self.fourCases(app)
            let city = try Self.city(app)
            let all = try await CaseQueries.list(
                CaseFilter(), scope: city, reference: app.reference, on: app.db, now: app.clock.now(), limit: 500,
                offset: 0)
            // Open first, earliest running limit first; the closed case last.
            #expect(all.cases.last?.id == ids[1])
            let dues = all.cases.dropLast().map { $0.stepDueAt ?? .distantFuture }
            #expect(dues == dues.sorted())
            let page = try await CaseQueries.list(
                CaseFilter(), scope: city, reference: app.reference, on: app.db, now: app.clock.now(), limit: 2,
                offset: 1)
            #expect(page.total == 4)
            #expect(page.cases.compactMap(\.id) == all.cases.compactMap(\.id)[1...2].map { $0 })
            let last = try await CaseQueries.page(
                CaseFilter(), scope: city, reference: app.reference, on: app.db, now: app.clock.now(), number: 99,
                size: 3)
            #expect(last.number == 2)
            #expect(last.pages == 2)
            #expect(last.listing.cases.compactMap(\.id) == [ids[1]])
            let first = try await CaseQueries.page(
                CaseFilter(), scope: city, reference: app.reference, on: app.db, now: app.clock.now(), number: -5,
                size: 3)
            #expect(first.number == 1)
            #expect(first.listing.cases.count == 3)
        }
    }

    @Test func listRefusesUnknownCodesAndRegionsOutsideTheScope() async throws {
        try await TestApp.withApp { app, _ in
            let pudongCentre = try Self.scope(app, .districtOperator, unit: "310115.operations_centre")
            func status(_ filter: CaseFilter) -> HTTPResponseStatus? {
                do {
                    _ = try CaseQueries.matching(
                        filter, scope: pudongCentre, reference: app.reference, on: app.db, now: app.clock.now())
                    return nil
                } catch let error as any AbortError {
                    return error.status
                } catch {
                    return .internalServerError
                }
            }
            #expect(status(CaseFilter(region: "310101")) == .forbidden)
            #expect(status(CaseFilter(region: "999")) == .badRequest)
            #expect(status(CaseFilter(unit: "nope")) == .badRequest)
            #expect(status(CaseFilter(states: ["dispatched", "bogus"])) == .badRequest)
            #expect(status(CaseFilter(category: "zzz")) == .badRequest)
            // Checked in a fixed order: the region first.
            #expect(status(CaseFilter(region: "999", states: ["bogus"])) == .badRequest)
            #expect(status(CaseFilter(region: "310115", states: ["dispatched"])) == nil)
        }
    }

    @Test func visibleAndDetailFollowTheScopeAndTheRole() async throws {
        try await TestApp.withApp { app, _ in
            let ids = try await Self.fourCases(app)
            let pudongCentre = try Self.scope(app, .districtOperator, unit: "310115.operations_centre")
            #expect(
                try await CaseQueries.visible(ids[2], scope: pudongCentre, reference: app.reference, on: app.db) == nil)
            #expect(
                try await CaseQueries.visible(9_999, scope: pudongCentre, reference: app.reference, on: app.db) == nil)
            let record = try #require(
                try await CaseQueries.visible(ids[0], scope: pudongCentre, reference: app.reference, on: app.db))
            let detail = try await CaseQueries.detail(
                of: record, scope: pudongCentre, reference: app.reference, on: app.db)
            #expect(detail.reports.count == 1)
            #expect(detail.events.map(\.action.rawValue) == ["accept", "register", "forward", "dispatch"])
            #expect(detail.allowedActions.contains(.escalate))
            #expect(!detail.allowedActions.contains(.verify))

            // Whoever resolved a case is not offered its verification; someone else is.
            let resolver = try Self.scope(app, .administrator, unit: "310000.operations_centre", username: "admin")
            let rubbish = try #require(try await Case.find(ids[2], on: app.db))
            for action in [CaseAction.start, .resolve] {
                try await CaseActions.perform(
                    .init(action: action, note: "清运完毕"), on: rubbish, by: resolver.actor, reference: app.reference,
                    on: app.db, gate: app.writeGate, now: app.clock.now())
            }
            let resolved = try #require(try await Case.find(ids[2], on: app.db))
            let street = try Self.scope(app, .streetOperator, unit: "310101002.operations_centre", username: "nj.op")
            let byResolver = try await CaseQueries.detail(
                of: resolved, scope: resolver, reference: app.reference, on: app.db)
            let byOther = try await CaseQueries.detail(
                of: resolved, scope: street, reference: app.reference, on: app.db)
            #expect(!byResolver.allowedActions.contains(.verify))
            #expect(byOther.allowedActions.contains(.verify))
            #expect(
                try await CaseQueries.events(caseID: ids[2], on: app.db).map(\.action).suffix(2) == [
                    "start", "resolve",
                ])
        }
    }
}
