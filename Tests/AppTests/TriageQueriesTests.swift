import CityDomain
import Fluent
import SQLKit
import Testing
import Vapor

@testable import App

/// The triage queue read directly (no HTTP): region scope, order, paging, and the report lookup.
@Suite struct TriageQueriesTests {
    @Test func theQueueIsScopedOldestFirstAndPaged() async throws {
        try await TestApp.withApp(routerThreshold: 1) { app, clock in
            let key = try await TestApp.apiKey(app)
            var queued: [Int] = []
            for text in ["浦东新区这边一直有问题，希望管一管", "黄浦区这边一直有问题，希望管一管", "这边一直有问题，希望管一管"] {
                let (_, report, _) = try await HotlineAPITests.post(app, key: key, ["text": text, "channel": "phone"])
                #expect(report?.triageState == .queued)
                queued.append(try #require(report?.id))
                clock.advance(by: 60)
            }
            let (_, dispatched, _) = try await HotlineAPITests.post(
                app, key: key, ["text": HotlineAPITests.renovation, "channel": "phone"])
            let city = try CaseQueriesTests.city(app)
            func queue(_ scope: OperatorScope, limit: Int = 100, offset: Int = 0) async throws -> [Int] {
                try await TriageQueries.queue(
                    scope: scope, reference: app.reference, on: app.db, limit: limit, offset: offset
                ).compactMap(\.id)
            }
            #expect(try await queue(city) == queued)
            #expect(try await TriageQueries.count(scope: city, reference: app.reference, on: app.db) == 3)
            #expect(try await queue(city, limit: 1, offset: 1) == [queued[1]])
            // A district centre sees its district's calls; the city's own (no region) stay with the city.
            let pudong = try CaseQueriesTests.scope(app, .districtOperator, unit: "310115.operations_centre")
            #expect(try await queue(pudong) == [queued[0]])
            #expect(try await TriageQueries.count(scope: pudong, reference: app.reference, on: app.db) == 1)

            #expect(
                try await TriageQueries.hotlineReport(queued[0], scope: pudong, reference: app.reference, on: app.db)
                    != nil)
            #expect(
                try await TriageQueries.hotlineReport(queued[1], scope: pudong, reference: app.reference, on: app.db)
                    == nil)
            #expect(
                try await TriageQueries.hotlineReport(queued[2], scope: pudong, reference: app.reference, on: app.db)
                    == nil)
            // A page anchor outside the scope is as unknown as a missing one (no answer tells it exists).
            #expect(
                try await TriageQueries.anchorKey(queued[0], scope: pudong, reference: app.reference, on: app.db)
                    != nil)
            #expect(
                try await TriageQueries.anchorKey(queued[1], scope: pudong, reference: app.reference, on: app.db)
                    == nil)
            #expect(
                try await TriageQueries.anchorKey(queued[1], scope: city, reference: app.reference, on: app.db) != nil)
            let done = try #require(dispatched?.id)
            #expect(
                try await TriageQueries.hotlineReport(done, scope: city, reference: app.reference, on: app.db) != nil)
            let open311 = try await CaseWorkflowAPITests.register(
                app, category: "road.ponding", lat: 31.2304, long: 121.4737)
            let report = try #require(try await Report.query(on: app.db).filter(\.$caseID == open311).first())
            #expect(
                try await TriageQueries.hotlineReport(
                    try report.requireID(), scope: city, reference: app.reference, on: app.db)
                    == nil)
        }
    }

    /// The live feed's signal to open triage desks (issue #12 §7): the queue's mark changes when a report enters
    /// or leaves it, not when a call is dispatched on its own, and each change reaches an open stream as one bare
    /// element.
    @Test func theQueueMarkFollowsReportsEnteringAndLeavingAndTheStreamSaysSo() async throws {
        try await TestApp.withApp(routerThreshold: 1) { app, clock in
            #expect(try await Self.cityMark(app) == .empty)
            let cookie = try await ConsoleTests.signIn(
                app, username: "pd.watch", unit: "310115.operations_centre", role: .districtOperator)
            let subscription = app.liveFeed.subscribe(
                app, sessionHash: Access.digest(LiveFeedSessionTests.secret(cookie)), queueRegion: "310115")
            try await Task.sleep(for: .milliseconds(700))  // the feed's first tick reads the mark it starts from
            func nextSignal() async -> Bool {
                let reader = Task { () -> Bool in
                    for await _ in subscription.queue { return true }
                    return false
                }
                let timeout = Task {
                    try await Task.sleep(for: .seconds(10))
                    reader.cancel()
                }
                defer { timeout.cancel() }
                return await reader.value
            }
            let ids = try await TriageDeskTests.queue(app, clock: clock, [TriageDeskTests.vague[0]])
            #expect(try await Self.cityMark(app) == .init(waiting: 1, newestID: ids[0]))
            let entered = await nextSignal()
            #expect(entered, "a report entered the queue")

            let key = try await TestApp.apiKey(app, name: "dispatched alone")
            let (_, dispatched, _) = try await HotlineAPITests.post(
                app, key: key, ["text": HotlineAPITests.renovation, "channel": "phone"])
            #expect(dispatched?.triageState == .done)
            #expect(try await Self.cityMark(app) == .init(waiting: 1, newestID: ids[0]))

            let token = try await TestApp.login(
                app, username: "pd.op", unit: "310115.operations_centre", role: .districtOperator)
            try await app.testing().test(
                .POST, "/api/v1/triage/\(ids[0])", headers: .bearer(token),
                beforeRequest: {
                    try $0.content.encode(["dismiss": AnyEncodable(true), "note": AnyEncodable("重复来电")], as: .json)
                },
                afterResponse: { res in #expect(res.status == .ok, "\(res.body.string)") })
            #expect(try await Self.cityMark(app) == .empty)
            let left = await nextSignal()
            #expect(left, "a report left the queue")
        }
    }

    /// The whole city's queue mark now.
    static func cityMark(_ app: Application) async throws -> TriageQueries.QueueMark {
        try await TriageQueries.queueMarks(hierarchy: app.reference.hierarchy, on: app.db)[
            app.reference.hierarchy.root.code]
    }

    /// The next element of `stream` within `limit`; false when none came.
    static func signal(_ stream: AsyncStream<Void>, within limit: Duration) async -> Bool {
        let reader = Task { () -> Bool in
            for await _ in stream { return true }
            return false
        }
        let timeout = Task {
            try await Task.sleep(for: limit)
            reader.cancel()
        }
        defer { timeout.cancel() }
        return await reader.value
    }

    /// Marks per region: a report waiting in 花木街道 marks its street, 浦东 and the city, and no other district.
    @Test func theQueueIsMarkedPerRegionUpTheHierarchy() async throws {
        try await TestApp.withApp(routerThreshold: 1) { app, clock in
            let hierarchy = app.reference.hierarchy
            #expect(try await TriageQueries.queueMarks(hierarchy: hierarchy, on: app.db) == .init())
            let ids = try await TriageDeskTests.queue(app, clock: clock, Array(TriageDeskTests.vague.prefix(2)))
            let marks = try await TriageQueries.queueMarks(hierarchy: hierarchy, on: app.db)
            let report = try #require(try await Report.find(ids[1], on: app.db))
            let region = try #require(report.regionCode)
            #expect(hierarchy.isWithin(region, ancestor: "310115"))
            for code in hierarchy.ancestors(of: region).map(\.code) {
                #expect(marks[code] == .init(waiting: 2, newestID: ids[1]), "\(code)")
            }
            #expect(marks["310101"] == .empty)
            #expect(marks.byRegion.keys.allSatisfy { hierarchy.isWithin(region, ancestor: $0) })
            // A report without a region counts as the city's only.
            let sql = try app.db.sql()
            try await sql.update("reports").set("region_code", to: SQLLiteral.null).where("id", .equal, ids[0]).run()
            let after = try await TriageQueries.queueMarks(hierarchy: hierarchy, on: app.db)
            #expect(after[hierarchy.root.code] == .init(waiting: 2, newestID: ids[1]))
            #expect(after["310115"] == .init(waiting: 1, newestID: ids[1]))
            #expect(after.changed(since: marks) == Set(hierarchy.ancestors(of: region).map(\.code).dropLast()))
        }
    }

    /// Issue #12 §7, per scope: a report entering the queue in 浦东 reaches a 浦东 operator's stream and not a
    /// 黄浦 operator's (nor a caseworker's, who does not triage); the marks are read once a tick for all streams.
    @Test func aQueueChangeReachesOnlyTheStreamsOfItsRegion() async throws {
        try await TestApp.withApp(routerThreshold: 1) { app, clock in
            func stream(_ username: String, _ unit: String, _ role: OperatorRole) async throws -> LiveSubscription {
                let cookie = try await ConsoleTests.signIn(app, username: username, unit: unit, role: role)
                let scope = try CaseQueriesTests.scope(app, role, unit: unit)
                return app.liveFeed.subscribe(
                    app, sessionHash: Access.digest(LiveFeedSessionTests.secret(cookie)),
                    queueRegion: LiveFeed.queueRegion(of: scope))
            }
            #expect(LiveFeed.queueRegion(of: try CaseQueriesTests.scope(app, .caseworker, unit: "310115.water")) == nil)
            let pudong = try await stream("pd.watch", "310115.operations_centre", .districtOperator)
            let huangpu = try await stream("hp.watch", "310101.operations_centre", .districtOperator)
            let city = try await stream("city.watch", "310000.operations_centre", .cityOperator)
            try await Task.sleep(for: .milliseconds(700))  // the feed's first tick reads the marks it starts from
            _ = try await TriageDeskTests.queue(app, clock: clock, [TriageDeskTests.vague[0]])
            #expect(await Self.signal(pudong.queue, within: .seconds(30)), "浦东's stream is told")
            #expect(await Self.signal(city.queue, within: .seconds(5)), "the city's stream is told")
            // Both were told by the same tick: 黄浦's stream, had it been told, would hold its element by now.
            #expect(!(await Self.signal(huangpu.queue, within: .seconds(3))), "黄浦's stream is not told")
        }
    }
}
