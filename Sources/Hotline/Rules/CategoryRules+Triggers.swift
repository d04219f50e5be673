import Foundation

extension CategoryRules {
    /// Sound words: with one of them anywhere in the text, noise leaves score in full (see ``CategoryRules``).
    /// 响 alone is left out because of 影响.
    static let soundWords: [[Character]] = [
        "噪", "吵", "声", "音", "叫", "吠", "鸣", "扰民", "喧哗", "轰鸣", "巨响", "睡不着",
        "无法入睡", "无法休息", "影响休息", "分贝", "嘈杂", "闹",
    ].map { Array($0) }

    static func hasSoundWord(_ characters: [Character]) -> Bool {
        soundWords.contains { !RuleText.occurrences(of: $0, in: characters).isEmpty }
    }

    /// The leaf's triggers that fired at least once without a negation and without an exclusion in their clause;
    /// appends what was seen to `evidence`.
    func liveTriggers(
        of leaf: Leaf, in characters: [Character], clauses: [Int], evidence: inout [(offset: Int, text: String)]
    ) -> [TriggerPattern] {
        var excludedClauses: [Int: (offset: Int, phrase: String)] = [:]
        for exclusion in leaf.exclusions {
            for range in exclusion.matches(in: characters, clauses: clauses)
            where NegationCues.negation(before: range.lowerBound, in: characters, clauses: clauses) == nil {
                let clause = clauses[range.lowerBound]
                if excludedClauses[clause] == nil { excludedClauses[clause] = (range.lowerBound, exclusion.phrase) }
            }
        }
        var live: [TriggerPattern] = []
        for trigger in leaf.triggers {
            var fired = false
            for range in trigger.matches(in: characters, clauses: clauses) {
                let note = "\(trigger.phrase)→\(leaf.code)"
                if let cue = NegationCues.negation(before: range.lowerBound, in: characters, clauses: clauses) {
                    evidence.append((range.lowerBound, "negated \(cue):\(note)"))
                } else if let exclusion = excludedClauses[clauses[range.lowerBound]],
                    !Self.overlapsOnlyItself(exclusion, range: range, trigger: trigger)
                {
                    evidence.append((range.lowerBound, "excluded \(exclusion.phrase):\(note)"))
                } else if !fired {
                    fired = true
                    evidence.append((range.lowerBound, note))
                }
            }
            if fired { live.append(trigger) }
        }
        return live
    }

    /// Whether an exclusion found in the clause is this very trigger (a phrase listed as both): then it does not
    /// rule the trigger out.
    static func overlapsOnlyItself(
        _ exclusion: (offset: Int, phrase: String), range: Range<Int>, trigger: TriggerPattern
    ) -> Bool {
        exclusion.offset == range.lowerBound && exclusion.phrase == trigger.phrase
    }
}
