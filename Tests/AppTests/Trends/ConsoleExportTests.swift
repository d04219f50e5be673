import CityDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// CSV exports of the desk and the league (issue #12 §4): UTF-8 with BOM, headers in the page's language, RFC 4180
/// quoting of citizens' text, the desk's filters and the operator's scope.
@Suite struct ConsoleExportTests {
    /// The CSV body without its byte order mark, which the test checks first.
    static func text(_ res: TestingHTTPResponse) throws -> String {
        let bytes = Array(res.body.readableBytesView)
        #expect(Array(bytes.prefix(3)) == ConsoleCSV.byteOrderMark)
        return String(decoding: bytes.dropFirst(3), as: UTF8.self)
    }

    @Test func writerQuotesCommasQuotesAndLineBreaks() throws {
        let data = try ConsoleCSV.bytes([["a", "b,c"], ["say \"hi\"", "line\nbreak"], ["", "中文"]])
        let text = String(decoding: data.dropFirst(3), as: UTF8.self)
        #expect(text == "a,\"b,c\"\r\n\"say \"\"hi\"\"\",\"line\nbreak\"\r\n,中文\r\n")
        #expect(ConsoleCSV.text("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")")
        #expect(ConsoleCSV.text("-5 度") == "'-5 度")
        #expect(ConsoleCSV.text("路口积水") == "路口积水")
        #expect(ConsoleCSV.text(nil) == "")
    }

    @Test func deskExportKeepsFiltersScopeAndCitizensText() async throws {
        try await TestApp.withApp { app, _ in
            let intake = IntakeReport(
                source: .api, categoryCode: "road.ponding", description: "积水,很深 \"半米\"\n请尽快处理",
                address: "=1+1", point: try GeoPoint(latitude: 31.2397, longitude: 121.4998), actor: "test")
            let stored = try await CaseIntake.register(
                intake, reference: app.reference, gate: app.writeGate, now: app.clock.now(), logger: app.logger)
            let id = try stored.case.requireID()
            let huangpu = try await CaseWorkflowAPITests.register(
                app, category: "road.ponding", lat: 31.2304, long: 121.4737)
            let cookie = try await ConsoleTests.signIn(
                app, username: "pd.op", unit: "310115.operations_centre", role: .districtOperator)
            try await app.testing().test(.GET, "/console/cases.csv", headers: ["Cookie": cookie]) { res in
                #expect(res.status == .ok)
                #expect(res.headers.contentType?.description == "text/csv; charset=utf-8")
                let disposition = res.headers.first(name: .contentDisposition) ?? ""
                #expect(disposition == "attachment; filename=\"cases-2024-09-27.csv\"")
                let text = try Self.text(res)
                #expect(text.hasPrefix("案件,类别,区域,责任单位,网格员,状态,受理时间,环节时限,结案时限,超期,地址,诉求内容\r\n"))
                #expect(text.components(separatedBy: "\r\n")[1].hasPrefix("\(id),"))
                #expect(text.contains(",'=1+1,\"积水,很深 \"\"半米\"\"\n请尽快处理\"\r\n"))
                #expect(!text.contains("\(huangpu),"))
                #expect(text.components(separatedBy: "\r\n").count == 3)  // header, one case, the final CRLF
            }
            // Another district's cases are not this operator's to export.
            try await app.testing().test(.GET, "/console/cases.csv?region=310101", headers: ["Cookie": cookie]) {
                res in
                #expect(res.status == .forbidden)
            }
            // The filters apply: no Pudong case is overdue yet; English headers with ?lang=en.
            try await app.testing().test(
                .GET, "/console/cases.csv?overdue=1&lang=en", headers: ["Cookie": cookie]
            ) { res in
                #expect(res.status == .ok)
                let text = try Self.text(res)
                #expect(text.hasPrefix("Case,Category,Region,Responsible unit,"))
                #expect(text.components(separatedBy: "\r\n").count == 2)
            }
        }
    }

    @Test func leagueExportCountsWithinTheWindow() async throws {
        try await TestApp.withApp { app, _ in
            _ = try await TrendQueriesTests.windowCases(app)
            let cookie = try await ConsoleTests.signIn(
                app, username: "city.op", unit: "310000.operations_centre", role: .cityOperator)
            try await app.testing().test(.GET, "/console/league.csv?window=7d", headers: ["Cookie": cookie]) { res in
                #expect(res.status == .ok)
                #expect(
                    res.headers.first(name: .contentDisposition)?.contains("league-2024-09-21-2024-09-27.csv") == true)
                let lines = try Self.text(res).components(separatedBy: "\r\n")
                #expect(lines[0] == "区代码,区,统计时段,受理,结案,按期结案,按期结案率,一次派遣准确,一次派遣准确率,在办案件,超期")
                #expect(lines.contains { $0.hasPrefix("310101,黄浦区,2024-09-21–2024-09-27,3,2,1,50%,2,67%,") })
                #expect(lines.count == 16 + 2)
            }
            // A district operator's file holds the streets their screen shows, not a one-row district league.
            let huangpu = try await ConsoleTests.signIn(
                app, username: "hp.op", unit: "310101.operations_centre", role: .districtOperator)
            try await app.testing().test(.GET, "/console/league.csv?window=7d", headers: ["Cookie": huangpu]) { res in
                #expect(res.status == .ok)
                let lines = try Self.text(res).components(separatedBy: "\r\n")
                #expect(lines[0].hasPrefix("街镇代码,街镇,统计时段,"))
                #expect(!lines.contains { $0.hasPrefix("310115") })  // another district's streets
                #expect(!lines.contains { $0.hasPrefix("310101,黄浦区,") })  // no district row; its own is 仅定位到区
                let streets = lines.dropFirst().filter { !$0.isEmpty }
                #expect(!streets.isEmpty && streets.allSatisfy { $0.hasPrefix("310101") })
                let received = streets.map { Int($0.split(separator: ",")[3]) ?? -1 }.reduce(0, +)
                #expect(received == 3)  // the district's three cases received in the window, over its streets
            }
            try await app.testing().test(
                .GET, "/console/league.csv?window=custom&from=2024-09-30", headers: ["Cookie": cookie]
            ) {
                res in
                #expect(res.status == .badRequest)
            }
            // The city screen says what is wrong, in its language, and keeps the all-time league.
            try await app.testing().test(
                .GET, "/console?window=custom&from=2024-09-26&to=2024-09-20", headers: ["Cookie": cookie]
            ) { res in
                #expect(res.status == .badRequest)
                #expect(res.body.string.contains("截止日期 2024-09-20 早于起始日期 2024-09-26"))
            }
            try await app.testing().test(.GET, "/console?window=today&lang=en", headers: ["Cookie": cookie]) { res in
                #expect(res.status == .ok)
                let html = res.body.string
                #expect(html.contains("2024-09-27 to 2024-09-27 (Beijing time, 1 day(s))"))
                #expect(html.contains("href=\"/console/league.csv?&amp;window=today\""))
                #expect(html.contains("aria-current=\"true\">Today</a>"))
            }
            try await app.testing().test(.GET, "/console/trends?window=7d", headers: ["Cookie": cookie]) { res in
                #expect(res.status == .ok)
                let html = res.body.string
                #expect(html.contains("id=\"daily-chart\""))
                #expect(html.contains("data-points=\"7\" data-other-points=\"7\""))
                #expect(html.contains("data-points=\"1\" data-other-points=\"1\""))  // one week with cases of 12
                #expect(html.contains("<td>2024-09-26</td><td>3</td><td>1</td>"))
                #expect(html.contains("<td>2024-09-23</td><td>50% (1/2)</td><td>75% (3/4)</td>"))
            }
        }
    }
}

/// The desk export streamed in keyset pages (issue #17): the whole queue in order across page boundaries, and a cut
/// file that says so outside its data.
@Suite struct ConsoleExportStreamTests {
    @Test func theDeskExportStreamsEveryPageAndSaysWhereItIsCut() async throws {
        try await TestApp.withApp { app, clock in
            _ = try await HistorySeed.run(
                cases: 3_000, days: 60, reference: app.reference, gate: app.writeGate, now: clock.now)
            let city = try CaseQueriesTests.city(app)
            let filter = CaseFilter(states: ["closed"])
            let queue = try await CaseQueries.page(
                filter, scope: city, reference: app.reference, on: app.db, now: clock.now, number: 1, size: 5_000
            ).listing.cases.compactMap(\.id)
            #expect(queue.count > ConsoleExportController.streamPage)
            let cookie = try await ConsoleTests.signIn(
                app, username: "city.op", unit: "310000.operations_centre", role: .cityOperator)
            func ids(_ text: String) -> [Int] {
                text.components(separatedBy: "\r\n").dropFirst().compactMap { line in
                    line.first?.isNumber == true ? Int(line.prefix { $0.isNumber }) : nil
                }
            }
            try await app.testing().test(.GET, "/console/cases.csv?state=closed", headers: ["Cookie": cookie]) { res in
                #expect(res.status == .ok)
                #expect(res.headers.first(name: ConsoleExportController.totalHeader) == String(queue.count))
                #expect(res.headers.first(name: ConsoleExportController.cutHeader) == nil)
                #expect(res.headers.first(name: .contentDisposition) == "attachment; filename=\"cases-2024-09-27.csv\"")
                let text = try ConsoleExportTests.text(res)
                #expect(ids(text) == queue, "every closed case once, newest first, across the stream's pages")
                #expect(text.hasSuffix("\r\n") && !text.contains("仅导出"))
            }
            // Cut at 1,500 (a smaller cap for this app): the file holds the first 1,500 cases and nothing else; the
            // headers, the file name and the desk say what is left out.
            app.storage[ConsoleExportController.CaseLimitKey.self] = 1_500
            try await app.testing().test(.GET, "/console/cases.csv?state=closed", headers: ["Cookie": cookie]) { res in
                #expect(res.status == .ok)
                #expect(res.headers.first(name: ConsoleExportController.cutHeader) == "1500 of \(queue.count)")
                #expect(
                    res.headers.first(name: .contentDisposition)
                        == "attachment; filename=\"cases-2024-09-27-first-1500-of-\(queue.count).csv\"")
                let text = try ConsoleExportTests.text(res)
                #expect(ids(text) == Array(queue.prefix(1_500)))
                #expect(text.components(separatedBy: "\r\n").count == 1 + 1_500 + 1)  // header, cases, final CRLF
            }
            try await app.testing().test(.GET, "/console/cases?state=closed&lang=en", headers: ["Cookie": cookie]) {
                res in
                #expect(res.body.string.contains("id=\"desk-csv-cut\""))
                #expect(res.body.string.contains("An export holds at most 1500 cases: this view has \(queue.count)"))
            }
        }
    }
}
