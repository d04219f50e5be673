import Foundation
import Testing

@testable import CityDomain

/// Territorial dispatch (属地管理) and the automatic chain city centre → district centre → street/town centre →
/// the acting unit (issue #10 §1).
@Suite("Dispatch: responsibility rules and the territorial chain")
struct TerritorialDispatchTests {
    let shanghai: RegionHierarchy
    let taxonomy: CategoryTaxonomy
    let units: [Unit]
    let dispatcher: Dispatcher

    init() throws {
        shanghai = try RegionHierarchy.shanghai()
        taxonomy = try CategoryTaxonomy.bundledDefault()
        units = UnitCatalogue.standard(for: shanghai)
        dispatcher = Dispatcher(hierarchy: shanghai, units: units)
    }

    private func category(_ code: String) throws -> CityDomain.Category { try #require(taxonomy[code]) }

    private func chain(_ decision: DispatchDecision) -> [String] {
        (decision.hops.first.map { [$0.fromUnitCode] } ?? []) + decision.hops.map(\.toUnitCode)
    }

    @Test("The fire-lane story: 市城运中心 → 浦东新区城运中心 → 北蔡镇城运中心 → 北蔡派出所")
    func fireLaneChain() throws {
        let decision = try dispatcher.dispatch(
            category: category("parking.fire_lane"), regionCode: "310115105", text: "小区消防通道被私家车堵死了")
        #expect(decision.unitCode == "310115105.police")
        #expect(decision.rule == "territorial_unit")
        #expect(decision.basis == .category(code: "parking.fire_lane"))
        #expect(decision.basis.code == "category:parking.fire_lane")
        #expect(
            chain(decision) == [
                "310000.operations_centre", "310115.operations_centre", "310115105.operations_centre",
                "310115105.police",
            ])
        #expect(decision.hops.map(\.rule) == ["place_district", "territorial", "territorial_unit"])
        #expect(decision.hops[1].reasonZh.contains("属地"))
        #expect(decision.hops[2].reasonZh.contains("北蔡镇城市运行管理中心交本街镇"))
        #expect(decision.fallbacks.first == "310115105.operations_centre")
    }

    @Test func aPhraseSelectsTheAlternative() throws {
        let decision = try dispatcher.dispatch(
            category: category("parking.fire_lane"), regionCode: "310115105", text: "商场后面的消防通道被车堵了")
        #expect(decision.unitCode == "310115.fire_rescue")
        #expect(decision.basis == .phrase(code: "parking.fire_lane", alternative: "fire_safety_unit", phrase: "商场"))
        #expect(decision.basis.code == "phrase:parking.fire_lane#fire_safety_unit:商场")
        // A department is reached from the district centre, not through the street.
        #expect(chain(decision) == ["310000.operations_centre", "310115.operations_centre", "310115.fire_rescue"])
        #expect(decision.reasonZh.hasPrefix("按「占用消防车通道」的备选规则 fire_safety_unit（文本含「商场」）"))
    }

    @Test(
        "Construction noise: 城管 by default, environment or housing when the text says so",
        arguments: [
            ("工地夜间施工很吵", "310115.urban_management", "category:noise.construction"),
            ("工地夜间施工，请环保部门来测一下", "310115.eco_environment", "phrase:noise.construction#environment:环保"),
            ("工地噪音，建委管不管", "310115.housing", "phrase:noise.construction#housing:建委"),
        ])
    func constructionNoise(text: String, unit: String, basis: String) throws {
        let decision = try dispatcher.dispatch(
            category: category("noise.construction"), regionCode: "310115105", text: text)
        #expect(decision.unitCode == unit)
        #expect(decision.basis.code == basis)
    }

    @Test func aLearnedPreferenceChoosesAnAllowedAlternative() throws {
        let construction = try category("noise.construction")
        #expect(construction.allowedKinds == [.urbanManagement, .ecoEnvironment, .housing])
        let learned = try dispatcher.dispatch(
            category: construction, regionCode: "310115105", text: "工地很吵",
            preference: DispatchPreference(kind: .ecoEnvironment, source: "router", confidence: 0.8))
        #expect(learned.unitCode == "310115.eco_environment")
        #expect(
            learned.basis
                == .learned(
                    code: "noise.construction", kind: .ecoEnvironment, source: "router", alternative: "environment"))
        #expect(learned.basis.code == "learned:router:eco_environment:noise.construction#environment")
        #expect(learned.reasonEn.hasPrefix("By the learned signal router"))
        // A phrase rule wins over a preference.
        let phrase = try dispatcher.dispatch(
            category: construction, regionCode: "310115105", text: "请环保局处理工地噪声",
            preference: DispatchPreference(kind: .housing, source: "router"))
        #expect(phrase.unitCode == "310115.eco_environment")
    }

    @Test("A kind the category does not list: used at its level, unless the category is urgent or fixed-units")
    func aLearnedPreferenceOutsideTheCategory() throws {
        // Police at street level (派出所) for industrial noise (normal priority): the router decides.
        let industrial = try category("noise.industrial")
        #expect(industrial.priority == .normal)
        let outside = try dispatcher.dispatch(
            category: industrial, regionCode: "310115105", text: "工厂很吵",
            preference: DispatchPreference(kind: .police, source: "router", confidence: 0.7, level: .street))
        #expect(outside.unitCode == "310115105.police")
        #expect(outside.basis == .learnedOutside(code: "noise.industrial", kind: .police, source: "router"))
        #expect(outside.basis.code == "learned-outside:router:police:noise.industrial")
        #expect(outside.reasonZh.contains("类别未列出此类单位"))
        // The reason speaks of the case, not of a category that would name the police.
        #expect(outside.reasonZh.contains("本案由街镇级"))
        #expect(!outside.reasonZh.contains("「工业生产噪声」由"))
        #expect(outside.reasonEn.contains(": this case is handled by the street/town-level"))
        // The street office: the street/town centre keeps it, through the territorial chain.
        let street = try dispatcher.dispatch(
            category: industrial, regionCode: "310115105", text: "工厂很吵",
            preference: DispatchPreference(kind: .operationsCentre, source: "router", level: .street))
        #expect(street.unitCode == "310115105.operations_centre")
        #expect(chain(street).last == "310115105.operations_centre")
        #expect(chain(street).count == 3)
        // No level given: the district's unit.
        let district = try dispatcher.dispatch(
            category: industrial, regionCode: "310115105", text: "工厂很吵",
            preference: DispatchPreference(kind: .education, source: "router"))
        #expect(district.unitCode == "310115.education")
        // High priority is not enough to refuse it: construction noise takes the router's kind too.
        let construction = try dispatcher.dispatch(
            category: category("noise.construction"), regionCode: "310115105", text: "工地很吵",
            preference: DispatchPreference(kind: .operationsCentre, source: "router", level: .street))
        #expect(construction.unitCode == "310115105.operations_centre")
        // Urgent (a burst main) and fixed-units (a fire hazard) categories keep the taxonomy's units and say the
        // signal was not used.
        for (code, unit) in [("water.main_leak", "310115.water"), ("fire.building_hazard", "310115.fire_rescue")] {
            let listed = try category(code)
            #expect(listed.priority == .urgent || listed.fixedUnits)
            let refused = try dispatcher.dispatch(
                category: listed, regionCode: "310115105", text: "有隐患",
                preference: DispatchPreference(kind: .police, source: "router", level: .street))
            #expect(refused.unitCode == unit)
            #expect(refused.basis == .category(code: code))
            #expect(refused.reasonZh.contains("学习信号 router"))
        }
    }

    @Test func aPreferenceForTheStreetOfficeAgreesWithATerritorialCategory() throws {
        // The router's street_office label means "the street handles it": a territorial category already passes the
        // street centre, so its own unit still acts (not the centre keeping the case for a manual 下派).
        let garbage = try category("sanitation.garbage")
        #expect(garbage.allowedKinds == [.greeningSanitation, .operationsCentre])
        let decision = try dispatcher.dispatch(
            category: garbage, regionCode: "310115105", text: "小区垃圾堆放",
            preference: DispatchPreference(kind: .operationsCentre, source: "router"))
        #expect(decision.unitCode == "310115105.greening_sanitation")
        #expect(decision.rule == "territorial_unit")
        #expect(decision.basis == .category(code: "sanitation.garbage"))
        #expect(
            chain(decision) == [
                "310000.operations_centre", "310115.operations_centre", "310115105.operations_centre",
                "310115105.greening_sanitation",
            ])
    }

    @Test func territorialCategoriesGoThroughTheStreet() throws {
        for code in [
            "sanitation.garbage", "sanitation.street_vending", "sanitation.illegal_advertising",
            "construction.illegal_building", "noise.street_vendor", "noise.neighbourhood", "parking.fire_lane",
        ] {
            let decision = try dispatcher.dispatch(category: category(code), regionCode: "310115105")
            #expect(decision.rule == "territorial_unit", "\(code)")
            #expect(decision.unitCode.hasPrefix("310115105."), "\(code)")
            #expect(decision.hops.count == 3, "\(code)")
        }
    }

    @Test func aTerritorialCaseKnownOnlyToTheDistrictStaysWithTheDistrictCentre() throws {
        let decision = try dispatcher.dispatch(category: category("sanitation.garbage"), regionCode: "310115")
        #expect(decision.unitCode == "310115.operations_centre")
        #expect(decision.rule == "territorial_unlocated")
        #expect(chain(decision) == ["310000.operations_centre", "310115.operations_centre"])
        // 张江高科技园区 (a statistical unit) has only its centre, which keeps the case.
        let zone = try dispatcher.dispatch(category: category("sanitation.garbage"), regionCode: "310115503")
        #expect(zone.unitCode == "310115503.operations_centre")
        #expect(zone.rule == "territorial_centre")
        #expect(zone.reasonEn.contains("the street has no greening and city appearance unit"))
    }

    @Test func theChainStartsAtTheReceivingCentre() throws {
        let decision = try dispatcher.dispatch(
            category: category("parking.fire_lane"), regionCode: "310115105",
            receivedBy: "310115.operations_centre")
        #expect(
            chain(decision) == ["310115.operations_centre", "310115105.operations_centre", "310115105.police"])
        // A street-level department of a functional category is reached from the district centre.
        let dog = try dispatcher.dispatch(category: category("noise.dog_barking"), regionCode: "310115105")
        #expect(chain(dog) == ["310000.operations_centre", "310115.operations_centre", "310115105.police"])
        #expect(dog.hops.map(\.rule) == ["place_district", "kind_at_level"])
        // A city unit: straight from the city centre.
        let stranded = try dispatcher.dispatch(
            category: category("traffic.stranded_passengers"), regionCode: "310105009")
        #expect(chain(stranded) == ["310000.operations_centre", "310000.transport"])
    }

    @Test func theTaxonomyRefusesBadResponsibilityRules() throws {
        let limits = StepLimits(
            dispatch: .minutes(30), handle: .hours(2), verify: .workingDays(1), overall: .workingDays(3))
        #expect(throws: CategoryError.territorialNotStreet("a")) {
            try CategoryTaxonomy(categories: [
                Category(
                    code: "a", nameZh: "甲", nameEn: "A", responsibleKind: .police, responsibleLevel: .district,
                    limits: limits, territorial: true)
            ])
        }
        #expect(throws: CategoryError.invalidAlternative(code: "a", id: "Bad")) {
            try CategoryTaxonomy(categories: [
                Category(
                    code: "a", nameZh: "甲", nameEn: "A", responsibleKind: .police, responsibleLevel: .street,
                    limits: limits,
                    alternatives: [.init(id: "Bad", responsibleKind: .housing, responsibleLevel: .street)])
            ])
        }
        #expect(throws: CategoryError.invalidAlternative(code: "a", id: "x")) {
            try CategoryTaxonomy(categories: [
                Category(
                    code: "a", nameZh: "甲", nameEn: "A", responsibleKind: .police, responsibleLevel: .street,
                    limits: limits,
                    alternatives: [
                        .init(id: "x", responsibleKind: .housing, responsibleLevel: .street),
                        .init(id: "x", responsibleKind: .water, responsibleLevel: .district),
                    ])
            ])
        }
        #expect(throws: CategoryError.territorialNotStreet("a")) {
            try CategoryTaxonomy(categories: [
                Category(
                    code: "a", nameZh: "甲", nameEn: "A", responsibleKind: .police, responsibleLevel: .street,
                    limits: limits,
                    alternatives: [
                        .init(id: "x", responsibleKind: .housing, responsibleLevel: .district, territorial: true)
                    ])
            ])
        }
    }
}
