import Hotline
import Testing

/// Traditional script, full-width forms and mixed scripts get the same category, scenario and route as their
/// simplified, half-width twins (issue 10 §3).
struct NormalisationTwinTests {
    static let twins: [(String, String)] = [
        ("樓下燒烤店油煙直排，熏得家裡沒法開窗", "楼下烧烤店油烟直排，熏得家里没法开窗"),
        ("公園裡的公廁好幾天沒人打掃", "公园里的公厕好几天没人打扫"),
        ("人行道上的井蓋丟了，晚上很危險", "人行道上的井盖丢了，晚上很危险"),
        ("小區門口天天有車停在路邊", "小区门口天天有车停在路边"),
        ("附近鐵廠夜晚生產，噪音太大", "附近铁厂夜晚生产，噪音太大"),
        ("火車每天深夜鳴笛，吵得無法入睡", "火车每天深夜鸣笛，吵得无法入睡"),
        ("樓下ＫＴＶ每天營業到凌晨３點", "楼下KTV每天营业到凌晨3点"),
        ("服装店一天到晚開著大功率音響，吵個不停", "服装店一天到晚开着大功率音响，吵个不停"),
        ("小區旁邊工地夜間施工，噪音擾民！！", "小区旁边工地夜间施工，噪音扰民!!"),
        ("ｋｔｖ半夜唱歌太吵", "ktv半夜唱歌太吵"),
    ]

    @Test(arguments: twins)
    func twinsTriageAlike(variant: String, plain: String) {
        let a = RoutingFixture.triage.triage(text: variant)
        let b = RoutingFixture.triage.triage(text: plain)
        #expect(a.category.best == b.category.best, "\(variant)")
        #expect(a.category.best != nil, "\(plain) fires no category")
        #expect(a.noiseScenario == b.noiseScenario)
        #expect(a.route?.label == b.route?.label)
        #expect(a.route?.abstains == b.route?.abstains)
    }
}
