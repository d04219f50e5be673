import Hotline
import Testing

/// Every non-noise default leaf with one or two everyday phrasings (no theme prior); the leaves added for issue 10
/// are phrased in `CoverageTests`.
struct DefaultCategoryTests {
    static let cases: [(String, String)] = [
        ("小区里私家车堵在消防通道上，消防车根本进不来", "parking.fire_lane"),
        ("楼下生命通道被电动车和汽车占用了", "parking.fire_lane"),
        ("学校门口每天违停严重，早上堵门口", "parking.illegal_vehicle"),
        ("有辆僵尸车在人行道上乱停好几个月了", "parking.illegal_vehicle"),
        ("地铁站出口共享单车乱停，把盲道都占了", "parking.shared_bicycle"),
        ("哈啰和美团单车堆满了路口", "parking.shared_bicycle"),
        ("早上延安高架结冰，好几辆车打滑", "road.bridge_ice"),
        ("桥面结冰了请尽快撒盐", "road.bridge_ice"),
        ("莲溪路上有个大坑，路面破损很久没人修", "road.damaged"),
        ("人行道砖松动翘起，老人差点绊倒", "road.damaged"),
        ("小区门口的路灯不亮已经一个星期了", "road.street_light_out"),
        ("这段路的路灯坏了，晚上黑灯瞎火", "road.street_light_out"),
        ("下了一场雨路口积水到小腿，下水道堵了", "road.ponding"),
        ("地道里淹水，车子过不去", "road.ponding"),
        ("马路边水管爆裂，自来水冒得到处都是", "water.main_leak"),
        ("小区地下爆管，整栋楼停水", "water.main_leak"),
        ("这个路口红绿灯坏了，堵车堵了一个小时", "traffic.congestion"),
        ("早高峰中环拥堵严重，信号灯配时不合理", "traffic.congestion"),
        ("虹桥枢纽晚上大量旅客滞留，打不到车", "traffic.stranded_passengers"),
        ("火车站末班车过后没有接驳，很多人滞留", "traffic.stranded_passengers"),
        ("楼道里有人飞线充电，还在楼道堆物", "fire.building_hazard"),
        ("安全出口被锁，灭火器也过期了", "fire.building_hazard"),
        ("小区垃圾桶满了好几天没人清运，臭气熏天", "sanitation.garbage"),
        ("路边有人乱倒建筑垃圾", "sanitation.garbage"),
        ("菜场门口占道经营，摆摊把路都堵了", "sanitation.street_vending"),
        ("晚上夜市出店经营，桌椅摆到人行道上", "sanitation.street_vending"),
        ("小区电线杆上贴满了小广告", "sanitation.illegal_advertising"),
        ("墙上到处是喷涂广告，牛皮癣清理不干净", "sanitation.illegal_advertising"),
        ("台风过后路边大树倒了，挡住了车道", "sanitation.fallen_tree"),
        ("小区里树枝砸到了停着的车，还有断枝挂在上面", "sanitation.fallen_tree"),
        ("顶楼住户在楼顶搭建阳光房，属于违建", "construction.illegal_building"),
        ("一楼住户私自加建围墙，违章搭建", "construction.illegal_building"),
    ]

    @Test(arguments: cases)
    func category(text: String, expected: String) {
        let match = RulesFixture.rules.match(text, themeScores: [])
        #expect(match.best == expected, "\(text): \(match.candidates) \(match.evidence)")
    }

    @Test func everyDefaultLeafIsCovered() {
        // The general request has no trigger: only the router dispatches under it (issue 10 §2).
        #expect(RulesFixture.taxonomy["general.request"]?.triggers == [])
        let leaves = RulesFixture.taxonomy.dispatchable.map(\.code).filter {
            !$0.hasPrefix("noise.") && $0 != "general.request"
        }
        #expect(leaves.count == 21)
        let all = Self.cases + CoverageTests.categories
        for leaf in leaves { #expect(all.contains { $0.1 == leaf }, "\(leaf)") }
    }

    @Test func nothingFiresOnAnUnrelatedMessage() {
        let match = RulesFixture.rules.match("请问公积金贷款额度怎么计算？", themeScores: [("劳动和社会保障", 0.9)])
        #expect(match == .none)
    }
}
