import Hotline
import Testing

/// Negations, exclusions, mixed complaints, normalisation and the theme prior.
struct NegationAndMixedTests {
    @Test(arguments: [
        ("不是装修，是隔壁工地晚上施工，吵得睡不着", "noise.construction"),
        ("楼上并非装修，而是工地打桩的声音", "noise.construction"),
        ("没有施工，是楼上装修电钻一直在响", "noise.renovation"),
        ("晚上没有狗叫，是邻居家拖椅子的声音", "noise.neighbourhood"),
        ("不是广场舞，是对面KTV的音乐太吵", "noise.entertainment_venue"),
    ])
    func negationMovesToTheOtherScenario(text: String, expected: String) {
        let match = RulesFixture.rules.match(text, themeScores: [])
        #expect(match.best == expected, "\(text): \(match.candidates)")
        #expect(match.evidence.contains { $0.hasPrefix("negated") }, "\(match.evidence)")
    }

    @Test func negatedOnlyTriggerLeavesNothing() {
        let match = RulesFixture.rules.match("附近并没有施工，只是想问一下办事时间", themeScores: [])
        #expect(match.best == nil)
        #expect(match.evidence.contains("negated 没有:施工→noise.construction"))
    }

    @Test(arguments: [
        "小区门口无证施工，半夜噪音扰民", "工地没日没夜地施工，太吵了", "工地晚上不停施工，声音很大",
        "没有人管的工地半夜还在打桩",
    ])
    func lookAlikeNegationsStillAffirm(text: String) {
        #expect(RulesFixture.best(text) == "noise.construction", "\(text)")
    }

    @Test func exclusionRulesOutConstructionForRoadWorks() {
        let match = RulesFixture.rules.match("半夜道路施工噪音太大", themeScores: [])
        #expect(match.best == "noise.road_works_night")
        #expect(!match.candidates.contains { $0.code == "noise.construction" })
        #expect(match.evidence.contains { $0.hasPrefix("excluded 道路施工") })
    }

    @Test func fireLaneOutranksPlainIllegalParking() {
        let match = RulesFixture.rules.match("有车违停在消防通道上", themeScores: [])
        #expect(match.best == "parking.fire_lane")
        #expect(!match.candidates.contains { $0.code == "parking.illegal_vehicle" })
    }

    @Test func mixedComplaintListsBothStrongerFirst() {
        let single = RulesFixture.rules.match("楼上装修电钻声太吵", themeScores: [])
        let mixed = RulesFixture.rules.match("楼上装修电钻声太吵；另外小区外面工地夜间施工打桩，晚上也睡不着", themeScores: [])
        #expect(mixed.candidates.prefix(2).map(\.code) == ["noise.construction", "noise.renovation"])
        #expect(mixed.confidence < single.confidence)
        #expect(mixed.confidence < 0.6)
    }

    @Test func mixedNoiseAndParking() {
        let mixed = RulesFixture.rules.match("楼下KTV半夜噪音扰民，门口还乱停车", themeScores: [])
        #expect(Set(mixed.candidates.map(\.code)) == ["noise.entertainment_venue", "parking.illegal_vehicle"])
    }

    @Test func fullWidthAndCaseAreFolded() {
        #expect(RulesFixture.best("楼下ＫＴＶ太吵") == "noise.entertainment_venue")
        #expect(RulesFixture.best("楼下Ktv太吵") == "noise.entertainment_venue")
        #expect(RulesFixture.best("对面的Live  House演出到半夜，太吵") == "noise.entertainment_venue")
    }

    @Test func themePriorBreaksATie() {
        // 垃圾清运 is both a neighbourhood-noise and a garbage trigger; the theme decides.
        let text = "每天凌晨垃圾清运的声音很大"
        let environment = RulesFixture.rules.match(text, themeScores: [("环境保护", 0.9), ("城乡建设", 0.1)])
        #expect(environment.best == "noise.neighbourhood")
        let noTheme = RulesFixture.rules.match("路口有人乱停车，还有共享单车", themeScores: [])
        let traffic = RulesFixture.rules.match("路口有人乱停车，还有共享单车", themeScores: [("交通运输", 1)])
        #expect(traffic.candidates[0].score > noTheme.candidates[0].score)
    }

    @Test func priorNeverCreatesACandidate() {
        let match = RulesFixture.rules.match("请尽快处理", themeScores: [("环境保护", 1)])
        #expect(match.best == nil && match.candidates.isEmpty)
    }

    @Test func badThemeScoresAreIgnored() {
        let match = RulesFixture.rules.match(
            "楼上装修太吵", themeScores: [("环境保护", .nan), ("城乡建设", -3), ("不存在的主题", .infinity)])
        #expect(match.best == "noise.renovation")
        #expect(match.confidence.isFinite)
    }
}
