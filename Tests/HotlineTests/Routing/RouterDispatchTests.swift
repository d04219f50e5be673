import CityDomain
import Foundation
import Hotline
import Testing

/// Dispatch by the router alone when no rule dispatches, the decider on the result, the unit → label mapping that
/// route-eval scores with, and the evaluation's counts (issue 10 §2, §4).
@Suite("Router: dispatch beside the rules, and its scoring")
struct RouterDispatchTests {
    let triage = RoutingFixture.triage
    let school = "孩子今年秋季入学，学区划分问题咨询"

    @Test func aSureRouterDispatchesAMessageNoRuleRecognisesUnderTheGeneralRequest() throws {
        let result = triage.triage(text: school, address: "浦东新区北蔡镇")
        #expect(result.category.best == nil)
        let route = try #require(result.route)
        #expect(route.label == "education" && !route.abstains)
        #expect(result.decision == .dispatch(categoryCode: "general.request"))
        #expect(result.decidedBy == .router)
        #expect(
            result.preference
                == DispatchPreference(
                    kind: .education, source: "router", confidence: route.confidence, level: .district))
    }

    @Test func withoutAPlaceItIsQueuedUnlessThePlaceIsAssumed() {
        let queued = triage.triage(text: school)
        #expect(queued.decision == .person(reason: .noPlace))
        #expect(queued.decidedBy == nil)
        #expect(queued.route?.label == "education")
        let assumed = triage.triage(text: school, assumingPlaceFound: true)
        #expect(assumed.decision == .dispatch(categoryCode: "general.request"))
        #expect(assumed.place.regionCode == nil)
    }

    @Test func anAbstainingRouterLeavesTheMessageToAPerson() throws {
        let strict = HotlineTriage(
            model: triage.model, rules: triage.rules, places: triage.places,
            router: RoutingFixture.router.with(threshold: 1))
        let result = strict.triage(text: school, address: "浦东新区北蔡镇")
        #expect(try #require(result.route).abstains)
        #expect(result.decision == .person(reason: .noCategory))
        #expect(result.preference == nil)
    }

    @Test func aRouterThatNamesTheCategorysOwnLabelAgreesWithItAndOffersNoPreference() throws {
        // The router's vocabulary is coarser than the unit kinds (chengguan covers road maintenance; street_office
        // the street's own offices): naming the category's label changes nothing.
        let texts = [
            "北蔡镇莲溪路上井盖丢了，很危险", "北蔡镇莲溪路路灯不亮好几天了", "北蔡镇小区垃圾堆放没人清运，臭气熏天",
            "北蔡镇莲溪路路面坑洼破损严重", "北蔡镇某小区楼上装修，每天早上七点就开始电钻声",
        ]
        var agreeing = 0
        for text in texts {
            let result = triage.triage(text: text)
            guard case .dispatch(let code) = result.decision, let route = result.route, !route.abstains else {
                continue
            }
            if RoutingFixture.table.categoryLabels[code] == route.label {
                agreeing += 1
                #expect(result.preference == nil, "\(text)")
            } else {
                #expect(result.preference?.kind == route.unitKind, "\(text)")
            }
        }
        #expect(agreeing > 0)
    }

    @Test func aCategoryTheRulesFindIsDecidedByTheRules() {
        let result = triage.triage(text: "北蔡镇某小区楼上装修，每天早上七点就开始电钻声，吵得无法休息")
        #expect(result.decision == .dispatch(categoryCode: "noise.renovation"))
        #expect(result.decidedBy == .rules)
    }

    @Test func withoutARouterCategoryTheRouterNeverDispatchesAlone() throws {
        var json =
            try JSONSerialization.jsonObject(
                with: Data(
                    contentsOf: Corpus.repository.appendingPathComponent("Sources/Hotline/Resources/routing.json")))
            as! [String: Any]
        json["router_category"] = nil
        let table = try RoutingTable.decode(json: JSONSerialization.data(withJSONObject: json))
        #expect(table.routerCategory == nil)
        let router = UnitRouter(
            model: RoutingFixture.router.model, categoryPriors: RoutingFixture.router.categoryPriors, table: table)
        let engine = HotlineTriage(model: triage.model, rules: triage.rules, places: triage.places, router: router)
        #expect(engine.triage(text: school, address: "浦东新区北蔡镇").decision == .person(reason: .noCategory))
    }

    @Test(
        arguments: [
            (UnitKind.operationsCentre, RegionLevel.street, "street_office"),
            (.operationsCentre, .district, "other"),
            (.housing, .street, "street_office"),
            (.housing, .district, "housing"),
            (.police, .street, "police"),
            (.roadMaintenance, .district, "chengguan"),
            (.urbanManagement, .district, "chengguan"),
            (.ecoEnvironment, .district, "environment"),
            (.fireRescue, .district, "other"),
            (.education, .district, "education"),
        ])
    func theUnitACaseWentToIsScoredAsItsLabel(kind: UnitKind, level: RegionLevel, label: String) {
        #expect(RoutingFixture.table.label(ofUnit: kind, at: level) == label)
    }

    @Test func aRoutingTableNamingAnUnknownUnitKindIsRefused() {
        let bad = #"""
            {"unit_kinds": {}, "category_labels": {}, "noise_scenarios": {}, "unit_labels": {"fire_brigade": "other"}}
            """#
        #expect(throws: RoutingTableError.unknownUnitKind("fire_brigade", field: "unit_labels")) {
            try RoutingTable.decode(json: Data(bad.utf8))
        }
        let label = #"""
            {"unit_kinds": {}, "category_labels": {}, "noise_scenarios": {}, "street_unit_labels": {"police": "cops"}}
            """#
        #expect(throws: RoutingTableError.unknownLabel("cops", field: "street_unit_labels.police")) {
            try RoutingTable.decode(json: Data(label.utf8))
        }
    }

    @Test func theEvaluationScoresWhatTheResolverDispatches() {
        let examples = [
            RouteExample(text: school, unitKind: "education"),
            RouteExample(text: "北蔡镇某小区楼上装修，每天早上七点就开始电钻声", unitKind: "street_office"),
            RouteExample(text: "你好", unitKind: "other"),
        ]
        // The server's dispatch, reduced to its outcome: education for the general request, housing for the rules.
        let evaluation = RouteEvaluation.run(examples, triage: triage) { _, result in
            guard case .dispatch(let code) = result.decision else { return nil }
            return code == "general.request" ? "education" : "housing"
        }
        #expect(evaluation.dispatched == 2 && evaluation.queued == 1 && evaluation.right == 1)
        #expect(evaluation.rows.map(\.decidedBy) == [.router, .rules, nil])
        let report = evaluation.report()
        #expect(report.contains("dispatched_by_rules 1 (right 0)"))
        #expect(report.contains("dispatched_by_router 1 (right 1)"))
        #expect(report.hasSuffix("first_dispatch_accuracy 0.3333"))
    }
}
