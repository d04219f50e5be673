import CityDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// A bad rating's rectification case goes through case intake's one write path (``CaseIntake/insert(_:intake:now:on:)``):
/// its report, dispatch, working-day deadline and audit trail have the shape of any intake's.
@Suite struct GovRectificationShapeTests {
    @Test func aRectificationCaseIsShapedLikeAnyIntake() async throws {
        try await TestApp.withApp { app, clock in
            let citizen = try await GovFixtures.citizen(app)
            let id = try await GovWriteTogetherTests.application(app, citizen: citizen, state: .done)
            let ratedAt = clock.now
            var caseID = 0
            try await GovFixtures.send(
                app, .POST, "/api/v1/me/applications/\(id)/rating", token: citizen,
                body: ["level": "dissatisfied", "comment": "等了太久"]
            ) { res in
                #expect(res.status == .created, "\(res.body.string)")
                struct Rating: Decodable {
                    var rectificationCaseID: Int?
                    enum CodingKeys: String, CodingKey { case rectificationCaseID = "rectification_case_id" }
                }
                caseID = try #require(try res.content.decode(Rating.self).rectificationCaseID)
            }
            let application = try #require(try await GovApplication.find(id, on: app.db))
            let stored = try #require(try await Case.find(caseID, on: app.db))
            // Dispatched straight to the department that handled the application.
            #expect(stored.state == .dispatched)
            #expect(stored.unitCode == application.unitCode)
            #expect(stored.firstUnitCode == application.unitCode)
            #expect(stored.categoryCode == "govservice.rectification")
            #expect(stored.reportCount == 1)
            // Due at 24:00 Asia/Shanghai of the 6th working day (5 to rectify, 1 to verify), as the calendar counts.
            let expectedDue = try app.reference.deadlines.due(
                start: ratedAt, limit: .workingDays(app.govServices.rectificationDays + 1), clock: .officeHours)
            #expect(stored.dueAt == expectedDue)
            var shanghai = Calendar(identifier: .gregorian)
            shanghai.timeZone = try #require(TimeZone(identifier: "Asia/Shanghai"))
            let due = try #require(stored.dueAt)
            #expect(shanghai.dateComponents([.hour, .minute], from: due) == DateComponents(hour: 0, minute: 0))

            // Its one report, as intake writes it, never naming the citizen.
            let reports = try await Report.query(on: app.db).filter(\.$caseID == caseID).all()
            #expect(reports.count == 1)
            let report = try #require(reports.first)
            #expect(report.source == .govRating)
            #expect(report.serviceCode == "govservice.rectification")
            #expect(report.regionCode == stored.regionCode)
            #expect(report.reporterName == nil && report.reporterPhone == nil)

            // The audit trail is intake's: accept (naming the report and channel), register, the dispatch chain;
            // the same steps a case prepared by CaseIntake from the same report would have.
            let events = try await CaseEvent.query(on: app.db).filter(\.$caseID == caseID).sort(\.$id).all()
            let reportID = try report.requireID()
            #expect(events.first?.action == .accept)
            #expect(events.first?.note == "report #\(reportID) via gov_rating")
            #expect(events.dropFirst().first?.action == .workflow(.register))
            #expect(events.last?.action == .workflow(.dispatch))
            #expect(events.last?.unitCode == application.unitCode)
            var category = RatingRules.rectificationCategory(
                days: app.govServices.rectificationDays,
                department: try #require(app.reference.units[application.unitCode]).kind)
            category.responsibleLevel = app.reference.hierarchy[stored.regionCode]?.level
            let twin = try CaseIntake.prepare(
                IntakeReport(
                    source: .govRating, categoryCode: category.code, description: stored.description,
                    actor: "govservice"),
                located: LocatedRegion(regionCode: stored.regionCode, method: .reporterChoice), category: category,
                reference: app.reference, now: ratedAt)
            let expected = twin.events(caseID: caseID, acceptNote: "report #\(reportID) via gov_rating")
            #expect(events.map(\.action) == expected.map(\.action))
            #expect(events.map(\.unitCode) == expected.map(\.unitCode))
            #expect(events.map(\.note) == expected.map(\.note))
            #expect(stored.dueAt == twin.record.dueAt)
            #expect(stored.stepDueAt == twin.record.stepDueAt)
        }
    }
}
