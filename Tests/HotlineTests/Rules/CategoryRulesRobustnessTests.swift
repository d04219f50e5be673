import Hotline
import Testing

/// Property test: any Unicode input gives a well-formed match and never crashes.
struct CategoryRulesRobustnessTests {
    @Test func arbitraryUnicodeNeverBreaksTheRules() {
        var generator = ArbitraryUnicode(seed: 12345)
        let codes = Set(RulesFixture.taxonomy.dispatchable.map(\.code))
        for _ in 0..<400 {
            let text = generator.string(maxLength: 60)
            let match = RulesFixture.rules.match(text, themeScores: [("环境保护", 0.7), ("城乡建设", 0.3)])
            #expect(match.confidence >= 0 && match.confidence <= 1)
            #expect(match.best == match.candidates.first?.code)
            #expect(match.candidates.allSatisfy { codes.contains($0.code) && $0.score > 0 && $0.score.isFinite })
            #expect(zip(match.candidates, match.candidates.dropFirst()).allSatisfy { $0.score >= $1.score })
        }
    }

    @Test func hugeAndDegenerateInputs() {
        let huge = String(repeating: "不是楼上装修🙂\u{0301}是工地…", count: 50_000)
        #expect(RulesFixture.rules.match(huge, themeScores: []).best != nil)
        for text in ["", " ", "\u{0000}", "\u{0301}", "…", "……", "不是", String(repeating: "\u{0301}", count: 10_000)] {
            #expect(RulesFixture.rules.match(text, themeScores: []).best == nil)
        }
    }
}
