import CityDomain
import Fluent
import Hotline
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
            #expect(triage.categoryCode == "general.request")
            #expect(triage.categoryCandidates.isEmpty)
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
            // Calls under the catch-all never merge: the same words again open a case of their own.
            let (_, again, _) = try await HotlineAPITests.post(
                app, key: key,
                ["text": "孩子今年秋季入学，学区划分问题咨询", "address": "浦东新区北蔡镇", "channel": "phone"])
            #expect(again?.triage?.outcome.code == "dispatched")
            #expect(again?.caseID != nil && again?.caseID != caseID)
        }
    }

    @Test func aSureRouterChoosesTheKindOfANonUrgentCategoryButNotOfAnUrgentOne() async throws {
        try await TestApp.withApp { app, _ in
            let located = LocatedRegion(regionCode: "310115105", method: .addressText)
            let report = Report()
            report.description = "工厂机器噪音"
            let police = DispatchPreference(kind: .police, source: "router", confidence: 0.7, level: .street)
            let prepare = { (code: String) in
                try CaseIntake.prepare(
                    HotlineIntake.caseIntake(for: report, categoryCode: code, actor: .system, preference: police),
                    located: located, reference: app.reference, now: app.clock.now())
            }
            let industrial = try prepare("noise.industrial")
            #expect(industrial.decision.unitCode == "310115105.police")
            #expect(industrial.decision.basis.code == "learned-outside:router:police:noise.industrial")
            let hazard = try prepare("fire.building_hazard")  // fixed units: its listed unit
            #expect(hazard.decision.unitCode == "310115.fire_rescue")
            let urgent = try prepare("water.main_leak")
            #expect(urgent.decision.unitCode == "310115.water")
            #expect(urgent.decision.basis.code == "category:water.main_leak")
        }
    }

    @Test func aDatabaseFromBeforeTheGeneralRequestReceivesItByItsOwnMigration() async throws {
        try await TestApp.withApp { app, _ in
            // A database of the previous release: no general request, its log without the new migration, and a
            // category an operator edited.
            let sql = try #require(app.db as? any SQLDatabase)
            try await sql.delete(from: "categories").where("code", .in, ["general.request", "general"]).run()
            try await sql.delete(from: "_fluent_migrations")
                .where("name", .equal, "App.AddMissingReferenceRows#general-request").run()
            try await sql.update("categories").set("definition", to: "{\"edited\":true}")
                .where("code", .equal, "sanitation.garbage").run()
            try await app.autoMigrate()
            let codes = try await sql.select().column("code").from("categories")
                .where("code", .in, ["general.request", "general"]).all()
                .map { try $0.decode(column: "code", as: String.self) }
            #expect(Set(codes) == ["general", "general.request"])
            let garbage = try await sql.select().column("definition").from("categories")
                .where("code", .equal, "sanitation.garbage").first(decodingColumn: "definition", as: String.self)
            #expect(garbage == "{\"edited\":true}")
        }
    }

    @Test func routeEvalScoresTheUnitTheServerDispatchesTo() async throws {
        try await TestApp.withApp { app, _ in
            let key = try await TestApp.apiKey(app)
            let table = try RoutingTable.bundledDefault()
            let resolve = HotlineIntake.routeResolver(reference: app.reference, table: table)
            let texts = [
                "孩子今年秋季入学，学区划分问题咨询", "公交车线路调整后末班车太早", "工厂机器噪音很大晚上睡不着",
                "小区门口有人占道经营摆摊", "楼上装修每天早上七点就开始电钻声",
            ]
            var dispatched = 0
            for text in texts {
                let (_, dto, _) = try await HotlineAPITests.post(
                    app, key: key, ["text": text, "address": "浦东新区北蔡镇", "channel": "phone"])
                let evaluated = resolve(text, app.hotlineTriage.triage(text: text, assumingPlaceFound: true))
                guard let unitCode = dto?.triage?.outcome.caseLink?.unitCode else {
                    #expect(evaluated == nil, "\(text): queued by the server, dispatched by route-eval")
                    continue
                }
                dispatched += 1
                let unit = try #require(app.reference.units[unitCode])
                let level = try #require(app.reference.hierarchy[unit.regionCode]?.level)
                #expect(evaluated == table.label(ofUnit: unit.kind, at: level), "\(text) → \(unitCode)")
            }
            #expect(dispatched >= 3)
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
