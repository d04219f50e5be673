import CityDomain
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// The search over HTTP: `GET /api/v1/search` and the console's `/console/search` with the header's box.
@Suite struct SearchPagesTests {
    @Test func apiAnswersHitsAndRefusesPrecisely() async throws {
        try await TestApp.withApp { app, _ in
            let pudong = try await SearchTests.register(app, "井盖缺失", address: "世纪大道100号")
            let huangpu = try await SearchTests.register(app, "井盖松动", at: SearchTests.huangpuPoint)
            let token = try await TestApp.login(
                app, username: "pd.op", unit: "310115.operations_centre", role: .districtOperator)
            try await app.testing().test(.GET, "/api/v1/search?q=%E4%BA%95%E7%9B%96", headers: .bearer(token)) { res in
                #expect(res.status == .ok)
                let body = try res.content.decode(SearchController.ResponseDTO.self)
                #expect(body.items.map(\.caseID) == [pudong] && body.total == 1 && body.totalExact)
                #expect(res.body.string.contains(#""case_region_code":"310115"#))
            }
            // Another district's case by its exact number: no case_id, as for a number no case has.
            try await app.testing().test(.GET, "/api/v1/search?q=\(huangpu)", headers: .bearer(token)) { res in
                #expect(res.status == .ok)
                let body = try res.content.decode(SearchController.ResponseDTO.self)
                #expect(body.caseID == nil)
            }
            try await app.testing().test(.GET, "/api/v1/search?q=\(pudong)", headers: .bearer(token)) { res in
                let body = try res.content.decode(SearchController.ResponseDTO.self)
                #expect(body.caseID == pudong)
            }
            for (query, status, reason) in [
                ("q=", HTTPStatus.badRequest, "Type something to search for"),
                ("q=a&channel=fax", .badRequest, "No channel is called 'fax'"),
                ("q=a&district=310101", .forbidden, "Region '310101' is outside your scope"),
                ("q=a&state=lost", .badRequest, "No case state is called 'lost'"),
            ] {
                try await app.testing().test(.GET, "/api/v1/search?\(query)", headers: .bearer(token)) { res in
                    #expect(res.status == status, "\(query)")
                    #expect(res.body.string.contains(reason), "\(query): \(res.body.string)")
                }
            }
            try await app.testing().test(.GET, "/api/v1/search?q=a") { res in #expect(res.status == .unauthorized) }
        }
    }

    @Test func consoleSearchOpensACaseListsHitsAndRefusesInTheOperatorsLanguage() async throws {
        try await TestApp.withApp { app, _ in
            let pudong = try await SearchTests.register(app, "井盖缺失", address: "世纪大道100号")
            let cookie = try await ConsoleTests.signIn(
                app, username: "pd.op", unit: "310115.operations_centre", role: .districtOperator)
            let headers: HTTPHeaders = ["Cookie": cookie]
            try await app.testing().test(.GET, "/console", headers: headers) { res in
                #expect(res.body.string.contains(#"action="/console/search" role="search""#))
            }
            try await app.testing().test(.GET, "/console/search?q=%23\(pudong)", headers: headers) { res in
                #expect(res.status == .seeOther)
                #expect(res.headers.first(name: .location) == "/console/cases/\(pudong)")
            }
            try await app.testing().test(.GET, "/console/search?q=%E4%BA%95%E7%9B%96", headers: headers) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains(#"data-case="\#(pudong)""#))
                #expect(res.body.string.contains("共 1 条"))
            }
            try await app.testing().test(.GET, "/console/search?q=&lang=zh", headers: headers) { res in
                #expect(res.status == .badRequest)
                #expect(res.body.string.contains("请输入要搜索的内容"))
            }
            try await app.testing().test(
                .GET, "/console/search?q=%E4%BA%95&channel=fax&lang=en", headers: headers
            ) { res in
                #expect(res.status == .badRequest)
                #expect(
                    res.body.string.contains("No channel is called &#39;fax&#39;")
                        || res.body.string.contains("No channel is called 'fax'"))
            }
        }
    }
}
