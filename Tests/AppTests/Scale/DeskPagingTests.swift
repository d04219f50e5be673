import CityDomain
import Fluent
import Testing
import Vapor

@testable import App

/// The console desk's keyset pages (issue #17): walking "next" from the head and "previous" back from the end gives
/// exactly the queue, page by page, for the desk's filters, and a `before` near the head answers the full first page.
@Suite struct DeskPagingTests {
    @Test func nextAndPreviousWalkTheWholeQueueBothWays() async throws {
        try await TestApp.withApp { app, clock in
            _ = try await HistorySeed.run(
                cases: 300, days: 60, reference: app.reference, gate: app.writeGate, now: clock.now)
            // Ties in the running limit: the cursors must order them by id as the queue does.
            let open = try await Case.query(on: app.db).filter(\.$state != .closed).sort(\.$id).limit(6).all()
            for record in open { record.stepDueAt = open[0].stepDueAt }
            for record in open { try await record.save(on: app.db) }
            let city = try CaseQueriesTests.city(app)
            let district = try QueryPlanTests.district(app)
            let everyState = CaseState.allCases.map(\.rawValue)
            let filters: [(CaseFilter, OperatorScope)] = [
                (CaseFilter(states: everyState.filter { $0 != "closed" }), city),
                (CaseFilter(states: ["closed"]), city),
                (CaseFilter(states: everyState), city), (CaseFilter(states: everyState), district),
                (CaseFilter(overdue: true), city),
            ]
            for (filter, scope) in filters {
                let all = try await CaseQueries.page(
                    filter, scope: scope, reference: app.reference, on: app.db, now: clock.now, number: 1, size: 500
                ).listing.cases.compactMap(\.id)
                #expect(all.count > 0, "\(filter)")
                for size in [7, 40] {
                    func page(_ at: CaseQueries.DeskPosition) async throws -> CaseQueries.DeskPage {
                        try await CaseQueries.deskPage(
                            filter, scope: scope, reference: app.reference, on: app.db, now: clock.now, at: at,
                            size: size)
                    }
                    // Forwards: every page full but the last, each case once, in queue order.
                    var pages: [[Int]] = []
                    var at = CaseQueries.DeskPosition.first
                    for _ in 0..<200 {
                        let shown = try await page(at)
                        #expect(shown.isFirst == pages.isEmpty && (shown.previous == nil) == pages.isEmpty)
                        #expect(shown.total == all.count, "\(filter): the total is the queue's length")
                        pages.append(shown.cases.compactMap(\.id))
                        guard let next = shown.next else { break }
                        #expect(shown.cases.count == size)
                        at = .after(next)
                    }
                    #expect(pages.flatMap { $0 } == all, "\(filter), pages of \(size), forwards")
                    // Backwards from the last page: the same pages, the first one full.
                    var back: [[Int]] = [pages.last ?? []]
                    var shown = try await page(at)
                    while let previous = shown.previous {
                        shown = try await page(.before(previous))
                        back.insert(shown.cases.compactMap(\.id), at: 0)
                    }
                    #expect(shown.isFirst)
                    #expect(back.first == Array(all.prefix(size)), "\(filter), pages of \(size): a full first page")
                    #expect(Set(back.flatMap { $0 }) == Set(all) && back.flatMap { $0 }.count >= all.count)
                    if all.count % size == 0 || pages.count == 1 {
                        #expect(back == pages, "\(filter), pages of \(size), backwards")
                    } else {
                        // Walking back ends on a full first page, so the pages overlap where the walk started.
                        #expect(Array(back.dropLast()).flatMap { $0 }.count % size == 0)
                    }
                    // A cursor past the end answers the full page of cases before it rather than an empty page, or
                    // the first page when fewer than a page precede it.
                    if let last = try await Case.find(all.last, on: app.db), all.count > 1 {
                        let after = try await page(.after(try CaseCursor(after: last)))
                        let fullPageBefore = all.count - 1 > size
                        let expected = fullPageBefore ? Array(all.dropLast().suffix(size)) : Array(all.prefix(size))
                        #expect(after.cases.compactMap(\.id) == expected, "\(filter), pages of \(size)")
                        #expect(after.isFirst == !fullPageBefore, "\(filter), pages of \(size)")
                    }
                }
            }
        }
    }

    @Test func theDeskLinksItsNeighboursByCursor() async throws {
        try await TestApp.withApp { app, clock in
            _ = try await HistorySeed.run(
                cases: 260, days: 60, reference: app.reference, gate: app.writeGate, now: clock.now)
            let cookie = try await ConsoleTests.signIn(
                app, username: "city.op", unit: "310000.operations_centre", role: .cityOperator)
            func get(_ path: String) async throws -> String {
                var html = ""
                try await app.testing().test(.GET, path, headers: ["Cookie": cookie]) { res in
                    #expect(res.status == .ok, "\(path)")
                    html = res.body.string
                }
                return html
            }
            func link(_ id: String, in html: String) -> String? {
                guard let range = html.range(of: "href=\"([^\"]*)\" id=\"\(id)\"", options: .regularExpression)
                else { return nil }
                let text = String(html[range])
                return String(text.dropFirst(6).prefix { $0 != "\"" }).replacingOccurrences(of: "&amp;", with: "&")
            }
            let first = try await get("/console/cases?state=closed")
            #expect(first.components(separatedBy: "<tr class=").count - 1 == CaseDeskController.pageSize)
            #expect(link("previous-page", in: first) == nil && link("first-page", in: first) == nil)
            let next = try #require(link("next-page", in: first))
            #expect(next.hasPrefix("/console/cases?state=closed&after=") && next.hasSuffix("&page=2"))
            let second = try await get(next)
            #expect(second.contains("<span title=\"第 2 页，共"))
            let previous = try #require(link("previous-page", in: second))
            #expect(previous.contains("before=") && previous.hasSuffix("&page=1"))
            #expect(link("first-page", in: second) == "/console/cases?state=closed")
            let back = try await get(previous)
            let rows = { (html: String) in
                html.components(separatedBy: "<a href=\"/console/cases/").dropFirst().map { $0.prefix { $0.isNumber } }
            }
            #expect(Array(rows(back)) == Array(rows(first)), "previous from page 2 is page 1")
            #expect(link("previous-page", in: back) == nil)
            // A cursor this server did not give is refused.
            try await app.testing().test(.GET, "/console/cases?after=bm9wZQ", headers: ["Cookie": cookie]) { res in
                #expect(res.status == .badRequest)
            }
        }
    }
}
