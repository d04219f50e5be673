import CityDomain
import Fluent
import Testing
import Vapor

@testable import App

/// Keyset paging of the case list (issue #17): walking `next_cursor` gives exactly the queue the offset list gives,
/// for every filter; bad cursors are refused; the closed part after a cursor is read down an index.
@Suite struct CaseCursorTests {
    static func walk(
        _ filter: CaseFilter, scope: OperatorScope, app: Application, now: Date, size: Int
    ) async throws -> [Int] {
        var ids: [Int] = []
        var cursor: CaseCursor?
        for _ in 0..<1000 {
            let page = try await CaseQueries.list(
                filter, scope: scope, reference: app.reference, on: app.db, now: now, limit: size, offset: 0,
                after: cursor)
            ids += page.cases.compactMap(\.id)
            guard let next = page.next else { return ids }
            #expect(page.cases.count == size, "a page with a next cursor is full")
            cursor = next
        }
        Issue.record("more than 1,000 pages")
        return ids
    }

    @Test func walkingTheCursorsGivesTheWholeQueueOnceInOrder() async throws {
        try await TestApp.withApp { app, clock in
            _ = try await HistorySeed.run(
                cases: 300, days: 60, reference: app.reference, gate: app.writeGate, now: clock.now)
            // Ties in the running limit: the cursor must order them by id as the queue does.
            let open = try await Case.query(on: app.db).filter(\.$state != .closed).sort(\.$id).limit(6).all()
            for record in open { record.stepDueAt = open[0].stepDueAt }
            for record in open { try await record.save(on: app.db) }
            let city = try CaseQueriesTests.city(app)
            let district = try QueryPlanTests.district(app)
            let filters: [(CaseFilter, OperatorScope)] = [
                (CaseFilter(), city), (CaseFilter(states: ["closed"]), city),
                (CaseFilter(states: ["registered", "handling", "closed"]), city), (CaseFilter(category: "road"), city),
                (CaseFilter(), district), (CaseFilter(overdue: true), city),
            ]
            for (filter, scope) in filters {
                // The whole queue through the offset path (numbered pages), which the cursors must reproduce.
                let all = try await CaseQueries.page(
                    filter, scope: scope, reference: app.reference, on: app.db, now: clock.now, number: 1, size: 500
                ).listing.cases.compactMap(\.id)
                #expect(all.count > 0, "\(filter)")
                for size in [1, 7, 50] {
                    let walked = try await Self.walk(filter, scope: scope, app: app, now: clock.now, size: size)
                    #expect(walked == all, "\(filter), pages of \(size)")
                }
            }
        }
    }

    @Test func aCursorRoundTripsAndJunkIsRefused() throws {
        let due = Date(timeIntervalSinceReferenceDate: 749_012_345.678_901_2)
        for cursor in [CaseCursor.open(stepDue: due, id: 42), .open(stepDue: nil, id: 7), .closed(id: 3)] {
            #expect(try CaseCursor(token: cursor.token) == cursor)
        }
        for junk in ["", "!!", "Yzo", "YzowOg", "bzp4OjE", String(repeating: "A", count: 200), "Yzot"] {
            let refusal = #expect(throws: LocalizedRefusal.self, "\(junk)") { try CaseCursor(token: junk) }
            #expect(refusal?.message.code == "paging.bad_cursor" && refusal?.status == .badRequest, "\(junk)")
        }
    }

    @Test func theAPIGivesNextCursorsAndRefusesACursorWithAnOffset() async throws {
        try await TestApp.withApp { app, clock in
            _ = try await HistorySeed.run(
                cases: 30, days: 20, reference: app.reference, gate: app.writeGate, now: clock.now)
            let token = try await TestApp.login(
                app, username: "cursor.op", unit: "310000.operations_centre", role: .cityOperator)
            var seen: [Int] = []
            var next: String? = ""
            while let cursor = next {
                let query = cursor.isEmpty ? "limit=8" : "limit=8&cursor=\(cursor)"
                try await app.testing().test(.GET, "/api/v1/cases?\(query)", headers: .bearer(token)) { res in
                    #expect(res.status == .ok, "\(res.body.string)")
                    let page = try res.content.decode(CaseController.ListResponse.self)
                    seen += page.items.map(\.id)
                    next = page.nextCursor
                    #expect(page.total == 30)
                }
            }
            #expect(seen.count == 30 && Set(seen).count == 30)
            let first = try #require(
                try await CaseQueries.list(
                    CaseFilter(), scope: try CaseQueriesTests.city(app), reference: app.reference, on: app.db,
                    now: clock.now, limit: 8, offset: 0
                ).next?.token)
            for (query, reason) in [
                ("cursor=\(first)&offset=8", "give either cursor or offset, not both"),
                ("cursor=nonsense", "cursor is not one this server gave (use next_cursor as it came)"),
            ] {
                try await app.testing().test(.GET, "/api/v1/cases?\(query)", headers: .bearer(token)) { res in
                    #expect(res.status == .badRequest)
                    #expect(res.body.string.contains(reason), "\(res.body.string)")
                }
            }
        }
    }
}
