import Foundation

extension Dictionary where Key == String, Value == [String: Double] {
    /// The default theme → category prior: for each of the corpus's seven broad themes (一级标签 of the 2020 Teddy
    /// Cup messages, `shared/data/teddy2020_gov_messages`), how plausible each fine category is, in 0…1.
    ///
    /// Inner keys are a leaf code (`noise.construction`) or a grouping code (`noise`) standing for all its
    /// leaves; a leaf entry wins over its group. Categories not listed get 0. The weights are our judgement, checked
    /// against the labelled file: messages with 噪音/扰民 are mostly 环境保护 (67 of 101) then 城乡建设 (22);
    /// 装修/施工/违建/路灯/垃圾 mostly 城乡建设; 停车 城乡建设 and 交通运输; 广场舞 教育文体 or 城乡建设.
    ///
    /// | theme | strong (1.0) | medium (0.5–0.8) | weak (0.2–0.4) |
    /// |---|---|---|---|
    /// | 城乡建设 | construction, water, road | noise.construction, noise.renovation, noise.road_works_night, sanitation, fire, parking | other noise |
    /// | 环境保护 | noise | sanitation.garbage, noise.construction | other sanitation, construction |
    /// | 交通运输 | parking, traffic | road, noise.traffic_horn, noise.road_works_night | — |
    /// | 商贸旅游 | — | noise.commercial_amplified, noise.entertainment_venue, sanitation.street_vending, noise.street_vendor | sanitation.illegal_advertising |
    /// | 教育文体 | — | noise.square_dancing, noise.entertainment_venue | — |
    /// | 卫生计生 | — | sanitation.garbage | noise.dog_barking, sanitation |
    /// | 劳动和社会保障 | — | — | — (a labour theme says nothing about the scenario: every factor is equal) |
    public static var `default`: [String: [String: Double]] {
        [
            "城乡建设": [
                "construction": 1.0, "water": 1.0, "road": 1.0, "noise": 0.3, "noise.construction": 0.8,
                "noise.renovation": 0.7, "noise.road_works_night": 0.7, "noise.neighbourhood": 0.4,
                "sanitation": 0.6, "fire": 0.6, "parking": 0.5, "traffic": 0.3,
            ],
            "环境保护": [
                "noise": 1.0, "sanitation.garbage": 0.7, "sanitation": 0.4, "construction": 0.2,
            ],
            "交通运输": [
                "parking": 1.0, "traffic": 1.0, "road": 0.8, "noise.traffic_horn": 0.8,
                "noise.road_works_night": 0.5,
            ],
            "商贸旅游": [
                "noise.commercial_amplified": 0.8, "noise.entertainment_venue": 0.7, "sanitation.street_vending": 0.6,
                "noise.street_vendor": 0.5, "sanitation.illegal_advertising": 0.4,
            ],
            "教育文体": ["noise.square_dancing": 0.7, "noise.entertainment_venue": 0.5],
            "卫生计生": ["sanitation.garbage": 0.6, "sanitation": 0.3, "noise.dog_barking": 0.3],
            "劳动和社会保障": [:],
        ]
    }
}
