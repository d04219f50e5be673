import CityDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// The citizens' bundle pages in Chinese and English: the bundles with their computed savings, one form that starts
/// a bundle (the same checks as the API), and the page that tracks each leg; another citizen's bundle is 404.
@Suite struct BundlePagesTests {
    static let restaurantFiles = [
        "premises", "application_form", "layout", "safety_rules", "sign_design",
        "drainage_plan", "grease_trap",
    ]

    static func form(_ citizen: GovPages.Citizen, consent: Bool = true) -> (HTTPHeaders, ByteBuffer) {
        var fields = [
            "_csrf": citizen.csrf, "client_token": "page-b-1", "region_code": "310115", "f_shop_name": "小杨生煎",
            "f_premises_address": "浦东新区世纪大道100号", "f_operator_phone": "13900139000",
        ]
        if consent { fields["consent"] = "on" }
        let files = Dictionary(uniqueKeysWithValues: restaurantFiles.map { ("m_\($0)", ("\($0).pdf", GovPages.pdf)) })
        return GovPages.multipart(fields, files: files)
    }

    @Test func bundlesAreListedWithTheirSavingsInBothLanguages() async throws {
        try await TestApp.withApp { app, _ in
            try await app.testing().test(.GET, "/console/citizen/bundles") { res in
                #expect(res.status == .ok)
                let html = res.body.string
                #expect(html.contains("出生一件事") && html.contains("开办餐饮店一件事") && html.contains("身后一件事"))
                // The newborn's promised days: 34 item by item, 20 as a bundle, 14 saved.
                #expect(html.contains("<th>承诺时限（工作日）</th><td>34</td><td>20</td><td>14</td>"), "\(html)")
            }
            try await app.testing().test(.GET, "/console/citizen/bundles?lang=en") { res in
                #expect(res.body.string.contains("Opening a small restaurant"))
                #expect(res.body.string.contains("<th>Visits</th><td>3</td><td>1</td><td>2</td>"))
            }
            try await app.testing().test(.GET, "/console/citizen/bundles/newborn?lang=en") { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("Waits for Household registration of a newborn"), "\(res.body.string)")
                #expect(res.body.string.contains("id=\"sign-in-to-apply\""))
            }
            try await app.testing().test(.GET, "/console/citizen/bundles/wedding") { res in
                #expect(res.status == .notFound)
            }
        }
    }

    @Test func oneFormStartsTheBundleAndThePageTracksEachLeg() async throws {
        try await TestApp.withApp { app, _ in
            let citizen = try await GovPages.citizen(app)
            try await GovPages.send(app, .GET, "/console/citizen/bundles/restaurant", cookie: citizen.cookie) { res in
                #expect(res.body.string.contains("id=\"bundle-form\""))
                #expect(res.body.string.contains("data-field=\"shop_name\""))
                #expect(res.body.string.contains("data-material=\"grease_trap\""))
            }
            // Without consent: back to the form with the precise reason, nothing written.
            try await GovPages.send(
                app, .POST, "/console/citizen/bundles/restaurant/apply", cookie: citizen.cookie,
                multipart: Self.form(citizen, consent: false)
            ) { res in
                #expect(res.status == .seeOther)
                #expect(res.headers.first(name: .location) == "/console/citizen/bundles/restaurant")
                #expect(ConsoleTests.flash(res).contains("请勾选同意"), "\(ConsoleTests.flash(res))")
            }
            #expect(try await GovBundle.query(on: app.db).count() == 0)
            var location = ""
            try await GovPages.send(
                app, .POST, "/console/citizen/bundles/restaurant/apply", cookie: citizen.cookie,
                multipart: Self.form(citizen)
            ) { res in
                #expect(res.status == .seeOther, "\(res.body.string)")
                location = res.headers.first(name: .location) ?? ""
            }
            #expect(location.hasPrefix("/console/citizen/bundle-applications/"))
            try await GovPages.send(app, .GET, location, cookie: citizen.cookie) { res in
                #expect(res.status == .ok)
                let html = res.body.string
                #expect(html.contains("id=\"bundle-state\" data-state=\"in_progress\">办理中"), "\(html)")
                #expect(
                    html.contains(
                        "<li data-code=\"SH-SC-0001\"><b>个体工商户设立登记</b> <span class=\"state\" data-state=\"submitted\">")
                )
                #expect(html.contains("data-state=\"waiting\">等待前序事项"))
                #expect(html.contains("小杨生煎"))
            }
            try await GovPages.send(app, .GET, location + "?lang=en", cookie: citizen.cookie) { res in
                #expect(res.body.string.contains("Waits for Registration of an individual business"))
            }
            try await GovPages.send(app, .GET, "/console/citizen/bundles", cookie: citizen.cookie) { res in
                #expect(res.body.string.contains("id=\"my-bundles\""))
            }
            // A refused leg offers resubmission on the page; the form resubmits that leg alone.
            let id = try #require(UUID(uuidString: String(location.split(separator: "/").last ?? "")))
            let dto = try await BundleQueries.detail(
                try #require(try await GovBundle.find(id, on: app.db)), releaser: app.govServices.bundleReleaser,
                on: app.db)
            let desks = BundleFixtures.Desks(app)
            try await desks.approve(try BundleFixtures.leg(dto, "SH-SC-0001"))
            let released = try await BundleQueries.detail(
                try #require(try await GovBundle.find(id, on: app.db)), releaser: app.govServices.bundleReleaser,
                on: app.db)
            try await desks.act(try BundleFixtures.leg(released, "SH-SC-0003"), ["refuse"], reason: "缺少排烟设施")
            try await GovPages.send(app, .GET, location, cookie: citizen.cookie) { res in
                #expect(res.body.string.contains("data-resubmit=\"SH-SC-0003\""))
                #expect(res.body.string.contains("缺少排烟设施"))
                #expect(res.body.string.contains("id=\"bundle-state\" data-state=\"action_needed\">需要您处理"))
            }
            try await GovPages.send(
                app, .POST, location + "/legs/SH-SC-0003/resubmission", cookie: citizen.cookie,
                form: ["_csrf": citizen.csrf]
            ) { res in
                #expect(res.status == .seeOther)
                #expect(ConsoleTests.flash(res).contains("已重新提交"))
            }
            try await GovPages.send(
                app, .POST, location + "/legs/SH-SC-0003/resubmission", cookie: citizen.cookie,
                form: ["_csrf": citizen.csrf]
            ) { res in
                #expect(ConsoleTests.flash(res).contains("只有不予许可的事项可以重新提交"), "\(ConsoleTests.flash(res))")
            }
            let other = try await GovPages.citizen(
                app, number: GovFixtures.identityNumber(birth: "19851111", sequence: "456"), name: "李四")
            try await GovPages.send(app, .GET, location, cookie: other.cookie) { res in
                #expect(res.status == .notFound)
            }
        }
    }
}
