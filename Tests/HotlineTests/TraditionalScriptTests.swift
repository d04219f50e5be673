import CityDomain
import Testing

@testable import Hotline

/// A message in traditional script is read like its simplified twin by the rules, the places and the classifier.
@Suite struct TraditionalScriptTests {
    static let traditional = "樓上裝修噪音擾民"
    static let simplified = "楼上装修噪音扰民"

    @Test func aTraditionalMessageGetsTheCategoryOfItsSimplifiedTwin() {
        let twin = HotlineTriageTests.triage.triage(text: Self.simplified, address: "浦东新区北蔡镇莲溪路")
        #expect(twin.decision == .dispatch(categoryCode: "noise.renovation"))
        let result = HotlineTriageTests.triage.triage(text: Self.traditional, address: "浦東新區北蔡鎮蓮溪路")
        #expect(result.decision == twin.decision)
        #expect(result.category.best == "noise.renovation")
        #expect(result.category.confidence == twin.category.confidence)
        #expect(result.place.regionCode == twin.place.regionCode)
        #expect(result.theme == twin.theme)
    }

    @Test func conversionIsPhraseLevelAndLeavesSimplifiedTextAlone() {
        #expect(TraditionalChinese.simplify(Self.traditional) == Self.simplified)
        // 乾 has two simplified forms; the phrase decides (OpenCC TSPhrases).
        #expect(TraditionalChinese.simplify("房間乾乾淨淨，乾隆年間的樓") == "房间干干净净，乾隆年间的楼")
        #expect(TraditionalChinese.simplify("反覆投訴，回覆太慢") == "反复投诉，回复太慢")
        // Simplified text is never touched, even where a phrase key is also simplified text (一坏 = 一坯 only in
        // traditional writing).
        #expect(TraditionalChinese.simplify("电梯一坏就是一周") == "电梯一坏就是一周")
        #expect(TraditionalChinese.simplify("") == "")
        for text in ["樓上裝修噪音擾民", "二噁英超標", "a\u{301}樓"] {
            #expect(TraditionalChinese.simplify(text).unicodeScalars.count == text.unicodeScalars.count)
        }
    }

    @Test func theClassifierFeaturesSeeSimplifiedText() {
        #expect(TextNormalizer.normalize("反覆投訴，樓上裝修") == TextNormalizer.normalize("反复投诉，楼上装修"))
        let model = HotlineTriageTests.triage.model
        #expect(model.classify(Self.traditional).ranked == model.classify(Self.simplified).ranked)
    }
}
