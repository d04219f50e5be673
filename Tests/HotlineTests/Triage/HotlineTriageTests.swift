import CityDomain
import Foundation
import Hotline
import Testing

/// The bundled model, rules and places together: what a 12345 message becomes.
@Suite struct HotlineTriageTests {
    static let triage: HotlineTriage = {
        let model = try! HotlineModel.bundledDefault()
        return HotlineTriage(
            model: model, rules: RulesFixture.rules, places: PlaceExtractor(hierarchy: try! RegionHierarchy.shanghai()))
    }()

    @Test func aClearRenovationComplaintIsDispatchedAndLocated() {
        let result = Self.triage.triage(text: "北蔡镇某小区楼上装修，每天早上七点就开始电钻声，吵得无法休息")
        #expect(result.decision == .dispatch(categoryCode: "noise.renovation"))
        #expect(result.place.regionCode == "310115105")  // 北蔡镇
        #expect(result.category.confidence >= HotlineTriage.defaultThreshold)
        #expect(result.themes.count == 3)
        #expect(!result.explanation.isEmpty)
    }

    @Test func theAddressFieldIsReadForPlaces() {
        let result = Self.triage.triage(text: "楼道里堆满杂物，还有人给电动车充电", address: "徐汇区")
        #expect(result.decision == .dispatch(categoryCode: "fire.building_hazard"))
        #expect(result.place.regionCode == "310104")
    }

    @Test func aClearCategoryWithoutAPlaceGoesToAPerson() {
        let result = Self.triage.triage(text: "楼上装修，每天早上七点就开始电钻声，吵得无法休息")
        #expect(result.category.best == "noise.renovation")
        #expect(result.decision == .person(reason: .noPlace))
        let conflicting = Self.triage.triage(text: "楼上装修电钻声太吵", address: "黄浦区 浦东新区")
        #expect(conflicting.decision == .person(reason: .noPlace))
    }

    @Test func withoutAnyTriggerAPersonDecides() {
        let result = Self.triage.triage(text: "我想咨询一下社保卡补办需要带什么材料")
        #expect(result.decision == .person(reason: .noCategory))
        #expect(result.category.best == nil)
    }

    @Test func twoEquallyStrongScenariosGoToAPerson() {
        // 装修 (renovation) and 施工 (construction) both fire with the same weight: the rules cannot choose.
        let result = Self.triage.triage(text: "隔壁装修，对面施工，噪音很大")
        guard case .person(let reason) = result.decision else {
            Issue.record("expected the triage queue, got \(result.decision)")
            return
        }
        guard case .lowConfidence(let confidence, let threshold) = reason else {
            Issue.record("expected low confidence, got \(reason)")
            return
        }
        #expect(confidence < threshold)
        #expect(result.category.candidates.count >= 2)
    }

    @Test func theThresholdDecidesAndIsClamped() {
        let strict = HotlineTriage(
            model: Self.triage.model, rules: Self.triage.rules, places: Self.triage.places, threshold: 0.99)
        let text = "北蔡镇某小区楼上装修，每天早上七点就开始电钻声"
        #expect(Self.triage.triage(text: text).decision == .dispatch(categoryCode: "noise.renovation"))
        guard case .person(.lowConfidence) = strict.triage(text: text).decision else {
            Issue.record("a 0.99 threshold should send the message to a person")
            return
        }
        #expect(
            HotlineTriage(
                model: Self.triage.model, rules: Self.triage.rules, places: Self.triage.places,
                threshold: 7
            ).threshold == 1)
        #expect(
            HotlineTriage(
                model: Self.triage.model, rules: Self.triage.rules, places: Self.triage.places,
                threshold: .nan
            ).threshold == HotlineTriage.defaultThreshold)
    }

    @Test func arbitraryTextNeverCrashes() {
        for text in [
            "", " ", "😀😀", "<script>alert(1)</script>", "\u{0}\u{1F}", String(repeating: "装修", count: 5000),
            "My neighbour's dog barks all night",
        ] {
            let result = Self.triage.triage(text: text, address: text)
            #expect(result.themes.count <= 3)
        }
    }

    @Test("a corrected category is labelled with its strongest theme")
    func themeOfACategory() {
        let rules = RulesFixture.rules
        #expect(rules.theme(for: "noise.dog_barking") == "环境保护")
        #expect(rules.theme(for: "parking.fire_lane") == "交通运输")
        #expect(rules.theme(for: "water.main_leak") == "城乡建设")
        #expect(rules.theme(for: "no.such.code") == nil)
    }
}
