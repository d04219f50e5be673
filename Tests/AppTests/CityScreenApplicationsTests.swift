import CityDomain
import Fluent
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import App

/// Overdue government-service applications on the city screen (issue #13 §3): counted per district and handling
/// department, within the operator's scope, in the counts, the league, the page and the summary.
@Suite struct CityScreenApplicationsTests {
    struct Created: Decodable { var id: UUID }

    /// Submits an application for `item` in `region` and sets its state and promised date directly; returns its id.
    static func application(
        _ app: Application, citizen: String, token: String, item: String, region: String, state: ApplicationState,
        promisedDue: Date
    ) async throws -> UUID {
        var body = GovFixtures.newbornApplication(token: token)
        body["item_code"] = item
        body["region_code"] = region
        var id = UUID()
        try await GovFixtures.send(app, .POST, "/api/v1/me/applications", token: citizen, body: body) { res in
            #expect(res.status == .created, "\(res.body.string)")
            id = try res.content.decode(Created.self).id
        }
        let sql = try #require(app.db as? any SQLDatabase)
        try await sql.raw(
            """
            UPDATE gov_applications SET state = \(bind: state.rawValue),
              promised_due_at = \(bind: Timestamps.stored(promisedDue)) WHERE id = \(bind: id)
            """
        ).run()
        return id
    }

    @Test func overdueApplicationsShowPerDistrictAndDepartmentWithinScope() async throws {
        try await TestApp.withApp { app, clock in
            let citizen = try await GovFixtures.citizen(app)
            let past = clock.now.addingTimeInterval(-86_400)
            let future = clock.now.addingTimeInterval(86_400)
            // 浦东: two overdue (accepted, under review), one not yet due, one overdue but waiting for the citizen's
            // completion (its clock stands still), one done. 黄浦: one overdue.
            for (index, state, due) in [
                (0, ApplicationState.accepted, past), (1, .underReview, past), (2, .accepted, future),
                (3, .returnedForCompletion, past), (4, .done, past),
            ] {
                _ = try await Self.application(
                    app, citizen: citizen, token: "pd-\(index)", item: "SH-GA-0001", region: "310115", state: state,
                    promisedDue: due)
            }
            _ = try await Self.application(
                app, citizen: citizen, token: "hp-0", item: "SH-GA-0001", region: "310101", state: .accepted,
                promisedDue: past)
            let unit = try #require(
                try await GovApplication.query(on: app.db).filter(\.$regionCode == "310115").first()?.unitCode)

            let city = try CaseQueriesTests.city(app)
            let whole = try await CityScreenQueries.counts(
                scope: city, district: nil, measure: .open, reference: app.reference, on: app.db, now: clock.now)
            #expect(whole.overdueApplicationsTotal == 3)
            #expect(whole.overdueApplications[unit] == 2)
            #expect(whole.districts.first { $0.code == "310115" }?.overdueApplications == 2)
            #expect(whole.districts.first { $0.code == "310101" }?.overdueApplications == 1)

            let pudong = try await CityScreenQueries.counts(
                scope: city, district: "310115", measure: .open, reference: app.reference, on: app.db, now: clock.now)
            #expect(pudong.overdueApplications == [unit: 2])
            #expect(pudong.districts.first { $0.code == "310101" }?.overdueApplications == 1)  // the league compares

            let pudongCentre = try CaseQueriesTests.scope(app, .districtOperator, unit: "310115.operations_centre")
            let district = try await CityScreenQueries.counts(
                scope: pudongCentre, district: nil, measure: .open, reference: app.reference, on: app.db,
                now: clock.now)
            #expect(district.overdueApplicationsTotal == 2)
            #expect(district.districts.map(\.code) == ["310115"])
            let otherUnit = try CaseQueriesTests.scope(app, .caseworker, unit: "310115.water")
            let own = try await CityScreenQueries.counts(
                scope: otherUnit, district: nil, measure: .open, reference: app.reference, on: app.db, now: clock.now)
            #expect(own.overdueApplicationsTotal == 0)

            let cookie = try await ConsoleTests.signIn(
                app, username: "city.op", unit: "310000.operations_centre", role: .cityOperator)
            let name = try #require(app.reference.units[unit]?.nameZh)
            try await app.testing().test(.GET, "/console", headers: ["Cookie": cookie]) { res in
                let html = res.body.string
                #expect(html.contains(#"<span id="overdue-applications">3</span>"#))
                #expect(html.contains(#"<li data-unit="\#(unit)"><span>\#(name)</span><b>2</b></li>"#))
                #expect(html.contains(#"<td class="overdue-applications">2</td>"#))
            }
            try await app.testing().test(.GET, "/console/summary", headers: ["Cookie": cookie]) { res in
                let summary = try res.content.decode(CityScreenController.Summary.self)
                #expect(summary.overdueApplications == 3)
                #expect(summary.districts["310115"]?["overdue_applications"] == 2)
            }
        }
    }

    /// The role league's overdue applications are read within the operator's subtree in SQL: the rows are those
    /// the city-wide read filtered in memory gave, and another district's are never read.
    @Test func theRoleLeagueReadsOnlyItsOwnRegionsApplications() async throws {
        try await TestApp.withApp { app, clock in
            let citizen = try await GovFixtures.citizen(app)
            let past = clock.now.addingTimeInterval(-86_400)
            for (index, region) in ["310101", "310101", "310115"].enumerated() {
                _ = try await Self.application(
                    app, citizen: citizen, token: "late-\(index)", item: "SH-GA-0001", region: region,
                    state: .accepted, promisedDue: past)
            }
            let codes = app.reference.hierarchy.subtree(of: "310101")
            let everywhere = try await CityScreenQueries.overdueApplications(unit: nil, on: app.db, now: clock.now)
            #expect(Set(everywhere.map(\.region)) == ["310101", "310115"])
            let within = try await CityScreenQueries.overdueApplications(
                regions: codes, unit: nil, on: app.db, now: clock.now)
            #expect(within == everywhere.filter { Set(codes).contains($0.region) })
            #expect(within.map(\.count).reduce(0, +) == 2)
            #expect(!within.contains { $0.region == "310115" })  // 浦东's row is not read
            let scope = try CaseQueriesTests.scope(app, .districtOperator, unit: "310101.operations_centre")
            let league = try #require(
                try await RoleLeagueQueries.league(scope: scope, reference: app.reference, on: app.db, now: clock.now))
            // Applications are the district's (the applicant's district): its own row of the league holds them.
            #expect(league.rows.map(\.overdueApplications).reduce(0, +) == 2)
            #expect(league.rows.first { $0.code == "310101" }?.overdueApplications == 2)
        }
    }
}
