import Foundation
import Testing

/// The reply rules of `Tests/HotlineTests/Data/tools/label_units.py` on real reply snippets of
/// `messages_with_replies_full2816_fujian4.csv` (shortened): each rule, and the cases they must not be fooled by.
/// Runs the script's `label()` with the system's Python 3; skipped where there is none.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")))
struct WeakLabelRuleTests {
    static let cases: [(reply: String, kind: String, rule: String)] = [
        ("您反映的问题已转交县交通运输管理局处置。2018年4月17日", "transport", "forward"),
        ("您好，您的留言收悉，已于2019年3月12日转交M3县电子政务管理办公室办理。您所反映的问题我街道已收悉并高度重视", "street_office", "self"),
        ("网友：你好，你所反映的问题已转交至环保局、国土局调查办复。2018年8月13日", "environment", "forward"),
        ("现将有关情况回复如下：经韭菜园街道调查核实，现将有关情况回复如下：您所反映的区域内，居民楼共有4栋", "street_office", "subject"),
        ("收到您反映的问题后，我镇高度重视，立刻组织国土部门及相关负责人展开调查", "street_office", "self"),
        ("您的来帖我支队已收悉，现答复如下：请带齐您的资料到当地车管所办理。感谢您对K市公安交管工作的监督和支持！", "traffic_police", "mention"),
        ("该线路已经填补麓景路公交空白，特此回复。A3区交通运输局 2014年5月21日", "transport", "signature"),
        ("您反映的问题已收悉，已交公安部门调查回复，谢谢！2018年12月17日", "police", "forward"),
        ("您的留言已收悉，已转有关部门予以答复反馈，谢谢！根据A7县教育局文件，请致电A7县教育局咨询。", "education", "mention"),
        ("我局高度重视，立即调查处理：我局执法人员在现场检查时了解到……请向K7县环境保护局反映", "environment", "self"),
    ]

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Data/tools")

    /// `(kind, evidence)` of each reply, from one Python run.
    static func label(_ replies: [String]) throws -> [(String, String)] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [
            "-c",
            "import sys, json; sys.path.insert(0, sys.argv[1]); import label_units as L; "
                + "print(json.dumps([L.label(r) for r in json.load(sys.stdin)]))",
            script.path,
        ]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(try JSONEncoder().encode(replies))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let decoded = try JSONDecoder().decode([[String?]].self, from: data)
        return decoded.map { ($0[0] ?? "", $0[1] ?? "") }
    }

    @Test func eachRuleOnRealReplies() throws {
        let labels = try Self.label(Self.cases.map(\.reply))
        for (expected, got) in zip(Self.cases, labels) {
            #expect(got.0 == expected.kind, "\(expected.reply): \(got)")
            #expect(got.1.hasPrefix(expected.rule + ":"), "\(expected.reply): \(got)")
        }
    }

    @Test func aReplyNamingNoUnitIsLeftUnlabelled() throws {
        let labels = try Self.label(["网友您好，西地省居民身份证网上补领申请信息登记服务平台，直接按照步骤操作就可以了，感谢您的问政。2017年3月1日"])
        #expect(labels.first?.0 == "")
    }
}
