import Hotline
import Testing

/// Each of the 14 noise scenarios with at least three everyday phrasings (no theme prior).
struct NoiseScenarioTests {
    static let cases: [(String, String)] = [
        ("隔壁工地晚上十一点还在施工，吵得根本睡不着", "noise.construction"),
        ("小区旁边的在建楼盘半夜打桩，噪音太大", "noise.construction"),
        ("凌晨两点工地上的搅拌机和塔吊还在作业，严重扰民", "noise.construction"),
        ("建筑工地夜间施工，挖掘机破碎锤声音很响", "noise.construction"),
        ("楼上装修电钻声从早响到晚，周末也不停", "noise.renovation"),
        ("隔壁邻居家装修敲墙，晚上八点多还在弄", "noise.renovation"),
        ("１２楼住户装潢，冲击钻的声音吵得孩子没法午睡", "noise.renovation"),
        ("邻居家的狗一到晚上就叫，吵得整栋楼睡不着", "noise.dog_barking"),
        ("楼下养的大型犬每天半夜狂吠", "noise.dog_barking"),
        ("小区里有户人家养狗扰民，狗叫声持续到凌晨", "noise.dog_barking"),
        ("楼下KTV每天营业到凌晨三点，音乐声震耳", "noise.entertainment_venue"),
        ("附近酒吧街深夜噪音扰民，喝酒喧闹", "noise.entertainment_venue"),
        ("小区底商开了一家ＫＴＶ，唱歌声音太大", "noise.entertainment_venue"),
        ("服装店门口放音乐，音响开得特别大", "noise.commercial_amplified"),
        ("超市促销用大音箱循环播放广告，吵死人", "noise.commercial_amplified"),
        ("沿街商铺的高音喇叭从早到晚循环播放", "noise.commercial_amplified"),
        ("每天早上有流动摊贩用喇叭叫卖，声音很大", "noise.street_vendor"),
        ("收旧货的小贩天天在小区门口吆喝", "noise.street_vendor"),
        ("卖菜喇叭一大早在楼下喊，吵得没法休息", "noise.street_vendor"),
        ("半夜有改装车在马路上炸街，轰油门声音特别吵", "noise.traffic_horn"),
        ("路口车辆乱鸣笛，喇叭声不断", "noise.traffic_horn"),
        ("晚上经常有人飙车，排气管声音吵得睡不着", "noise.traffic_horn"),
        ("附近工厂夜间生产，机器轰鸣", "noise.industrial"),
        ("小区旁边的加工厂车间通宵开工，噪音扰民", "noise.industrial"),
        ("厂区里的生产噪音一直持续到半夜", "noise.industrial"),
        ("楼上邻居每天晚上拖椅子、跺脚，声音很大", "noise.neighbourhood"),
        ("楼上小孩跑跳、弹珠掉地板的声音天天有", "noise.neighbourhood"),
        ("楼上住户群租，人来人往吵得很", "noise.neighbourhood"),
        ("小区水泵房嗡嗡响，噪音影响休息", "noise.public_facilities"),
        ("电梯运行时墙面嗡嗡响，电梯噪音大", "noise.public_facilities"),
        ("环卫扫地车每天早上五点半来回扫，太吵了", "noise.public_facilities"),
        ("小区广场舞音乐开得太响，晚上九点半还没结束", "noise.square_dancing"),
        ("公园里大妈跳舞的音箱声音太大了", "noise.square_dancing"),
        ("每天晚上楼下空地有人用音箱跳舞，扰民严重", "noise.square_dancing"),
        ("饭店的空调外机正对我家窗户，噪声很大", "noise.equipment"),
        ("商场楼顶冷却塔日夜轰鸣", "noise.equipment"),
        ("隔壁餐馆的排风扇和风机声音很吵", "noise.equipment"),
        ("凌晨还在道路施工，铣刨机声音太吵", "noise.road_works_night"),
        ("半夜马路开挖，管线施工噪音扰民", "noise.road_works_night"),
        ("这条路每天夜间修路，吵得睡不着", "noise.road_works_night"),
        ("楼下住户半夜唱歌，吵得没法睡", "noise.residence_night"),
        ("隔壁每天晚上打麻将到凌晨，声音很大", "noise.residence_night"),
        ("对门租户经常开派对，夜里喧哗", "noise.residence_night"),
    ]

    @Test(arguments: cases)
    func scenario(text: String, expected: String) {
        let match = RulesFixture.rules.match(text, themeScores: [])
        #expect(match.best == expected, "\(text): \(match.candidates) \(match.evidence)")
        #expect(match.confidence > 0 && match.confidence <= 1)
    }

    @Test func everyNoiseScenarioHasThreePhrasings() {
        let leaves = RulesFixture.taxonomy.children(of: "noise").map(\.code)
        #expect(leaves.count == 14)
        for leaf in leaves { #expect(Self.cases.filter { $0.1 == leaf }.count >= 3, "\(leaf)") }
    }
}
