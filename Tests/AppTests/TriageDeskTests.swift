import CityDomain
import Fluent
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import App

/// The triage desk at volume (issue #12 §3): keyset pages that stay put while others decide, counts per suggested
/// category, the indexes the page and count queries read, and the desk coming back to the next report.
@Suite struct TriageDeskTests {
    /// Posts `texts` as vague 12345 calls a minute apart (the router never dispatches: threshold 1); their ids.
    static func queue(_ app: Application, clock: ManualClock, _ texts: [String]) async throws -> [Int] {
        let key = try await TestApp.apiKey(app, name: "triage \(UUID())")
        var ids: [Int] = []
        for text in texts {
            let (_, report, _) = try await HotlineAPITests.post(app, key: key, ["text": text, "channel": "phone"])
            #expect(report?.triageState == .queued)
            ids.append(try #require(report?.id))
            clock.advance(by: 60)
        }
        return ids
    }

    static let vague = (1...5).map { "浦东新区花木街道这边最近一直有问题（第\($0)次反映），希望有关部门管一管" }

    static func context(_ app: Application) -> HotlineContext {
        HotlineContext(app, now: app.clock.now(), logger: app.logger)
    }

    @Test func keysetPagesStayPutWhileOthersDecide() async throws {
        try await TestApp.withApp(routerThreshold: 1) { app, clock in
            let ids = try await Self.queue(app, clock: clock, Self.vague)
            let city = try CaseQueriesTests.city(app)
            func page(_ anchor: TriageQueries.Anchor, _ filter: TriageQueries.CategoryFilter = .all) async throws
                -> [Int]
            {
                try await TriageQueries.page(
                    scope: city, reference: app.reference, filter: filter, anchor: anchor, limit: 2, on: app.db
                ).compactMap(\.id)
            }
            func key(_ id: Int) async throws -> Report.Key {
                try #require(try await Report.find(id, on: app.db)).queueKey()
            }
            #expect(try await page(.head) == [ids[0], ids[1]])
            #expect(try await page(.after(try await key(ids[1]))) == [ids[2], ids[3]])
            #expect(try await page(.before(try await key(ids[3]))) == [ids[1], ids[2]])
            // Someone decides the first row of page 2: page 2 still starts after the same report, one row on.
            _ = try await TriageDecision(categoryCode: nil, regionCode: nil, dismiss: true, note: "重复来电")
                .apply(toReport: ids[2], by: city, context: Self.context(app))
            #expect(try await page(.after(try await key(ids[1]))) == [ids[3], ids[4]])
            #expect(
                try await TriageQueries.position(
                    of: try await key(ids[3]), scope: city, reference: app.reference, on: app.db) == 2)
            // Reports received in the same instant are ordered by id, none lost or repeated across pages.
            try await Report.query(on: app.db).filter(\.$id ~~ ids).set(\.$receivedAt, to: TestApp.friday).update()
            #expect(try await page(.after(try await key(ids[0]))) == [ids[1], ids[3]])
            #expect(try await page(.after(try await key(ids[3]))) == [ids[4]])
            // Counts: all, and per suggested category, adding up.
            let counts = try await TriageQueries.countsByCategory(scope: city, reference: app.reference, on: app.db)
            #expect(counts.reduce(0) { $0 + $1.count } == 4)
            #expect(try await TriageQueries.count(scope: city, reference: app.reference, on: app.db) == 4)
            let first = try #require(counts.first)
            let filter: TriageQueries.CategoryFilter = first.code.map { .category($0) } ?? .none
            #expect(
                try await TriageQueries.count(scope: city, reference: app.reference, filter: filter, on: app.db)
                    == first.count)
            #expect(try await page(.head, filter).count == min(2, first.count))
            // Another district's centre sees none of them.
            let huangpu = try CaseQueriesTests.scope(app, .districtOperator, unit: "310101.operations_centre")
            #expect(
                try await TriageQueries.countsByCategory(scope: huangpu, reference: app.reference, on: app.db).isEmpty)
        }
    }

    @Test func theSuggestedCategoryIsStoredBesideTheRecordAndBackfilled() async throws {
        try await TestApp.withApp(routerThreshold: 1) { app, clock in
            let ids = try await Self.queue(app, clock: clock, [Self.vague[0]])
            let report = try #require(try await Report.find(ids[0], on: app.db))
            var record = try #require(HotlineTriageRecord.read(report.triage))
            #expect(report.triageCategory == record.categoryCode)
            // The migration's backfill reads the record of reports already waiting.
            record.categoryCode = "sanitation.garbage"
            try report.setTriage(record)
            try await report.save(on: app.db)
            try await Report.query(on: app.db).set(\.$triageCategory, to: nil).update()
            try await UpdateReportsAddTriageCategory.backfill(on: try app.db.sql())
            #expect(try await Report.find(ids[0], on: app.db)?.triageCategory == "sanitation.garbage")
        }
    }

    @Test func pageAndCountQueriesReadThroughTheTriageIndexes() async throws {
        try await TestApp.withApp { app, _ in
            guard app.config.storage.kind == "sqlite" else { return }
            let sql = try app.db.sql()
            func plan(_ query: String) async throws -> String {
                try await sql.raw(SQLQueryString("EXPLAIN QUERY PLAN " + query)).all()
                    .map { try $0.decode(column: "detail", as: String.self) }.joined(separator: " | ")
            }
            let queued = "\"triage_state\" = 'queued' AND \"source\" = 'hotline'"
            let keyset =
                "\"received_at\" >= 800000000 AND (\"received_at\" > 800000000 OR \"id\" > 5)"
            let pages = [
                "SELECT * FROM \"reports\" WHERE \(queued) ORDER BY \"received_at\", \"id\" LIMIT 51",
                "SELECT * FROM \"reports\" WHERE \(queued) AND \(keyset) ORDER BY \"received_at\", \"id\" LIMIT 51",
                "SELECT * FROM \"reports\" WHERE \(queued) AND \"triage_category\" = 'noise.renovation' AND \(keyset) "
                    + "ORDER BY \"received_at\", \"id\" LIMIT 51",
                "SELECT * FROM \"reports\" WHERE \(queued) AND \"region_code\" IN ('310115', '310115105') AND \(keyset) "
                    + "ORDER BY \"received_at\", \"id\" LIMIT 51",
            ]
            for query in pages {
                let detail = try await plan(query)
                #expect(detail.contains("reports_triage_"), "\(query): \(detail)")
                #expect(!detail.contains("TEMP B-TREE"), "a page is read in index order: \(detail)")
            }
            let counts = try await plan(
                "SELECT \"triage_category\", COUNT(*) AS \"n\" FROM \"reports\" WHERE \(queued) GROUP BY \"triage_category\""
            )
            #expect(counts.contains("COVERING INDEX reports_triage_category_idx"), "\(counts)")
            let total = try await plan("SELECT COUNT(*) FROM \"reports\" WHERE \(queued)")
            #expect(total.contains("COVERING INDEX reports_triage_"), "\(total)")
        }
    }

    @Test func theDeskPagesByCategoryAndComesBackToTheNextReport() async throws {
        try await TestApp.withApp(routerThreshold: 1) { app, clock in
            let ids = try await Self.queue(app, clock: clock, Array(Self.vague.prefix(4)))
            let cookie = try await ConsoleTests.signIn(
                app, username: "pd.op", unit: "310115.operations_centre", role: .districtOperator)
            try await app.testing().test(.GET, "/console/triage?after=\(ids[0])", headers: ["Cookie": cookie]) { res in
                #expect(res.status == .ok)
                let body = res.body.string
                #expect(!body.contains("id=\"report-\(ids[0])\""))
                #expect(body.contains("id=\"report-\(ids[1])\""))
                #expect(body.contains("第 2–4 条，共 4 条"))
                #expect(body.contains("name=\"after\" value=\"\(ids[0])\""))
                #expect(body.contains("name=\"next\" value=\"\(ids[2])\""))
                #expect(body.contains("rel=\"prev\""))
                #expect(body.contains("aria-current=\"page\""))
                #expect(body.contains("键盘快捷键"))
            }
            try await app.testing().test(
                .POST, "/console/triage/\(ids[1])", headers: ["Cookie": cookie],
                beforeRequest: { req in
                    try req.content.encode(
                        [
                            "category_code": "sanitation.garbage", "after": "\(ids[0])", "next": "\(ids[2])",
                            "category": "none", "_csrf": ConsoleTests.csrf(forCookie: cookie),
                        ], as: .urlEncodedForm)
                },
                afterResponse: { res in
                    #expect(res.status == .seeOther)
                    #expect(
                        res.headers.first(name: .location)
                            == "/console/triage?category=none&after=\(ids[0])#report-\(ids[2])")
                    #expect(ConsoleTests.flash(res).hasPrefix("ok:"))
                })
            // A refusal comes back to the report it is about, on the same page.
            try await app.testing().test(
                .POST, "/console/triage/\(ids[1])", headers: ["Cookie": cookie],
                beforeRequest: { req in
                    try req.content.encode(
                        [
                            "category_code": "sanitation.garbage", "after": "\(ids[0])", "next": "\(ids[2])",
                            "_csrf": ConsoleTests.csrf(forCookie: cookie),
                        ], as: .urlEncodedForm)
                },
                afterResponse: { res in
                    #expect(res.headers.first(name: .location) == "/console/triage?after=\(ids[0])#report-\(ids[1])")
                    #expect(ConsoleTests.flash(res).hasPrefix("error:"))
                })
            try await app.testing().test(.GET, "/console/triage?lang=en", headers: ["Cookie": cookie]) { res in
                let body = res.body.string
                #expect(body.contains("1–3 of 3"))
                #expect(body.contains("Keyboard shortcuts"))
                #expect(body.contains("Select all similar"))
            }
        }
    }

    @Test func theAPIPagesByKeysetAndCounts() async throws {
        try await TestApp.withApp(routerThreshold: 1) { app, clock in
            let ids = try await Self.queue(app, clock: clock, Array(Self.vague.prefix(3)))
            let token = try await TestApp.login(
                app, username: "pd.op", unit: "310115.operations_centre", role: .districtOperator)
            try await app.testing().test(.GET, "/api/v1/triage?limit=2", headers: .bearer(token)) { res in
                let page = try res.content.decode(TriageController.ListResponse.self)
                #expect(page.items.map(\.id) == [ids[0], ids[1]])
                #expect(page.nextCursor == "\(ids[1])")
                #expect(page.total == 3)
            }
            try await app.testing().test(.GET, "/api/v1/triage?limit=2&after=\(ids[1])", headers: .bearer(token)) {
                res in
                let page = try res.content.decode(TriageController.ListResponse.self)
                #expect(page.items.map(\.id) == [ids[2]])
                #expect(page.nextCursor == nil)
            }
            try await app.testing().test(.GET, "/api/v1/triage?after=\(ids[1])&offset=1", headers: .bearer(token)) {
                res in
                #expect(res.status == .badRequest)
            }
            let long = String(repeating: "a", count: 101)
            try await app.testing().test(.GET, "/api/v1/triage?category=\(long)", headers: .bearer(token)) { res in
                #expect(res.status == .badRequest)
            }
            try await app.testing().test(.GET, "/api/v1/triage?category=none&offset=1", headers: .bearer(token)) {
                res in
                #expect(res.status == .badRequest)
            }
            try await app.testing().test(.GET, "/api/v1/triage?category=none", headers: .bearer(token)) { res in
                let page = try res.content.decode(TriageController.ListResponse.self)
                #expect(page.items.map(\.id) == ids)
            }
            try await app.testing().test(.GET, "/api/v1/triage-counts", headers: .bearer(token)) { res in
                #expect(res.status == .ok)
                let counts = try res.content.decode(TriageController.CountsResponse.self)
                #expect(counts.total == 3)
                #expect(counts.categories.reduce(0) { $0 + $1.count } == 3)
            }
        }
    }
}
