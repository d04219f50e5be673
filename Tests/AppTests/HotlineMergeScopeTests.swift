import CityDomain
import Fluent
import Testing
import Vapor
import VaporTesting

@testable import App

/// A call that merges into an open case tells the caller only what they may see: an operator whose scope does not
/// cover the case learns that it merged, not which case, unit or how similar; the 12345 system's key and operators
/// in scope get the whole answer.
@Suite struct HotlineMergeScopeTests {
    /// A repeat of ``HotlineAPITests/renovation`` (北蔡镇, 浦东新区): merges into the case that call opened.
    static let repeatCall = "北蔡镇莲溪路小区有人装修，电钻声音太吵了，早上七点就开始"

    /// Posts a call as an operator; returns the status, the report and the raw JSON body.
    static func post(_ app: Application, token: String, text: String) async throws
        -> (HTTPStatus, HotlineReportDTO?, String)
    {
        var result: (HTTPStatus, HotlineReportDTO?, String) = (.internalServerError, nil, "")
        try await app.testing().test(
            .POST, "/api/v1/hotline/reports", headers: .bearer(token),
            beforeRequest: { req in try req.content.encode(["text": text, "channel": "phone"], as: .json) },
            afterResponse: { res in
                result = (res.status, try? res.content.decode(HotlineReportDTO.self), res.body.string)
            })
        return result
    }

    @Test func aMergeOutsideTheCallersScopeSaysOnlyMerged() async throws {
        try await TestApp.withApp { app, clock in
            let key = try await TestApp.apiKey(app)
            let (_, first, _) = try await HotlineAPITests.post(
                app, key: key, ["text": HotlineAPITests.renovation, "channel": "phone"])
            let caseID = try #require(first?.caseID)
            let unit = try #require(first?.triage?.outcome.caseLink?.unitCode)
            clock.advance(by: 600)
            // A 黄浦 centre operator takes a call about the same incident in 浦东.
            let huangpu = try await TestApp.login(
                app, username: "hp.op", unit: "310101.operations_centre", role: .districtOperator)
            let (status, dto, body) = try await Self.post(app, token: huangpu, text: Self.repeatCall)
            #expect(status == .created)
            // The answer is not a record CityNet would store (a merge always names its case), so it is read as JSON.
            #expect(dto == nil)
            let answer = try #require(JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
            let triage = try #require(answer["triage"] as? [String: Any])
            #expect(answer["triage_state"] as? String == "done")
            #expect(triage["outcome"] as? String == "merged")
            #expect(answer["case_id"] == nil && triage["case_id"] == nil)
            #expect(triage["unit_code"] == nil && triage["unit_name"] == nil && triage["merge_reasons"] == nil)
            #expect(!body.contains("case_id") && !body.contains(unit) && !body.contains("similar"))
            let reportID = try #require(answer["id"] as? Int)
            // It did merge, and the case is indeed a 404 for them.
            #expect(try await Case.find(caseID, on: app.db)?.reportCount == 2)
            try await app.testing().test(.GET, "/api/v1/cases/\(caseID)", headers: .bearer(huangpu)) { res in
                #expect(res.status == .notFound)
            }
            // Reading the report back (they took the call in) tells no more.
            try await app.testing().test(.GET, "/api/v1/hotline/reports/\(reportID)", headers: .bearer(huangpu)) {
                res in
                #expect(res.status == .ok)
                #expect(!res.body.string.contains("case_id") && !res.body.string.contains(unit))
                #expect(res.body.string.contains("\"outcome\":\"merged\""))
            }
        }
    }

    @Test func aMergeInsideTheCallersScopeAndTheHotlineKeyGetTheWholeAnswer() async throws {
        try await TestApp.withApp { app, clock in
            let key = try await TestApp.apiKey(app)
            let (_, first, _) = try await HotlineAPITests.post(
                app, key: key, ["text": HotlineAPITests.renovation, "channel": "phone"])
            let caseID = try #require(first?.caseID)
            clock.advance(by: 600)
            let pudong = try await TestApp.login(
                app, username: "pd.op", unit: "310115.operations_centre", role: .districtOperator)
            let (status, dto, _) = try await Self.post(app, token: pudong, text: Self.repeatCall)
            #expect(status == .created)
            let answer = try #require(dto)
            #expect(answer.triage?.outcome.code == "merged")
            #expect(answer.caseID == caseID && answer.triage?.outcome.caseLink?.caseID == caseID)
            #expect(answer.triage?.outcome.caseLink?.unitCode == first?.triage?.outcome.caseLink?.unitCode)
            #expect(answer.triage?.outcome.mergeReasons?.isEmpty == false)
            // The 12345 system's key (the city's hotline) sees every merge whole.
            let (_, third, _) = try await HotlineAPITests.post(
                app, key: key, ["text": Self.repeatCall + "，还是没人管", "channel": "app"])
            #expect(third?.triage?.outcome.code == "merged")
            #expect(third?.caseID == caseID)
            #expect(third?.triage?.outcome.caseLink?.unitCode == first?.triage?.outcome.caseLink?.unitCode)
            #expect(third?.triage?.outcome.mergeReasons?.isEmpty == false)
        }
    }
}
