import CityDomain
import Fluent
import Testing
import Vapor
import VaporTesting

@testable import App

/// 转办 from the triage desk (issue #12 §3): the case goes to the unit named by the reassignment rule, the forwarding
/// is in the audit trail and on the case page in both languages, and every refusal is precise.
@Suite struct TriageForwardTests {
    static func forward(_ app: Application, token: String, report: Int, _ body: [String: String]) async throws
        -> (HTTPStatus, String)
    {
        var result: (HTTPStatus, String) = (.internalServerError, "")
        try await app.testing().test(
            .POST, "/api/v1/triage/\(report)/forward", headers: .bearer(token),
            beforeRequest: { req in try req.content.encode(body, as: .json) },
            afterResponse: { res in result = (res.status, res.body.string) })
        return result
    }

    @Test func aCentreForwardsAReportToADepartmentWithAReason() async throws {
        try await TestApp.withApp(routerThreshold: 1) { app, clock in
            let ids = try await TriageDeskTests.queue(app, clock: clock, Array(TriageDeskTests.vague.prefix(1)))
            let token = try await TestApp.login(
                app, username: "pd.op", unit: "310115.operations_centre", role: .districtOperator)
            let (status, body) = try await Self.forward(
                app, token: token, report: ids[0],
                ["unit_code": "310115.transport", "reason": "涉及公交站台，属交通部门职责", "category_code": "sanitation.garbage"])
            #expect(status == .ok, "\(body)")
            let report = try #require(try await Report.find(ids[0], on: app.db))
            #expect(report.triageState == .done)
            let caseID = try #require(report.caseID)
            let record = try #require(try await Case.find(caseID, on: app.db))
            #expect(record.unitCode == "310115.transport")
            #expect(record.firstUnitCode == "310115.transport")
            #expect(record.state == .dispatched)
            let events = try await CaseEvent.query(on: app.db).filter(\.$caseID == caseID).sort(\.$id).all()
            let transfer = try #require(events.last)
            #expect(transfer.action == .transfer)
            #expect(transfer.actor == "pd.op")
            #expect(transfer.unitCode == "310115.transport")
            #expect(transfer.note == "涉及公交站台，属交通部门职责")
            #expect(HotlineTriageRecord.read(report.triage)?.outcome.caseLink?.unitCode == "310115.transport")
            #expect(try await TrainingExample.query(on: app.db).count() == 1)
            // Decided: a second forwarding is a conflict.
            let (again, _) = try await Self.forward(
                app, token: token, report: ids[0], ["unit_code": "310115.transport", "reason": "再转"])
            #expect(again == .conflict)
            // On the case page, in both languages.
            let cookie = try await ConsoleTests.signIn(
                app, username: "pd.op2", unit: "310115.operations_centre", role: .districtOperator)
            try await app.testing().test(.GET, "/console/cases/\(caseID)?lang=zh", headers: ["Cookie": cookie]) { res in
                #expect(res.body.string.contains("转办"))
                #expect(res.body.string.contains("涉及公交站台，属交通部门职责"))
            }
            try await app.testing().test(.GET, "/console/cases/\(caseID)?lang=en", headers: ["Cookie": cookie]) { res in
                #expect(res.body.string.contains("Forwarded"))
            }
        }
    }

    @Test func forwardingRefusesWithoutReasonUnitOrRight() async throws {
        try await TestApp.withApp(routerThreshold: 1) { app, clock in
            let ids = try await TriageDeskTests.queue(app, clock: clock, Array(TriageDeskTests.vague.prefix(1)))
            let id = ids[0]
            let district = try await TestApp.login(
                app, username: "pd.op", unit: "310115.operations_centre", role: .districtOperator)
            let city = try await TestApp.login(
                app, username: "city.op", unit: "310000.operations_centre", role: .cityOperator)
            let worker = try await TestApp.login(
                app, username: "pd.cw", unit: "310115.police", role: .caseworker)
            let unit = "310115.transport"
            let cases: [(String, [String: String], HTTPStatus, String)] = [
                (
                    district, ["unit_code": unit, "reason": "  ", "category_code": "sanitation.garbage"], .badRequest,
                    "Forwarding needs a reason"
                ),
                (
                    district, ["unit_code": unit, "category_code": "sanitation.garbage"], .badRequest,
                    "Forwarding needs a reason"
                ),
                (
                    district, ["unit_code": unit, "reason": String(repeating: "长", count: 501)], .badRequest,
                    "at most 500 characters; this one has 501"
                ),
                (district, ["reason": "职责不符"], .badRequest, "Choose the unit to forward to"),
                (
                    district, ["unit_code": "310115.no_such_unit", "reason": "职责不符"], .badRequest,
                    "No unit has the code or name '310115.no_such_unit'"
                ),
                (
                    district, ["unit_code": "310101.transport", "reason": "职责不符"], .forbidden,
                    "Unit '310101.transport' is outside your area (310115)"
                ),
                (
                    city, ["unit_code": "310101.transport", "reason": "职责不符", "category_code": "sanitation.garbage"],
                    .badRequest, "does not serve region"
                ),
                (worker, ["unit_code": unit, "reason": "职责不符"], .forbidden, "may not triage"),
                (
                    district, ["unit_code": unit, "reason": "职责不符", "category_code": "no.such"], .badRequest,
                    "unknown category_code 'no.such'"
                ),
            ]
            for (token, body, status, message) in cases {
                let (got, text) = try await Self.forward(app, token: token, report: id, body)
                #expect(got == status, "\(body): \(text)")
                #expect(text.contains(message), "\(body): \(text)")
            }
            #expect(try await Report.find(id, on: app.db)?.triageState == .queued)
            #expect(try await Case.query(on: app.db).count() == 0)
        }
    }

    @Test func theConsoleFormShowsRefusalsInThePagesLanguage() async throws {
        try await TestApp.withApp(routerThreshold: 1) { app, clock in
            let ids = try await TriageDeskTests.queue(app, clock: clock, Array(TriageDeskTests.vague.prefix(2)))
            let cookie = try await ConsoleTests.signIn(
                app, username: "pd.op", unit: "310115.operations_centre", role: .districtOperator)
            for (lang, expected) in [("zh", "转办须填写理由"), ("en", "Forwarding needs a reason")] {
                try await app.testing().test(
                    .POST, "/console/triage/\(ids[0])/forward?lang=\(lang)", headers: ["Cookie": cookie],
                    beforeRequest: { req in
                        try req.content.encode(
                            [
                                "unit_code": "310115.transport", "reason": "", "next": "\(ids[1])",
                                "_csrf": ConsoleTests.csrf(forCookie: cookie),
                            ], as: .urlEncodedForm)
                    },
                    afterResponse: { res in
                        #expect(res.headers.first(name: .location) == "/console/triage#report-\(ids[0])")
                        #expect(ConsoleTests.flash(res) == "error:#\(ids[0]): \(expected)")
                    })
            }
            try await app.testing().test(
                .POST, "/console/triage/\(ids[0])/forward", headers: ["Cookie": cookie],
                beforeRequest: { req in
                    try req.content.encode(
                        [
                            "unit_code": "浦东新区交通委员会", "reason": "公交站台", "category_code": "sanitation.garbage",
                            "next": "\(ids[1])", "_csrf": ConsoleTests.csrf(forCookie: cookie),
                        ], as: .urlEncodedForm)
                },
                afterResponse: { res in
                    #expect(res.headers.first(name: .location) == "/console/triage#report-\(ids[1])")
                    #expect(ConsoleTests.flash(res).hasPrefix("ok:#\(ids[0]) 已转办至"), "\(ConsoleTests.flash(res))")
                })
        }
    }
}
