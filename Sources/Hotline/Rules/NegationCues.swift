import Foundation

/// Words that negate a trigger written shortly after them (不是装修, 没有施工, 并非工地), and look-alikes that do not.
enum NegationCues {
    /// Negation words. Single characters (无, 非, 没, 不) are left out on purpose: 无证施工, 非法施工, 没日没夜,
    /// 不停施工 all affirm the complaint.
    static let cues: [[Character]] = [
        "不是", "并非", "没有", "没在", "不在", "不存在", "不属于", "而非", "并无", "不涉及",
        "未见", "排除",
    ].map { Array($0) }

    /// Phrases that start with a cue but do not negate what follows: 没有人管的工地 complains about the site.
    static let pseudo: [[Character]] = [
        "没有人", "没有任何人", "不是第一次", "不是一次", "没有办法", "没有用", "没有效果",
        "不在乎", "不在少数",
    ].map { Array($0) }

    /// Words after which a negation no longer applies: 不是装修，而是工地 / 不是装修是工地.
    static let contrast: [[Character]] = ["而是", "是", "但", "却", "可是"].map { Array($0) }

    /// Most characters between the end of a cue and the start of the trigger it negates: 不是楼上装修 (2),
    /// 没有在夜间施工 (3).
    static let window = 3

    /// The cue negating a match starting at `start`, or `nil`: a cue ending at most ``window`` characters before
    /// `start`, in the same clause, not a ``pseudo`` look-alike, with no ``contrast`` word in between.
    static func negation(before start: Int, in characters: [Character], clauses: [Int]) -> String? {
        for cue in cues {
            let earliest = max(0, start - window - cue.count)
            var position = start - cue.count
            while position >= earliest {
                defer { position -= 1 }
                guard characters[position..<(position + cue.count)].elementsEqual(cue),
                    clauses[position] == clauses[start]
                else { continue }
                let isPseudo = pseudo.contains { phrase in
                    position + phrase.count <= characters.count
                        && characters[position..<(position + phrase.count)].elementsEqual(phrase)
                }
                // The first character is skipped so 并非是装修 stays negated while 不是装修是工地 does not negate 工地.
                let between = Array(characters[(position + cue.count)..<start].dropFirst())
                let contrasted = contrast.contains { !RuleText.occurrences(of: $0, in: between).isEmpty }
                if !isPseudo && !contrasted { return String(cue) }
            }
        }
        return nil
    }
}
