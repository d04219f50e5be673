import Hotline
import Testing

/// Categories and noise scenarios added for real complaints that fired nothing (issue 10 §3): each new category and
/// each scenario of the evaluation vocabulary is reachable from everyday wordings (no theme prior). The sentences
/// paraphrase complaints of the Teddy Cup corpus (`Tests/HotlineTests/Data/noise_scenarios_read.csv`).
struct CoverageTests {
    static let categories: [(String, String)] = [
        ("楼下烧烤店油烟直排，熏得家里没法开窗", "sanitation.restaurant_fumes"),
        ("小区临街门面餐饮油烟扰民，油烟机正对卧室", "sanitation.restaurant_fumes"),
        ("餐馆的排烟管道就在我家阳台下面，油烟味很重", "sanitation.restaurant_fumes"),
        ("公园里的公厕好几天没人打扫，臭气熏天", "sanitation.public_toilet"),
        ("这一带没有公共厕所，老人上厕所很不方便", "sanitation.public_toilet"),
        ("菜市场旁边的旱厕太脏了，希望改造", "sanitation.public_toilet"),
        ("人行道上的井盖丢了，晚上很危险", "road.manhole_cover"),
        ("路口窨井盖松动，车一压就响", "road.manhole_cover"),
        ("雨水篦子被偷了，留下一个大口子", "road.manhole_cover"),
        ("小区门口的健身器材坏了很久没人修", "road.public_facility"),
        ("公交站台候车亭的玻璃碎了", "road.public_facility"),
        ("马路中间的隔离栏被撞倒了", "road.public_facility"),
        ("小区门口天天有车停在路边，出不去", "parking.illegal_vehicle"),
        ("有人把车长期停放在人行道上", "parking.illegal_vehicle"),
        ("商场门口车辆随意停放，占用车位", "parking.illegal_vehicle"),
        ("医院停车场乱收停车费，一小时二十元", "parking.fees"),
        ("小区物业停车收费太高", "parking.fees"),
        ("路边停车收费员乱收费", "parking.fees"),
    ]

    @Test(arguments: categories)
    func newCategoryFires(text: String, expected: String) {
        let match = RulesFixture.rules.match(text, themeScores: [])
        #expect(match.best == expected, "\(text): \(match.candidates) \(match.evidence)")
    }

    /// Every scenario of the evaluation vocabulary, in common wordings (commercial, industrial and traffic noise as
    /// the corpus words them).
    static let scenarios: [(String, String)] = [
        ("小区旁边工地夜间施工，噪音扰民", "construction_site"),
        ("修地铁的工地凌晨两点还在施工，吵得睡不着", "construction_site"),
        ("楼上装修电钻声太吵", "renovation"),
        ("邻居家的狗整夜叫", "pets"),
        ("楼下养鸡，每天凌晨鸡叫吵醒全楼", "pets"),
        ("楼下麻将馆每晚吵到凌晨", "entertainment_venue"),
        ("歌舞厅隔音差，音乐声太大", "entertainment_venue"),
        ("服装店一天到晚开着大功率音响，吵个不停", "commercial"),
        ("楼下夜宵摊喝酒划拳，彻夜吵闹", "commercial"),
        ("烧烤店营业到凌晨三点，噪音扰民", "commercial"),
        ("水果店的冷库外机噪音震动很大", "commercial"),
        ("流动摊贩打着扩音喇叭叫卖", "commercial"),
        ("火车每天深夜鸣笛，吵得无法入睡", "traffic_vehicles"),
        ("夜晚大货车经过，噪音严重扰民", "traffic_vehicles"),
        ("高速公路车流声太大，希望安装隔音板", "traffic_vehicles"),
        ("附近铁厂夜晚生产，噪音太大", "industrial"),
        ("小区旁边的搅拌站日夜轰鸣，噪音扰民", "industrial"),
        ("采石场放炮和机器声吵得村民睡不着", "industrial"),
        ("楼上邻居每天晚上拖椅子跺脚", "neighbours_daily_life"),
        ("楼下租户开派对，夜里喧哗", "neighbours_daily_life"),
        ("移动公司基站机房噪音扰民", "public_facilities"),
        ("洒水车半夜作业扰民", "public_facilities"),
        ("小区广场舞音乐太响", "other"),
        ("公园清晨打陀螺，噪音扰民", "other"),
    ]

    @Test(arguments: scenarios)
    func scenarioIsReachable(text: String, expected: String) {
        let match = RulesFixture.rules.match(text, themeScores: [])
        #expect(RoutingFixture.table.noiseScenario(of: match) == expected, "\(text): \(match.candidates)")
    }

    @Test func everyScenarioOfTheVocabularyIsReachedAndEveryNoiseLeafHasOne() throws {
        #expect(Set(Self.scenarios.map(\.1)) == Set(RoutingTable.noiseScenarios))
        let leaves = RulesFixture.taxonomy.children(of: "noise").map(\.code)
        for leaf in leaves { #expect(RoutingFixture.table.noiseScenarioByCategory[leaf] != nil, "\(leaf)") }
    }

    @Test func aNonNoiseComplaintHasNoScenario() {
        let match = RulesFixture.rules.match("楼下烧烤店油烟直排", themeScores: [])
        #expect(RoutingFixture.table.noiseScenario(of: match) == nil)
    }
}
