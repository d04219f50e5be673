import CityDomain
import Fluent
import Testing
import Vapor
import VaporTesting

@testable import App

/// Bulk decisions on the triage desk (issue #12 §3): each report in its own transaction, conflicts per report, the
/// limit of 200, and two operators deciding the same reports at once.
@Suite struct TriageBulkTests {
    static func bulk(_ app: Application, token: String, _ body: [String: AnyEncodable]) async throws
        -> (HTTPStatus, TriageBulk.Response?, String)
    {
        var result: (HTTPStatus, TriageBulk.Response?, String) = (.internalServerError, nil, "")
        try await app.testing().test(
            .POST, "/api/v1/triage/bulk", headers: .bearer(token),
            beforeRequest: { req in try req.content.encode(body, as: .json) },
            afterResponse: { res in
                result = (
                    res.status, res.status == .ok ? try res.content.decode(TriageBulk.Response.self) : nil,
                    res.body.string
                )
            })
        return result
    }

    @Test func bulkDismissalAnswersPerReport() async throws {
        try await TestApp.withApp(routerThreshold: 1) { app, clock in
            let ids = try await TriageDeskTests.queue(app, clock: clock, Array(TriageDeskTests.vague.prefix(4)))
            let token = try await TestApp.login(
                app, username: "pd.op", unit: "310115.operations_centre", role: .districtOperator)
            let (status, answer, text) = try await Self.bulk(
                app, token: token,
                [
                    "report_ids": AnyEncodable([ids[0], ids[1], ids[0]]), "dismiss": AnyEncodable(true),
                    "note": AnyEncodable("重复来电"),
                ])
            #expect(status == .ok, "\(text)")
            #expect(answer?.decided == 2)
            #expect(answer?.results.map(\.reportID) == [ids[0], ids[1]])
            // One already decided, one unknown, one categorised now.
            let (_, second, _) = try await Self.bulk(
                app, token: token,
                [
                    "report_ids": AnyEncodable([ids[1], 999_999, ids[2]]),
                    "category_code": AnyEncodable("sanitation.garbage"),
                ])
            #expect(second?.decided == 1)
            #expect(second?.conflicts == [ids[1]])
            #expect(second?.results.map(\.outcome) == [.conflict, .notFound, .decided])
            #expect(second?.results.map(\.status) == [409, 404, 200])
            #expect(second?.results.last?.caseID != nil)
            #expect(try await Report.find(ids[0], on: app.db)?.triageState == .dismissed)
            #expect(try await Report.find(ids[2], on: app.db)?.triageState == .done)
            #expect(try await Report.find(ids[3], on: app.db)?.triageState == .queued)
        }
    }

    @Test func bulkRequestsAreCheckedBeforeAnythingIsDecided() async throws {
        try await TestApp.withApp(routerThreshold: 1) { app, clock in
            let ids = try await TriageDeskTests.queue(app, clock: clock, Array(TriageDeskTests.vague.prefix(1)))
            let token = try await TestApp.login(
                app, username: "pd.op", unit: "310115.operations_centre", role: .districtOperator)
            let tooMany = Array(1...201)
            let cases: [([String: AnyEncodable], String)] = [
                (
                    ["report_ids": AnyEncodable(tooMany), "dismiss": AnyEncodable(true), "note": AnyEncodable("x")],
                    "At most 200 reports per bulk decision; 201 were given"
                ),
                (
                    ["report_ids": AnyEncodable([Int]()), "dismiss": AnyEncodable(true), "note": AnyEncodable("x")],
                    "Select at least one report"
                ),
                (["report_ids": AnyEncodable(ids)], "Give either dismiss: true with a note, or category_code"),
                (
                    [
                        "report_ids": AnyEncodable(ids), "dismiss": AnyEncodable(true),
                        "category_code": AnyEncodable("sanitation.garbage"),
                    ], "Give either dismiss"
                ),
                (["report_ids": AnyEncodable(ids), "dismiss": AnyEncodable(true)], "needs a note"),
                (["report_ids": AnyEncodable(ids), "category_code": AnyEncodable("no.such")], "unknown category_code"),
            ]
            for (body, message) in cases {
                let (status, _, text) = try await Self.bulk(app, token: token, body)
                #expect(status == .badRequest, "\(text)")
                #expect(text.contains(message), "\(text)")
            }
            #expect(try await Report.find(ids[0], on: app.db)?.triageState == .queued)
            let (exactly, answer, _) = try await Self.bulk(
                app, token: token,
                [
                    "report_ids": AnyEncodable(Array(ids) + Array(900_000..<900_199)), "dismiss": AnyEncodable(true),
                    "note": AnyEncodable("测试"),
                ])
            #expect(exactly == .ok)
            #expect(answer?.decided == 1)
        }
    }

    @Test func twoOperatorsDecidingTheSameReportsAtOnceDecideEachOnce() async throws {
        try await TestApp.withApp(routerThreshold: 1) { app, clock in
            let ids = try await TriageDeskTests.queue(app, clock: clock, TriageDeskTests.vague)
            let one = try CaseQueriesTests.scope(
                app, .districtOperator, unit: "310115.operations_centre", username: "a")
            let two = try CaseQueriesTests.scope(
                app, .districtOperator, unit: "310115.operations_centre", username: "b")
            let context = TriageDeskTests.context(app)
            async let first = TriageBulk(reportIDs: ids, dismiss: true, note: "重复", categoryCode: nil)
                .apply(by: one, context: context)
            async let second = TriageBulk(
                reportIDs: ids.reversed(), dismiss: nil, note: nil, categoryCode: "sanitation.garbage"
            ).apply(by: two, context: context)
            let (a, b) = try await (first, second)
            #expect(a.decided + b.decided == ids.count)
            #expect(a.conflicts.count + b.conflicts.count == ids.count)
            let states = try await Report.query(on: app.db).filter(\.$id ~~ ids).all().map(\.triageState)
            #expect(states.allSatisfy { $0 == .dismissed || $0 == .done })
            #expect(try await Case.query(on: app.db).count() == b.decided)
        }
    }

    @Test func theConsoleBulkFormSaysHowManyAndWhichWereTaken() async throws {
        try await TestApp.withApp(routerThreshold: 1) { app, clock in
            let ids = try await TriageDeskTests.queue(app, clock: clock, Array(TriageDeskTests.vague.prefix(3)))
            _ = try await TriageDecision(categoryCode: nil, regionCode: nil, dismiss: true, note: "他人已处理")
                .apply(
                    toReport: ids[2], by: try CaseQueriesTests.city(app), context: TriageDeskTests.context(app))
            let cookie = try await ConsoleTests.signIn(
                app, username: "pd.op", unit: "310115.operations_centre", role: .districtOperator)
            try await app.testing().test(
                .POST, "/console/triage/bulk", headers: ["Cookie": cookie],
                beforeRequest: { req in
                    req.headers.contentType = .urlEncodedForm
                    let csrf =
                        ConsoleTests.csrf(forCookie: cookie).addingPercentEncoding(
                            withAllowedCharacters: .alphanumerics) ?? ""
                    req.body = ByteBuffer(
                        string: ids.map { "report_ids%5B%5D=\($0)" }.joined(separator: "&")
                            + "&action=dismiss&note=%E9%87%8D%E5%A4%8D&category=none&_csrf=\(csrf)")
                },
                afterResponse: { res in
                    #expect(res.status == .seeOther)
                    #expect(res.headers.first(name: .location) == "/console/triage?category=none")
                    #expect(ConsoleTests.flash(res) == "ok:已处理 2 条; 已被他人处理：#\(ids[2])")
                })
            try await app.testing().test(
                .POST, "/console/triage/bulk?lang=en", headers: ["Cookie": cookie],
                beforeRequest: { req in
                    req.headers.contentType = .urlEncodedForm
                    let csrf =
                        ConsoleTests.csrf(forCookie: cookie).addingPercentEncoding(
                            withAllowedCharacters: .alphanumerics) ?? ""
                    req.body = ByteBuffer(string: "action=dismiss&note=x&_csrf=\(csrf)")
                },
                afterResponse: { res in
                    #expect(ConsoleTests.flash(res) == "error:Select at least one report (report_ids)")
                })
        }
    }
}

/// Any encodable value, for JSON bodies of mixed types.
struct AnyEncodable: Encodable {
    private let encodeValue: (any Encoder) throws -> Void
    init(_ value: some Encodable) { encodeValue = value.encode }
    func encode(to encoder: any Encoder) throws { try encodeValue(encoder) }
}
