import Hotline

extension RouteEvidence {
    /// What decided the suggestion in our words, a catalogue message: `route.rule` with the fine category (a code,
    /// named on pages) or `route.learned`.
    var message: Message {
        switch self {
        case .rule(let category, _): Message("route.rule", ["category": category])
        case .learned: Message("route.learned")
        }
    }

    /// The citizen's words it rests on, as typed: each rule trigger's words (``Hotline/CategoryMatch/evidence``:
    /// `装修→noise.renovation`, `negated 没有:施工→…` give `装修`, `没有:施工`), or the text model's n-grams.
    var citizenWords: [String] {
        switch self {
        case .rule(_, let triggers):
            triggers.map { String($0.split(separator: "→").first ?? "").replacingOccurrences(of: "negated ", with: "") }
                .filter { !$0.isEmpty }
        case .learned(let features): features
        }
    }

    /// The evidence of a triage record written before `evidence_message` (only its ``description`` is stored:
    /// `rule noise.construction (工地→noise.construction, 施工→…)` or `learned 工地 施工 …`), or nil for text in
    /// another form.
    init?(recorded: String) {
        if let match = recorded.wholeMatch(of: /rule ([a-z0-9_.]+)(?: \((.*)\))?/) {
            let triggers = (match.2.map(String.init) ?? "").split(separator: ", ").map(String.init)
            self = .rule(category: String(match.1), triggers: triggers)
        } else if recorded.hasPrefix("learned ") {
            self = .learned(features: recorded.dropFirst("learned ".count).split(separator: " ").map(String.init))
        } else {
            return nil
        }
    }
}
