import CityDomain
import Fluent
import SQLKit
import Testing
import Vapor

@testable import App

/// Search (issue #12 §2) called directly: each kind of query, each filter, the scope, phone entitlement, paging and
/// refusals; on SQLite and, with `TEST_DATABASE_URL`, PostgreSQL.
@Suite struct SearchTests {
    static let pudongPoint = (31.2397, 121.4998)
    static let huangpuPoint = (31.2304, 121.4737)

    /// Registers a case through intake with its text, address and reporter phone.
    static func register(
        _ app: Application, _ text: String, address: String? = nil, category: String = "road.ponding",
        at point: (Double, Double) = pudongPoint, source: ReportSource = .api, phone: String? = nil
    ) async throws -> Int {
        let intake = IntakeReport(
            source: source, categoryCode: category, description: text, address: address,
            point: try GeoPoint(latitude: point.0, longitude: point.1), reporterPhone: phone, actor: "test")
        let stored = try await CaseIntake.register(
            intake, reference: app.reference, gate: app.writeGate, now: app.clock.now(), logger: app.logger)
        return try stored.case.requireID()
    }

    /// Stores a hotline report waiting in triage (no case), as hotline intake does.
    static func queuedCall(_ app: Application, _ text: String, region: String, phone: String? = nil) async throws
        -> Int
    {
        let report = Report()
        report.receivedAt = app.clock.now()
        report.source = .hotline
        report.description = text
        report.reporterPhone = phone
        report.channel = .wechat
        report.regionCode = region
        report.triageState = .queued
        _ = try await app.writeGate.exclusive(assignsIDs: true) { db in
            try await IntakeRows.insert(report, on: try db.sql())
        }
        return try report.requireID()
    }

    static func search(
        _ app: Application, _ q: String, _ scope: OperatorScope,
        _ edit: (inout SearchRequest.Parameters) -> Void = { _ in
        }
    ) async throws -> SearchQueries.Result {
        var parameters = SearchRequest.Parameters(q: q)
        edit(&parameters)
        let request = try SearchRequest(parameters, scope: scope, reference: app.reference)
        return try await SearchQueries.search(
            request, scope: scope, reference: app.reference, on: app.db, now: app.clock.now())
    }

    static func cases(_ result: SearchQueries.Result) -> [Int] { result.hits.compactMap(\.caseID) }

    @Test func wordsOfOneTwoAndMoreCharactersFindCasesNewestFirst() async throws {
        try await TestApp.withApp { app, clock in
            let city = try CaseQueriesTests.city(app)
            let lid = try await Self.register(app, "世纪大道井盖缺失，行人易摔倒", address: "浦东新区世纪大道100号")
            clock.advance(by: 60)
            let loose = try await Self.register(
                app, "井盖松动，车辆经过噪音很大", address: "黄浦区南京东路２００号", at: Self.huangpuPoint)
            clock.advance(by: 60)
            let leak = try await Self.register(app, "水管漏水", address: "浦东新区张杨路8号")
            #expect(Self.cases(try await Self.search(app, "井盖", city)) == [loose, lid])
            #expect(Self.cases(try await Self.search(app, "井", city)) == [loose, lid])
            #expect(Self.cases(try await Self.search(app, "噪音", city)) == [loose])
            #expect(Self.cases(try await Self.search(app, "漏水", city)) == [leak])
            #expect(Self.cases(try await Self.search(app, "井盖缺失", city)) == [lid])
            // The phrase in order, not just its bigrams somewhere: 缺失井盖 is in no text.
            #expect(Self.cases(try await Self.search(app, "缺失井盖", city)).isEmpty)
            // Addresses, with full-width digits and spaces folded.
            #expect(Self.cases(try await Self.search(app, "南京东路200号", city)) == [loose])
            #expect(Self.cases(try await Self.search(app, "世纪大道 100号", city)) == [lid])
            #expect(Self.cases(try await Self.search(app, "张杨路", city)) == [leak])
            #expect(try await Self.search(app, "沙尘暴", city).hits.isEmpty)
            let all = try await Self.search(app, "井盖", city)
            #expect(all.total == 2 && all.totalExact && all.next == nil && all.kind == "text")
        }
    }

    @Test func aCaseNumberGoesToTheCaseOnlyInsideTheScope() async throws {
        try await TestApp.withApp { app, _ in
            let pudong = try await Self.register(app, "井盖缺失")
            let huangpu = try await Self.register(app, "井盖松动", at: Self.huangpuPoint)
            let city = try CaseQueriesTests.city(app)
            let district = try QueryPlanTests.district(app)
            #expect(try await Self.search(app, "#\(huangpu)", city).caseID == huangpu)
            #expect(try await Self.search(app, "\(pudong)", district).caseID == pudong)
            // Another district's case, by its exact number: the same answer as a number no case has.
            let elsewhere = try await Self.search(app, "\(huangpu)", district)
            let missing = try await Self.search(app, "987654", district)
            #expect(elsewhere.caseID == nil && missing.caseID == nil)
            #expect(elsewhere.hits.isEmpty && missing.hits.isEmpty && elsewhere.kind == missing.kind)
            // And never by its text.
            #expect(Self.cases(try await Self.search(app, "井盖", district)) == [pudong])
            #expect(Self.cases(try await Self.search(app, "松动", district)).isEmpty)
        }
    }

    @Test func caseworkersFindOnlyTheirUnitsCasesAndNoWaitingReports() async throws {
        try await TestApp.withApp { app, _ in
            let garbage = try await FieldWorkTests.register(app)
            _ = try await Self.register(app, "测试工单 井盖", at: Self.huangpuPoint)
            let waiting = try await Self.queuedCall(app, "测试：楼下有人烧垃圾", region: "310101002")
            let caseworker = try CaseQueriesTests.scope(app, .caseworker, unit: FieldWorkTests.unit)
            #expect(Self.cases(try await Self.search(app, "测试", caseworker)) == [garbage])
            let centre = try CaseQueriesTests.scope(app, .districtOperator, unit: "310101.operations_centre")
            let found = try await Self.search(app, "测试", centre)
            #expect(found.hits.count == 3 && found.hits[0].reportID == waiting && found.hits[0].caseID == nil)
            // Pudong's centre sees neither Huangpu's cases nor its waiting call.
            #expect(try await Self.search(app, "测试", try QueryPlanTests.district(app)).hits.isEmpty)
        }
    }

    @Test func phoneSearchOnlyForOperatorsEntitledToReportersContact() async throws {
        try await TestApp.withApp { app, _ in
            let called = try await Self.register(
                app, "路灯不亮", at: Self.huangpuPoint, source: .hotline, phone: "138-0013-8000")
            let queued = try await Self.queuedCall(app, "噪音", region: "310101", phone: "+86 13800138000")
            let centre = try CaseQueriesTests.scope(app, .districtOperator, unit: "310101.operations_centre")
            #expect(centre.seesReporterContact)
            let found = try await Self.search(app, "13800138000", centre)
            #expect(found.kind == "phone" && found.hits.map(\.reportID).contains(queued))
            #expect(found.hits.compactMap(\.caseID) == [called])
            let worker = try CaseQueriesTests.scope(app, .gridWorker, unit: FieldWorkTests.unit)
            #expect(!worker.seesReporterContact)
            let refused = try await Self.search(app, "13800138000", worker)
            #expect(refused.kind == "text" && refused.phoneNotEntitled && refused.hits.isEmpty)
        }
    }

    @Test func everyFilterNarrowsAndTheyCombine() async throws {
        try await TestApp.withApp { app, clock in
            let city = try CaseQueriesTests.city(app)
            let ponding = try await Self.register(app, "积水 井盖", address: "南京东路街道", at: Self.huangpuPoint)
            clock.advance(by: 3 * 86_400)
            let pudong = try await Self.register(app, "积水", category: "road.damaged", source: .open311)
            let waiting = try await Self.queuedCall(app, "积水严重", region: "310115")
            func ids(_ edit: (inout SearchRequest.Parameters) -> Void) async throws -> [Int] {
                try await Self.search(app, "积水", city, edit).hits.map { $0.caseID ?? -$0.reportID }
            }
            #expect(try await ids { _ in } == [-waiting, pudong, ponding])
            #expect(try await ids { $0.district = "310115" } == [-waiting, pudong])
            #expect(try await ids { $0.district = "310101" } == [ponding])
            let street = try #require(try await Case.find(ponding, on: app.db)?.regionCode)
            #expect(app.reference.hierarchy[street]?.level == .street)
            #expect(try await ids { $0.street = street } == [ponding])
            let unit = try #require(try await Case.find(pudong, on: app.db)?.unitCode)
            #expect(try await ids { $0.unit = unit } == [pudong])
            #expect(try await ids { $0.category = "road" } == [pudong, ponding])
            #expect(try await ids { $0.category = "road.damaged" } == [pudong])
            #expect(try await ids { $0.state = "closed" } == [])
            let state = try #require(try await Case.find(ponding, on: app.db)?.state.rawValue)
            #expect(try await ids { $0.state = state }.contains(ponding))
            #expect(try await ids { $0.overdue = "true" } == [ponding])  // three days on, the first is late
            let shanghai = TimeZone(identifier: "Asia/Shanghai")!
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = shanghai
            let day = calendar.dateComponents([.year, .month, .day], from: clock.now)
            let todayText = String(format: "%04d-%02d-%02d", day.year!, day.month!, day.day!)
            #expect(try await ids { $0.from = todayText } == [-waiting, pudong])
            #expect(
                try await ids {
                    $0.to = todayText; $0.from = "2000-01-01"
                } == [-waiting, pudong, ponding])
            let before = calendar.date(byAdding: .day, value: -1, to: clock.now)!
            let b = calendar.dateComponents([.year, .month, .day], from: before)
            #expect(try await ids { $0.to = String(format: "%04d-%02d-%02d", b.year!, b.month!, b.day!) } == [ponding])
            #expect(try await ids { $0.channel = "open311" } == [pudong])
            #expect(try await ids { $0.channel = "hotline" } == [-waiting])
            #expect(try await ids { $0.channel = "wechat" } == [-waiting])
            #expect(
                try await ids {
                    $0.district = "310115"; $0.channel = "api"
                } == [])
            #expect(
                try await ids {
                    $0.district = "310115"; $0.category = "road"
                } == [pudong])
        }
    }

    @Test func pagesFollowTheCursorNewestFirst() async throws {
        try await TestApp.withApp { app, clock in
            var made: [Int] = []
            for index in 0..<5 {
                made.append(try await Self.register(app, "噪音扰民 \(index)"))
                clock.advance(by: 10)
            }
            let city = try CaseQueriesTests.city(app)
            var seen: [Int] = []
            var cursor: String?
            repeat {
                let page = try await Self.search(app, "噪音", city) {
                    $0.limit = 2
                    $0.cursor = cursor
                }
                seen += Self.cases(page)
                cursor = page.next.map(String.init)
            } while cursor != nil
            #expect(seen == made.reversed())
        }
    }

    @Test func refusalsNameWhatIsWrongInBothLanguages() async throws {
        try await TestApp.withApp { app, _ in
            let district = try QueryPlanTests.district(app)
            func problem(_ p: SearchRequest.Parameters) -> SearchProblem? {
                do {
                    _ = try SearchRequest(p, scope: district, reference: app.reference)
                    return nil
                } catch { return error }
            }
            #expect(problem(.init(q: "  ")) == .emptyQuery)
            #expect(problem(.init(q: "，。！")) == .emptyQuery)
            #expect(problem(.init(q: String(repeating: "井", count: 51))) == .queryTooLong(51))
            #expect(problem(.init(q: String(repeating: "井", count: 50))) == nil)
            #expect(problem(.init(q: "井盖", district: "999999")) == .unknownDistrict("999999"))
            #expect(problem(.init(q: "井盖", district: "310101")) == .outsideScope("310101"))
            #expect(problem(.init(q: "井盖", street: "310115")) == .unknownStreet("310115"))
            #expect(problem(.init(q: "井盖", unit: "nope")) == .unknownUnit("nope"))
            #expect(problem(.init(q: "井盖", category: "nope")) == .unknownCategory("nope"))
            #expect(problem(.init(q: "井盖", state: "handling,lost")) == .unknownState("lost"))
            #expect(problem(.init(q: "井盖", overdue: "maybe")) == .badOverdue("maybe"))
            #expect(problem(.init(q: "井盖", from: "2026-02-30")) == .badDate(field: "from", value: "2026-02-30"))
            #expect(problem(.init(q: "井盖", from: "2026-03-02", to: "2026-03-01")) == .windowReversed)
            #expect(problem(.init(q: "井盖", channel: "fax")) == .unknownChannel("fax"))
            #expect(problem(.init(q: "井盖", cursor: "abc")) == .badCursor)
            #expect(problem(.init(q: "井盖", limit: 0)) == .badLimit(0))
            #expect(SearchProblem.emptyQuery.message.text(.zh) == "请输入要搜索的内容")
            #expect(SearchProblem.unknownChannel("fax").message.text(.en).hasPrefix("No channel is called 'fax'"))
            #expect(SearchProblem.outsideScope("310101").status == .forbidden)
        }
    }

    /// schemathesis (CI): `GET /api/v1/search?overdue=&q=A` answered 200 though the documented enum has no "".
    @Test func theAPIRefusesAParameterGivenEmpty() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await TestApp.login(
                app, username: "city-search", unit: "310000.operations_centre", role: .cityOperator)
            for query in ["overdue=&q=A", "q=A&from=", "q=A&channel=%20", "q=A&cursor="] {
                try await app.testing().test(.GET, "/api/v1/search?\(query)", headers: .bearer(token)) { res in
                    #expect(res.status == .badRequest, "\(query)")
                    #expect(res.body.string.contains("is empty: leave it out or give a value"), "\(query)")
                }
            }
            try await app.testing().test(.GET, "/api/v1/search?q=A&overdue=false", headers: .bearer(token)) { res in
                #expect(res.status == .ok)
            }
        }
    }

    @Test func theMigrationIndexesReportsStoredBeforeIt() async throws {
        try await TestApp.withApp { app, clock in
            _ = try await HistorySeed.run(
                cases: 30, days: 10, reference: app.reference, gate: app.writeGate, now: clock.now)
            let city = try CaseQueriesTests.city(app)
            let before = try await Self.search(app, "请尽快处理", city) { $0.limit = 100 }
            #expect(before.hits.count == 30)
            // Full-width, upper case and punctuation, through the live write path.
            _ = try await Self.register(app, "ＡＢＣ小区：Ｂ栋漏水！", phone: "(021) 6321-0000")
            let sql = try app.db.sql()
            func rows() async throws -> [String] {
                try await sql.raw(
                    #"SELECT "gram" || ':' || CAST("report_id" AS TEXT) AS "x" FROM "search_grams" UNION ALL SELECT COALESCE("phone", '-') || ':' || "body" AS "x" FROM "search_texts" ORDER BY "x""#
                ).all().map { try $0.decode(column: "x", as: String.self) }
            }
            let written = try await rows()
            #expect(written.contains { $0.hasPrefix("abc小区b栋漏水") } == false)
            #expect(written.contains("02163210000:abc小区b栋漏水 "))
            try await CreateSearchIndex().revert(on: app.db)
            try await CreateSearchIndex().prepare(on: app.db)
            #expect(try await rows() == written)
            let after = try await Self.search(app, "请尽快处理", city) { $0.limit = 100 }
            #expect(after.hits.map(\.reportID) == before.hits.map(\.reportID))
            #expect(try await Self.search(app, "号", city) { $0.limit = 100 }.hits.count == 30)
        }
    }

    @Test func aMergedReportFindsItsCaseAndAfterASplitTheNewOne() async throws {
        try await TestApp.withApp { app, clock in
            let first = try await Self.register(app, "井盖缺失")
            let merged = Report()
            merged.receivedAt = clock.now
            merged.source = .hotline
            merged.description = "同一处井盖，旁边路灯也不亮"
            merged.caseID = first
            _ = try await app.writeGate.exclusive(assignsIDs: true) { db in
                try await IntakeRows.insert(merged, on: try db.sql())
            }
            let city = try CaseQueriesTests.city(app)
            #expect(Self.cases(try await Self.search(app, "路灯", city)) == [first])
            let record = try #require(try await Case.find(first, on: app.db))
            let split = try await CaseSplit.split(
                reportID: try merged.requireID(), from: record, categoryCode: nil, note: "不是同一件事", by: .system,
                reference: app.reference, db: app.db, gate: app.writeGate, now: clock.now)
            let second = try split.requireID()
            #expect(Self.cases(try await Self.search(app, "路灯", city)) == [second])
            #expect(Self.cases(try await Self.search(app, "井盖", city)) == [second, first])
        }
    }
}
