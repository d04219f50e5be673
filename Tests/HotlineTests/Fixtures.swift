import Hotline

/// A tiny hand-written training set (three classes) for fast model tests.
enum Fixtures {
    static let examples: [HotlineExample] = {
        let groups: [(String, [String])] = [
            (
                "教育文体",
                [
                    "学校收费不合理", "孩子上学难，学位不足", "教师工资拖欠，学校不管", "幼儿园招生不公平",
                    "学校食堂卫生差", "中学补课收费", "小学划片入学问题", "教育局不回复学位申请",
                ]
            ),
            (
                "交通运输",
                [
                    "公交车不按站停靠", "出租车拒载乘客", "道路拥堵，红绿灯太短", "高速公路收费站排长队",
                    "公交线路被取消", "网约车乱收费", "驾校考试排队太久", "客运站黑车拉客",
                ]
            ),
            (
                "环境保护",
                [
                    "工厂排放废气污染空气", "河道污水直排", "噪音扰民，夜间施工", "垃圾焚烧厂臭味",
                    "化工厂偷排废水", "空气污染严重，粉尘大", "养猪场污染水源", "建筑工地扬尘污染",
                ]
            ),
        ]
        return groups.flatMap { label, texts in texts.map { HotlineExample(label: label, text: $0) } }
    }()

    /// Fast options for debug-build tests: a small hashed space and few calibration folds.
    static var quickOptions: HotlineTrainingOptions {
        var options = HotlineTrainingOptions()
        options.hashBits = 14
        options.minDocumentFrequency = 1
        options.calibrationFolds = 2
        options.logisticIterations = 60
        return options
    }
}
