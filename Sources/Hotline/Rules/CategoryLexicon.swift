import Foundation

/// Extra trigger and exclusion phrases added to the taxonomy's own (`categories.json`) by ``CategoryRules``.
///
/// The bundled taxonomy seeds each leaf with five or so phrases; real complaints use more words (施工 alone,
/// 装潢, 狗一到晚上就叫, 违章停车). These additions were written by us from the wording of the labelled
/// 12345-style messages in `shared/data/teddy2020_gov_messages` and everyday Shanghai usage. They belong in the
/// taxonomy data: the taxonomy owner may move them into `categories.json`, after which this table can shrink.
/// A phrase may contain `…` for a short gap (``TriggerPattern``).
public enum CategoryLexicon {
    /// Extra trigger phrases per leaf code.
    public static let triggers: [String: [String]] = [
        "noise.construction": ["施工", "建筑工地", "挖掘机", "破碎锤", "浇筑", "打桩机", "在建"],
        "noise.renovation": ["装潢", "冲击钻", "电镐", "砸墙", "敲打", "切割瓷砖"],
        "noise.dog_barking": ["狗…叫", "犬…叫", "狗…吠", "吠叫", "狂吠"],
        "noise.entertainment_venue": ["夜总会", "迪吧", "清吧", "酒吧街", "唱k"],
        "noise.commercial_amplified": ["高音喇叭", "循环播放", "门口放音乐", "店铺音乐", "大音箱"],
        "noise.street_vendor": ["吆喝", "收废品", "商贩", "卖菜喇叭", "流动摊"],
        "noise.traffic_horn": ["飙车", "轰油门", "排气管", "喇叭声"],
        "noise.industrial": ["厂房", "生产线", "夜间生产", "通宵生产", "开机生产", "加工厂"],
        "noise.neighbourhood": ["跺脚", "弹珠", "练琴", "跑跳", "高跟鞋"],
        "noise.square_dancing": ["排舞", "跳舞音乐", "广场音乐"],
        "noise.equipment": ["空调主机", "外机", "抽风机", "鼓风机"],
        "noise.road_works_night": ["修路", "挖路", "路面施工", "管道施工", "破路"],
        "noise.residence_night": ["麻将", "聚会", "划拳", "半夜吵闹", "打牌", "喧哗"],
        "parking.fire_lane": ["生命通道", "消防车通道"],
        "parking.illegal_vehicle": ["乱停", "违章停车", "违法停车", "僵尸车", "停在人行道"],
        "parking.shared_bicycle": ["单车", "摩拜", "共享电单车"],
        "road.bridge_ice": ["结冰", "路滑"],
        "road.damaged": ["坑坑洼洼", "坑洼", "井盖", "破损", "大坑"],
        "road.street_light_out": ["黑灯瞎火", "路灯…不亮", "路灯…坏"],
        "road.ponding": ["内涝", "水淹", "淹了"],
        "water.main_leak": ["水管破", "水管…爆", "管道破裂", "冒水", "自来水管"],
        "traffic.congestion": ["堵死", "红绿灯", "车流", "排长队"],
        "traffic.stranded_passengers": ["打车难", "接驳", "出租车"],
        "fire.building_hazard": ["电动车充电", "楼道充电", "堆放杂物", "消火栓", "楼道堆放"],
        "sanitation.garbage": ["垃圾堆", "臭气", "没人清理"],
        "sanitation.street_vending": ["小摊", "流动摊位", "摊位", "占道"],
        "sanitation.illegal_advertising": ["贴广告", "张贴", "野广告"],
        "sanitation.fallen_tree": ["倒伏", "树枝断", "大树倒", "树…倒"],
        "construction.illegal_building": ["违章建筑", "私搭乱建", "加盖", "搭建", "违法建筑"],
    ]

    /// Extra exclusion phrases per leaf code: in the same clause they rule the category out.
    public static let exclusions: [String: [String]] = [
        // Road works are their own scenario; the construction triggers 施工/工地 also occur in them.
        "noise.construction": ["修路", "挖路", "路面施工", "管道施工", "管线施工", "装潢"],
        "noise.renovation": ["工地"],
        "noise.neighbourhood": ["狗…叫", "犬吠", "装潢", "麻将", "唱歌"],
        "noise.commercial_amplified": ["叫卖", "小贩", "收废品", "收旧货", "广场舞", "跳舞"],
        "parking.illegal_vehicle": ["消防车通道", "生命通道"],
        "sanitation.street_vending": ["叫卖"],
        "sanitation.garbage": ["垃圾清运车"],
    ]
}
