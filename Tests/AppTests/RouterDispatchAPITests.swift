import CityDomain
import Fluent
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import App

/// The router beside the rules through the API (issue 10 §2): a call no rule recognises is dispatched by a sure
/// router under the general request, to the unit of its kind, with the evidence on the report and the case; a rule
/// category takes a sure router's kind even when the category does not list it (not urgent), and an urgent one
/// does not.
@Suite struct RouterDispatchAPITests {
    @Test func aCallNoRuleRecognisesGoesWhereTheRouterIsSure() async throws {
        try await TestApp.withApp { app, _ in
            let key = try await TestApp.apiKey(app)
            let (status, dto, body) = try await HotlineAPITests.post(
                app, key: key,
                ["text": "孩子今年秋季入学，学区划分问题咨询", "address": "浦东新区北蔡镇", "channel": "phone"])
            #expect(status == .created, "\(body)")
            let triage = try #require(dto?.triage)
            #expect(triage.outcome.code == "dispatched")
            #expect(triage.decidedBy == .router)
            #expect(triage.categoryCode == nil)
            let route = try #require(triage.route)
            #expect(route.label == "education" && route.unitKind == "education" && !route.abstains)
            #expect(route.evidence.hasPrefix("learned "))
            #expect(body.contains(#""decided_by":"router""#))
            let caseID = try #require(dto?.caseID)
            let city = try await TestApp.login(
                app, username: "city.op", unit: "310000.operations_centre", role: .cityOperator)
            let detail = try await TerritorialDispatchAPITests.detail(app, token: city, caseID)
            #expect(detail.summary.categoryCode == "general.request")
            #expect(detail.summary.unitCode == "310115.education")
            #expect(detail.dispatchBasis == "learned:router:education:general.request#education")
            #expect(detail.dispatchChain.map(\.unitCode).last == "310115.education")
        }
    }

    @Test func aSureRouterChoosesTheKindOfANonUrgentCategoryButNotOfAnUrgentOne() async throws {
        try await TestApp.withApp { app, _ in
            let located = LocatedRegion(regionCode: "310115105", method: .addressText)
            let report = Report()
            report.description = "工地施工噪音"
            let police = DispatchPreference(kind: .police, source: "router", confidence: 0.7, level: .street)
            let prepare = { (code: String) in
                try CaseIntake.prepare(
                    HotlineIntake.caseIntake(for: report, categoryCode: code, actor: .system, preference: police),
                    located: located, reference: app.reference, now: app.clock.now())
            }
            let construction = try prepare("noise.construction")
            #expect(construction.decision.unitCode == "310115105.police")
            #expect(construction.decision.basis.code == "learned-outside:router:police:noise.construction")
            let urgent = try prepare("water.main_leak")
            #expect(urgent.decision.unitCode == "310115.water")
            #expect(urgent.decision.basis.code == "category:water.main_leak")
        }
    }

    @Test func aDatabaseFromBeforeTheGeneralRequestReceivesItByItsOwnMigration() async throws {
        try await TestApp.withApp { app, _ in
            // A second instance under a new name: a database whose log already holds the first one still runs it.
            let sql = try #require(app.db as? any SQLDatabase)
            let names = try await sql.select().column("name").from("_fluent_migrations").all()
                .map { try $0.decode(column: "name", as: String.self) }
            #expect(
                names.filter { $0.hasPrefix("App.AddMissingReferenceRows") } == [
                    "App.AddMissingReferenceRows", "App.AddMissingReferenceRows#general-request",
                ])
            let codes = try await sql.select().column("code").from("categories")
                .where("code", .in, ["general.request", "general"]).all()
            #expect(codes.count == 2)
        }
    }
}

/// A city sets the router's threshold (`CITYNET_ROUTER_THRESHOLD`): at 1 the router decides nothing.
@Suite struct RouterThresholdTests {
    @Test func atThresholdOneTheRouterNeverDispatchesAlone() async throws {
        try await TestApp.withApp(routerThreshold: 1) { app, _ in
            #expect(app.hotlineTriage.router?.threshold == 1)
            let key = try await TestApp.apiKey(app)
            let (_, dto, _) = try await HotlineAPITests.post(
                app, key: key,
                ["text": "孩子今年秋季入学，学区划分问题咨询", "address": "浦东新区北蔡镇", "channel": "phone"])
            #expect(dto?.triageState == .queued)
            #expect(dto?.triage?.route?.abstains == true)
            #expect(dto?.triage?.reason == "no fine category recognised in the text")
        }
    }
}
