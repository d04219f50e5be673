import CityDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// Issue #13's story through the API: find an item, apply, be asked for a completion, answer, be approved, rate
/// badly, and the rectification case appears on the department's desk.
@Suite struct GovServiceStoryTests {
    struct NoticeList: Decodable { var notifications: [GovNoticeDTO] }

    struct Desk: Decodable {
        struct Entry: Decodable {
            struct App: Decodable {
                var id: UUID
                var state: String
                var promisedDueAt: Date?
                var legalDueAt: Date?
                var clockStopped: Bool
                var version: Int

                enum CodingKeys: String, CodingKey {
                    case id, state, version
                    case promisedDueAt = "promised_due_at"
                    case legalDueAt = "legal_due_at"
                    case clockStopped = "clock_stopped"
                }
            }
            var application: App
            var applicantIdentityNumber: String

            enum CodingKeys: String, CodingKey {
                case application
                case applicantIdentityNumber = "applicant_identity_number"
            }
        }
        var applications: [Entry]
    }

    @Test func findApplyCompleteApproveRateBadlyAndTheCaseReachesTheDesk() async throws {
        try await TestApp.withApp { app, clock in
            // Find: keyword search in Chinese, then the newborn life event.
            try await app.testing().test(.GET, "/api/v1/service-items?q=落户") { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("SH-GA-0001"))
            }
            try await app.testing().test(.GET, "/api/v1/service-items?life_event=newborn&department=medical_insurance")
            {
                res in
                struct List: Decodable { var count: Int }
                let decoded = try res.content.decode(List.self)
                #expect(decoded.count == 3)
            }
            var citizen = try await GovFixtures.citizen(app)
            var worker = try await TestApp.login(
                app, username: "pd.police.1", unit: "310115.police", role: .caseworker)
            /// Moves the clock and signs both in again (sessions last 12 hours).
            func move(to text: String) async throws {
                clock.set(Timestamps.parse(text)!)
                citizen = try await GovFixtures.signIn(app)
                worker = try await GovFixtures.operatorSignIn(app, username: "pd.police.1")
            }
            // Apply (Friday 2024-09-27 10:00); a retry with the same key returns the same application.
            var id = UUID()
            try await GovFixtures.send(
                app, .POST, "/api/v1/me/applications", token: citizen, body: GovFixtures.newbornApplication()
            ) { res in
                #expect(res.status == .created, "\(res.body.string)")
                id = try res.content.decode(Desk.Entry.App.self).id
            }
            try await GovFixtures.send(
                app, .POST, "/api/v1/me/applications", token: citizen, body: GovFixtures.newbornApplication()
            ) { res in
                #expect(res.status == .ok)
                let decoded = try res.content.decode(Desk.Entry.App.self)
                #expect(decoded.id == id)
            }
            // The desk of Pudong's police sees it, with the number masked.
            try await GovFixtures.send(app, .GET, "/api/v1/gov/desk", token: worker) { res in
                let desk = try res.content.decode(Desk.self)
                #expect(desk.applications.map(\.application.id) == [id])
                #expect(
                    desk.applications.first?.applicantIdentityNumber
                        == IdentityNumber.mask(GovFixtures.identityNumber()))
                #expect(!res.body.string.contains(GovFixtures.identityNumber()))
            }
            func act(_ action: String, reason: String? = nil) async throws -> Desk.Entry.App {
                var result: Desk.Entry.App?
                var body: [String: Any] = ["action": action]
                if let reason { body["reason"] = reason }
                try await GovFixtures.send(
                    app, .POST, "/api/v1/gov/applications/\(id)/actions", token: worker, body: body
                ) { res in
                    #expect(res.status == .ok, "\(action): \(res.body.string)")
                    result = try res.content.decode(Desk.Entry.self).application
                }
                return try #require(result)
            }
            let accepted = try await act("accept")
            // 5 working days from Fri 27 Sep: Sun 29 (调休), Mon 30, Tue 8, Wed 9, Thu 10 Oct → 11 Oct 00:00.
            #expect(accepted.promisedDueAt == CalendarDay("2024-10-11")!.startDate)
            // Monday 30 Sep 09:00: asked for a completion; the clock stops.
            try await move(to: "2024-09-30T09:00:00+08:00")
            let returned = try await act("request_completion", reason: "出生医学证明编号不清晰，请重新上传申报表")
            #expect(returned.state == "returned_for_completion" && returned.clockStopped)
            // The citizen sees the notice once.
            try await GovFixtures.send(app, .GET, "/api/v1/me/notifications", token: citizen) { res in
                #expect(res.body.string.contains("待补正"))
            }
            try await GovFixtures.send(app, .GET, "/api/v1/me/notifications", token: citizen) { res in
                struct List: Decodable { var notifications: [GovNoticeDTO] }
                let decoded = try res.content.decode(List.self)
                #expect(decoded.notifications.isEmpty)
            }
            // Answers on Tuesday 8 Oct 09:00: the stop (30 Sep 09:00 → 8 Oct 09:00) is added to the count.
            try await move(to: "2024-10-08T09:00:00+08:00")
            try await GovFixtures.send(
                app, .POST, "/api/v1/me/applications/\(id)/completion", token: citizen,
                body: [
                    "materials": [["code": "declaration", "file_name": "v2.pdf", "content_base64": GovFixtures.pdf]]
                ]
            ) { res in
                #expect(res.status == .ok, "\(res.body.string)")
                let answered = try res.content.decode(Desk.Entry.App.self)
                #expect(answered.state == "accepted" && !answered.clockStopped)
                // Counted before the stop: Sun 29 (whole), Mon 30 00:00–09:00; after: Tue 8 from 09:00… the due
                // instant moves by exactly the stopped span's working time.
                #expect(answered.promisedDueAt! > accepted.promisedDueAt!)
            }
            for action in ["review", "approve", "issue", "finish"] { _ = try await act(action) }
            // Rates badly: a rectification case for Pudong's police, due in 5 working days.
            var caseID = 0
            try await GovFixtures.send(
                app, .POST, "/api/v1/me/applications/\(id)/rating", token: citizen,
                body: ["level": "very_dissatisfied", "comment": "补正要求不清楚，来回跑"]
            ) { res in
                #expect(res.status == .created, "\(res.body.string)")
                struct Rating: Decodable {
                    var rectificationCaseID: Int?
                    enum CodingKeys: String, CodingKey { case rectificationCaseID = "rectification_case_id" }
                }
                caseID = try #require(try res.content.decode(Rating.self).rectificationCaseID)
            }
            try await GovFixtures.send(
                app, .POST, "/api/v1/me/applications/\(id)/rating", token: citizen, body: ["level": "satisfied"]
            ) { res in
                #expect(res.status == .conflict)
                #expect(res.body.string.contains("already been rated"))
            }
            try await GovFixtures.send(app, .GET, "/api/v1/cases?limit=50", token: worker) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("\"id\":\(caseID)"), "\(res.body.string.prefix(400))")
                #expect(res.body.string.contains("好差评"))
                // The department does not see who rated.
                #expect(!res.body.string.contains("张三"))
            }
            let stored = try #require(try await Case.find(caseID, on: app.db))
            #expect(stored.unitCode == "310115.police")
            #expect(stored.categoryCode == "govservice.rectification")
            // Statistics: one completed, one rated, one bad, one rectification open.
            try await GovFixtures.send(app, .GET, "/api/v1/gov/rating-stats", token: worker) { res in
                #expect(res.body.string.contains("\"open_rectifications\":1"))
                #expect(res.body.string.contains("\"rating_rate\":1"))
            }
            try await GovFixtures.send(app, .GET, "/api/v1/me/ratings", token: citizen) { res in
                #expect(res.body.string.contains("\"rectification_state\":\"dispatched\""))
            }
            // The department's view of the application does not show the rating.
            try await GovFixtures.send(app, .GET, "/api/v1/gov/applications/\(id)", token: worker) { res in
                #expect(res.status == .ok)
                #expect(!res.body.string.contains("very_dissatisfied"))
            }
            // The department rectifies through the case workflow; the district centre verifies and closes; the
            // citizen is called back once.
            let centre = try await TestApp.login(
                app, username: "pd.centre.1", unit: "310115.operations_centre", role: .districtOperator)
            for (token, action, note) in [
                (worker, "start", ""), (worker, "resolve", "已向申请人说明补正要求并改进告知书"), (centre, "verify", ""),
                (centre, "close", ""),
            ] {
                var body: [String: Any] = ["action": action]
                if !note.isEmpty { body["note"] = note }
                try await GovFixtures.send(
                    app, .POST, "/api/v1/cases/\(caseID)/actions", token: token, body: body
                ) { res in #expect(res.status == .ok, "\(action): \(res.body.string)") }
            }
            try await GovServicesLoop.runOnce(app, now: clock.now)
            try await GovServicesLoop.runOnce(app, now: clock.now)
            try await GovFixtures.send(app, .GET, "/api/v1/me/notifications", token: citizen) { res in
                let decoded = try res.content.decode(NoticeList.self)
                #expect(decoded.notifications.filter { $0.kind == "rectification_closed" }.count == 1)
            }
            #expect(try await GovNotification.query(on: app.db).filter(\.$deliveredAt == nil).count() == 0)
        }
    }

    /// Accepted on 6 Dec 2026, a 30-working-day legal limit runs into 2027, past the bundled calendar: the legal
    /// date is left open with the reason, the promised one (5 days) is still counted, and nothing fails.
    @Test func aLimitPastTheCalendarIsLeftOpenWithItsReason() async throws {
        try await TestApp.withApp(now: Timestamps.parse("2026-12-07T10:00:00+08:00")!) { app, _ in
            let citizen = try await GovFixtures.citizen(app)
            let worker = try await TestApp.login(app, username: "pd.police.3", unit: "310115.police", role: .caseworker)
            var id = UUID()
            try await GovFixtures.send(
                app, .POST, "/api/v1/me/applications", token: citizen, body: GovFixtures.newbornApplication()
            ) { res in id = try res.content.decode(Desk.Entry.App.self).id }
            try await GovFixtures.send(
                app, .POST, "/api/v1/gov/applications/\(id)/actions", token: worker, body: ["action": "accept"]
            ) { res in
                #expect(res.status == .ok, "\(res.body.string)")
                let decoded = try res.content.decode(Desk.Entry.self).application
                #expect(decoded.promisedDueAt == CalendarDay("2026-12-15")!.startDate)
                #expect(decoded.legalDueAt == nil)
                #expect(res.body.string.contains("2027"))
            }
        }
    }

    @Test func anOverdueApplicationEscalatesToTheDepartmentHead() async throws {
        try await TestApp.withApp { app, clock in
            let citizen = try await GovFixtures.citizen(app)
            let worker = try await TestApp.login(app, username: "pd.police.2", unit: "310115.police", role: .caseworker)
            _ = try await TestApp.login(app, username: "sh.police.1", unit: "310000.police", role: .caseworker)
            var id = UUID()
            try await GovFixtures.send(
                app, .POST, "/api/v1/me/applications", token: citizen, body: GovFixtures.newbornApplication()
            ) { res in id = try res.content.decode(Desk.Entry.App.self).id }
            try await GovFixtures.send(
                app, .POST, "/api/v1/gov/applications/\(id)/actions", token: worker, body: ["action": "accept"]
            ) { res in #expect(res.status == .ok) }
            clock.set(Timestamps.parse("2024-10-10T23:00:00+08:00")!)
            #expect(
                try await GovOverdue.sweep(
                    reference: app.reference, gate: app.writeGate, db: app.db, now: clock.now) == 0)
            clock.set(Timestamps.parse("2024-10-11T00:00:01+08:00")!)
            #expect(
                try await GovOverdue.sweep(
                    reference: app.reference, gate: app.writeGate, db: app.db, now: clock.now) == 1)
            let head = try await GovFixtures.operatorSignIn(app, username: "sh.police.1")
            try await GovFixtures.send(app, .GET, "/api/v1/gov/desk", token: head) { res in
                let decoded = try res.content.decode(Desk.self)
                #expect(decoded.applications.map(\.application.id) == [id])
            }
            // The head supervises; only the handling department acts.
            try await GovFixtures.send(
                app, .POST, "/api/v1/gov/applications/\(id)/actions", token: head, body: ["action": "review"]
            ) { res in #expect(res.status == .forbidden) }
        }
    }
}
