import Foundation
import Hotline
import Testing

/// Property tests: arbitrary Unicode never crashes the normaliser or the classifier, and the outputs stay sane.
@Suite struct RobustnessTests {
    /// SplitMix64, so the random strings are the same on every run.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9e37_79b9_7f4a_7c15
            var z = state
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            return z ^ (z >> 31)
        }
    }

    /// A random scalar from a mix of ranges: ASCII and controls, combining marks, CJK, full-width forms,
    /// format characters, emoji, supplementary planes and anything valid.
    static func randomScalar(_ generator: inout Generator) -> Unicode.Scalar {
        let ranges: [ClosedRange<UInt32>] = [
            0x00...0x7F, 0x80...0x9F, 0x0300...0x036F, 0x4E00...0x9FFF, 0xFF00...0xFFEF, 0x2000...0x206F,
            0xFE00...0xFE0F, 0x1F300...0x1FAFF, 0x20000...0x2A6DF, 0xE0000...0xE01EF, 0x0...0x10FFFF,
        ]
        while true {
            let range = ranges[Int.random(in: 0..<ranges.count, using: &generator)]
            if let scalar = Unicode.Scalar(UInt32.random(in: range, using: &generator)) { return scalar }
        }
    }

    static func randomString(_ generator: inout Generator, length: Int) -> String {
        var view = String.UnicodeScalarView()
        for _ in 0..<length { view.append(randomScalar(&generator)) }
        if Bool.random(using: &generator) { view.append(contentsOf: "_x000D_".unicodeScalars) }
        return String(view)
    }

    static let model: HotlineModel = try! HotlineModel.train(Fixtures.examples, options: Fixtures.quickOptions)

    static func check(_ result: HotlineClassification, labels: Int) {
        #expect(result.ranked.count == labels)
        let sum = result.ranked.map(\.score).reduce(0, +)
        #expect(abs(sum - 1) < 1e-9)
        #expect(result.ranked.allSatisfy { $0.score.isFinite && $0.score >= 0 && $0.score <= 1 })
        #expect(result.confidence.isFinite)
        #expect(result.explanation.allSatisfy { $0.weight.isFinite })
    }

    @Test func randomUnicodeNeverBreaksAnything() {
        var generator = Generator(state: 2024)
        for round in 0..<300 {
            let text = Self.randomString(&generator, length: round % 60)
            let normalized = TextNormalizer.normalize(text)
            #expect(TextNormalizer.normalize(normalized) == normalized)
            #expect(normalized.unicodeScalars.count <= text.unicodeScalars.count)
            Self.check(Self.model.classify(text, topK: 3), labels: 3)
        }
    }

    @Test func hugeAndDegenerateStrings() {
        var generator = Generator(state: 7)
        let huge = Self.randomString(&generator, length: 200_000)
        let cases = [
            huge, String(repeating: "学", count: 100_000), String(repeating: "\u{0301}", count: 10_000),
            String(repeating: "_x000D_", count: 5_000), String(repeating: "👨‍👩‍👧‍👦", count: 2_000), "\u{0}", "_x", "_xZZZZ_",
        ]
        for text in cases {
            _ = TextNormalizer.normalize(text)
            Self.check(Self.model.classify(text, topK: 3), labels: 3)
        }
    }
}
