import CityDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// The whole story through the pages (issue #13 §5 and "Done when"): a citizen applies, the department's caseworker
/// asks for a completion (the clock stops), the citizen answers with a new upload, the caseworker approves, issues
/// and finishes, the citizen rates 不满意 once, and the rectification case reaches the department's desks.
@Suite struct GovCaseworkerPagesTests {
    @Test func theStoryFromApplicationToRectificationThroughThePages() async throws {
        try await TestApp.withApp { app, clock in
            let citizen = try await GovPages.citizen(app)
            let (location, _) = try await GovPages.apply(app, citizen)
            let id = String(location.split(separator: "/").last ?? "")
            let worker = try await ConsoleTests.signIn(
                app, username: "pd.police.1", unit: "310115.police", role: .caseworker)
            let workerCSRF = ConsoleTests.csrf(forCookie: worker)
            let review = "/console/gov/applications/\(id)"
            try await GovPages.send(app, .GET, "/console/gov", cookie: worker) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("data-id=\"\(id)\""))
                #expect(res.body.string.contains(IdentityNumber.mask(GovFixtures.identityNumber())))
                #expect(!res.body.string.contains(GovFixtures.identityNumber()))
            }
            var version = 0
            /// Takes `action` on the review page; returns the flash message.
            func act(_ action: String, reason: String? = nil) async throws -> String {
                var flash = ""
                var form = ["_csrf": workerCSRF, "action": action, "version": String(version)]
                form["reason"] = reason
                try await GovPages.send(app, .POST, review + "/actions", cookie: worker, form: form) { res in
                    #expect(res.status == .seeOther)
                    flash = ConsoleTests.flash(res)
                }
                version = try await GovApplication.query(on: app.db).first()?.version ?? 0
                return flash
            }
            try await GovPages.send(app, .GET, review, cookie: worker) { res in
                #expect(res.body.string.contains("data-action=\"accept\""))
                #expect(res.body.string.contains("data-action=\"request_completion\""))
                #expect(!res.body.string.contains("data-action=\"approve\""))
            }
            #expect(try await act("accept") == "ok:→ 已受理")
            // The citizen tracks it against both dates: 5 working days (2024-10-11, after the National Day
            // holidays) promised, 30 legal.
            try await GovPages.send(app, .GET, location, cookie: citizen.cookie) { res in
                #expect(res.body.string.contains("id=\"promised-due\">2024-10-11 00:00"))
                #expect(res.body.string.contains("id=\"legal-due\">2024-11-"))
            }
            clock.advance(by: 3600)
            // A completion request without a reason is refused with the reason why; with one, the clock stops.
            #expect(try await act("request_completion", reason: " ") == "error:请填写说明（申请人据此补正或知悉原因）")
            #expect(try await act("request_completion", reason: "申报表字迹不清，请重新上传") == "ok:→ 待补正")
            // A stale page (an older version) is refused, not applied twice.
            version -= 1
            #expect(try await act("review") == "error:办件已被他人更新，请刷新后重试")
            version += 1
            try await GovPages.send(app, .GET, location + "?lang=en", cookie: citizen.cookie) { res in
                #expect(res.body.string.contains("Clock stopped while waiting for completion"))
                #expect(res.body.string.contains("Complete the application"))
            }
            try await GovPages.send(app, .GET, location + "?lang=zh", cookie: citizen.cookie) { res in
                #expect(res.body.string.contains("id=\"clock-stopped\""))
                #expect(res.body.string.contains("申报表字迹不清，请重新上传"))
                #expect(res.body.string.contains("id=\"completion-form\""))
            }
            clock.advance(by: 2 * 3600)
            // An answer without a file is refused; with one, the application is accepted again.
            try await GovPages.send(
                app, .POST, location + "/completion", cookie: citizen.cookie,
                multipart: GovPages.multipart(["_csrf": citizen.csrf, "note": ""], files: [:])
            ) { res in #expect(ConsoleTests.flash(res) == "error:请至少上传一份补正材料") }
            try await GovPages.send(
                app, .POST, location + "/completion", cookie: citizen.cookie,
                multipart: GovPages.multipart(
                    ["_csrf": citizen.csrf, "note": "已重新上传"], files: ["m_declaration": ("v2.pdf", GovPages.pdf)])
            ) { res in #expect(ConsoleTests.flash(res) == "ok:提交补正 ✓") }
            try await GovPages.send(app, .GET, location, cookie: citizen.cookie) { res in
                #expect(res.body.string.contains("data-state=\"accepted\""))
                #expect(res.body.string.contains("id=\"clock-stops\""))  // the closed stop is listed
                #expect(!res.body.string.contains("id=\"completion-form\""))
                #expect(!res.body.string.contains("id=\"rating-form\""))
            }
            version = try await GovApplication.query(on: app.db).first()?.version ?? 0
            for (action, state) in [("review", "审核中"), ("approve", "准予许可"), ("issue", "已出证"), ("finish", "已办结")] {
                #expect(try await act(action) == "ok:→ " + state)
            }
            // Rates 不满意 once; the second try is refused in the page.
            let rate = ["_csrf": citizen.csrf, "level": "dissatisfied", "comment": "补正要求不清楚"]
            try await GovPages.send(app, .POST, location + "/rating", cookie: citizen.cookie, form: rate) { res in
                #expect(ConsoleTests.flash(res) == "ok:评价 ✓")
            }
            try await GovPages.send(app, .POST, location + "/rating", cookie: citizen.cookie, form: rate) { res in
                #expect(ConsoleTests.flash(res) == "error:本办件已评价过，每件只能评价一次")
            }
            let caseID = try #require(try await GovRating.query(on: app.db).first()?.caseID)
            try await GovPages.send(app, .GET, location, cookie: citizen.cookie) { res in
                #expect(res.body.string.contains("id=\"my-rating\">您的评价：<b>不满意</b>"))
                #expect(!res.body.string.contains("id=\"rating-form\""))
            }
            // Notices are shown once.
            try await GovPages.send(app, .GET, "/console/citizen/notifications", cookie: citizen.cookie) { res in
                #expect(res.body.string.contains("办件状态：待补正"))
                #expect(res.body.string.contains("您的差评已转为整改工单"))
            }
            try await GovPages.send(app, .GET, "/console/citizen/notifications", cookie: citizen.cookie) { res in
                #expect(res.body.string.contains("id=\"no-notices\""))
            }
            // The department sees the rectification case on its case desk, and in the statistics, not who rated.
            try await GovPages.send(app, .GET, "/console/cases", cookie: worker) { res in
                #expect(res.body.string.contains("好差评·不满意"))
                #expect(res.body.string.contains("/console/cases/\(caseID)"))
            }
            try await GovPages.send(app, .GET, "/console/gov/stats", cookie: worker) { res in
                #expect(res.body.string.contains("<td class=\"open-rectifications\">1</td>"))
                #expect(res.body.string.contains("100%"))
            }
            try await GovPages.send(app, .GET, review, cookie: worker) { res in
                #expect(res.body.string.contains("id=\"no-actions\""))
                #expect(!res.body.string.contains("dissatisfied"))
                #expect(!res.body.string.contains("不满意"))
            }
        }
    }

    @Test func anotherUnitsCaseworkerGetsNothing() async throws {
        try await TestApp.withApp { app, _ in
            let citizen = try await GovPages.citizen(app)
            let (location, _) = try await GovPages.apply(app, citizen)
            let id = String(location.split(separator: "/").last ?? "")
            let other = try await ConsoleTests.signIn(
                app, username: "mh.police.1", unit: "310112.police", role: .caseworker)
            try await GovPages.send(app, .GET, "/console/gov", cookie: other) { res in
                #expect(res.body.string.contains("id=\"gov-queue-empty\""))
            }
            try await GovPages.send(app, .GET, "/console/gov/applications/\(id)", cookie: other) { res in
                #expect(res.status == .notFound)
            }
            let material = try #require(
                try await GovMaterial.query(on: app.db).filter(\.$supply == "upload").first()?.id)
            try await GovPages.send(
                app, .GET, "/console/gov/applications/\(id)/materials/\(material)", cookie: other
            ) { res in #expect(res.status == .notFound) }
            // The handling unit's caseworker reads the file, as a download of its checked type.
            let own = try await ConsoleTests.signIn(
                app, username: "pd.police.9", unit: "310115.police", role: .caseworker)
            try await GovPages.send(app, .GET, "/console/gov/applications/\(id)", cookie: own) { res in
                #expect(res.body.string.contains("/console/gov/applications/\(id)/materials/\(material)"))
            }
            try await GovPages.send(
                app, .GET, "/console/gov/applications/\(id)/materials/\(material)", cookie: own
            ) { res in
                #expect(res.status == .ok)
                #expect(res.headers.contentType == .pdf)
                #expect(res.headers.first(name: .contentDisposition) == "attachment; filename=\"declaration-0.pdf\"")
                #expect(Data(res.body.readableBytesView) == GovPages.pdf)
            }
            try await GovPages.send(
                app, .POST, "/console/gov/applications/\(id)/actions", cookie: other,
                form: ["_csrf": ConsoleTests.csrf(forCookie: other), "action": "accept"]
            ) { res in #expect(res.status == .notFound) }
            // Without the console's CSRF token: refused before anything is read.
            try await GovPages.send(
                app, .POST, "/console/gov/applications/\(id)/actions", cookie: other, form: ["action": "accept"]
            ) { res in #expect(res.status == .forbidden) }
            #expect(try await GovApplication.query(on: app.db).first()?.state == .submitted)
        }
    }
}
