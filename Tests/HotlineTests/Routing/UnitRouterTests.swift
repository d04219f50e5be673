import CityDomain
import Foundation
import Hotline
import Testing

/// Training, combination with the rules, abstention and the file of the unit-kind router (issue 10 §2).
struct UnitRouterTests {
    /// A tiny training set: education, transport, and `other` (policy questions).
    static let examples: [RouteExample] =
        ["学校乱收费", "孩子上学难，学位不足", "幼儿园招生不公平", "中学强制补课", "小学食堂饭菜差"].map {
            RouteExample(text: $0, unitKind: "education")
        }
        + ["公交车不按站停靠", "出租车拒载乘客", "公交线路被取消", "网约车乱收费", "客运班车超载"].map {
            RouteExample(text: $0, unitKind: "transport")
        }
        + ["社保补缴政策咨询", "公积金贷款条件", "养老保险待遇", "退休工资计算", "低保申请条件"].map {
            RouteExample(text: $0, unitKind: "other")
        }

    static let twoFolds: HotlineTrainingOptions = {
        var options = HotlineTrainingOptions()
        options.calibrationFolds = 2
        return options
    }()

    static let router = try! UnitRouter.train(
        examples, rules: RulesFixture.rules, table: RoutingFixture.table, threshold: 0.4,
        options: twoFolds)

    @Test func learnsTheLabelsOfItsTrainingTexts() {
        let route = Self.router.route("中学强制补课，学校乱收费", category: .none)
        #expect(route.label == "education")
        #expect(route.unitKind == .education)
        #expect(route.level == .district)
        if case .learned = route.evidence {} else { Issue.record("expected learned evidence, got \(route.evidence)") }
    }

    @Test func otherIsNeverDispatched() {
        let route = Self.router.route("社保补缴政策咨询，公积金贷款条件", category: .none)
        #expect(route.label == "other")
        #expect(route.abstains)
        #expect(route.unitKind == nil)
        #expect(route.preferredUnitKind == nil)
    }

    @Test func abstainsUnderTheThresholdAndDispatchesAtOrAboveIt() {
        let route = Self.router.route("学校乱收费", category: .none)
        #expect(!Self.router.with(threshold: route.confidence).route("学校乱收费", category: .none).abstains)
        #expect(Self.router.with(threshold: min(1, route.confidence + 0.01)).route("学校乱收费", category: .none).abstains)
        #expect(Self.router.with(threshold: 7).threshold == 1)
    }

    @Test func aConfidentRuleCategoryDecidesWithItsPriorAndSaysSo() {
        // No training text mentions garbage; the rules find sanitation.garbage, whose default label is the street.
        let text = "小区垃圾堆了一个星期没人清理，臭气熏天"
        let match = RulesFixture.rules.match(text, themeScores: [])
        #expect(match.best == "sanitation.garbage")
        let route = Self.router.route(text, category: match)
        #expect(route.label == "street_office")
        #expect(route.unitKind == .operationsCentre)
        #expect(route.level == .street)
        guard case .rule(let category, let triggers) = route.evidence else {
            Issue.record("expected rule evidence, got \(route.evidence)")
            return
        }
        #expect(category == "sanitation.garbage")
        #expect(triggers.contains("垃圾→sanitation.garbage"))
    }

    @Test func priorsCountTheTrainingLabelsOfEachCategoryWithTheTableDefault() {
        let examples = [
            RouteExample(text: "工地夜间施工噪音扰民", unitKind: "environment"),
            RouteExample(text: "工地半夜打桩太吵", unitKind: "environment"),
        ]
        let router = try! UnitRouter.train(
            examples + Self.examples, rules: RulesFixture.rules, table: RoutingFixture.table,
            options: Self.twoFolds)
        let prior = router.prior(of: "noise.construction") ?? [:]
        // Two environment labels and the table's default (chengguan) with a pseudo-count of 3.
        #expect(abs((prior["environment"] ?? 0) - 0.4) < 1e-9)
        #expect(abs((prior["chengguan"] ?? 0) - 0.6) < 1e-9)
        #expect(router.prior(of: "parking.fees") == ["market_regulation": 1])
        #expect(router.prior(of: "no.such.category") == nil)
    }

    @Test func saveAndLoadGiveTheSameRouter() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("router-\(UUID()).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try Self.router.save(to: url)
        let loaded = try UnitRouter.load(from: url, table: RoutingFixture.table)
        #expect(loaded.categoryPriors == Self.router.categoryPriors)
        #expect(loaded.threshold == Self.router.threshold)
        // Weights are stored as Int16 with one scale per column: probabilities agree to about 10⁻⁵.
        let (a, b) = (loaded.route("学校乱收费", category: .none), Self.router.route("学校乱收费", category: .none))
        #expect(a.label == b.label && abs(a.confidence - b.confidence) < 1e-4)
        try Data("{\"format\":\"x\"}".utf8).write(to: url)
        #expect(throws: (any Error).self) { try UnitRouter.load(from: url, table: RoutingFixture.table) }
    }

    @Test func theBundledRouterRoutesEverydayComplaints() {
        let cases: [(String, String)] = [
            ("孩子今年秋季入学，学区划分问题咨询", "education"),
            ("公交车线路调整后末班车太早", "transport"),
            ("小区垃圾堆放没人清运，臭气熏天", "street_office"),
            ("咨询新生儿医保参保手续", "health"),
        ]
        for (text, expected) in cases {
            let result = RoutingFixture.triage.triage(text: text)
            #expect(result.route?.label == expected, "\(text): \(String(describing: result.route))")
        }
    }

    @Test func theTriageResultCarriesTheSuggestionForTheDispatcher() {
        let result = RoutingFixture.triage.triage(text: "北蔡镇某小区楼上装修，每天早上七点就开始电钻声，吵得无法休息")
        #expect(result.decision == .dispatch(categoryCode: "noise.renovation"))
        #expect(result.noiseScenario == "renovation")
        let route = try! #require(result.route)
        #expect(RoutingTable.labels.contains(route.label))
        #expect(route.ranked.count <= 3)
        #expect(route.confidence > 0 && route.confidence <= 1)
    }

    @Test func routingTableMapsEveryLabelButOtherAndRejectsUnknownLabels() throws {
        for label in RoutingTable.labels where label != "other" {
            #expect(RoutingFixture.table.target(of: label) != nil, "\(label)")
        }
        #expect(
            RoutingFixture.table.target(of: "street_office")
                == RoutingTable.Target(unitKind: .operationsCentre, level: .street))
        #expect(RoutingFixture.table.target(of: "other") == nil)
        let bad = #"{"unit_kinds": {"fire": null}, "category_labels": {}, "noise_scenarios": {}}"#
        #expect(throws: RoutingTableError.unknownLabel("fire", field: "unit_kinds")) {
            try RoutingTable.decode(json: Data(bad.utf8))
        }
        for leaf in RulesFixture.taxonomy.all where leaf.dispatchable {
            #expect(RoutingFixture.table.categoryLabels[leaf.code] != nil, "\(leaf.code) has no default label")
        }
    }
}
