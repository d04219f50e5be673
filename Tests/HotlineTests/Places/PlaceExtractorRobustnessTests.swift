import Hotline
import Testing

/// Property test: any Unicode input gives a consistent result and never crashes.
struct PlaceExtractorRobustnessTests {
    @Test func arbitraryUnicodeNeverBreaksExtraction() {
        var generator = ArbitraryUnicode(seed: 4_310)
        let extractor = PlaceExtractorTests.withRoads
        for _ in 0..<400 {
            let result = extractor.extract(generator.string(maxLength: 60))
            if let code = result.regionCode { #expect(PlaceExtractorTests.hierarchy[code] != nil) }
            #expect(result.candidates.allSatisfy { PlaceExtractorTests.hierarchy[$0] != nil })
            #expect(result.candidates == result.candidates.sorted())
            #expect(zip(result.mentions, result.mentions.dropFirst()).allSatisfy { $0.offset < $1.offset })
        }
    }

    @Test func hugeAndDegenerateInputs() {
        let huge = String(repeating: "浦东新区北蔡镇🙂\u{0301}虹桥路\u{0000}", count: 50_000)
        #expect(PlaceExtractorTests.withRoads.extract(huge).mentions.isEmpty == false)
        for text in ["", "\u{0301}浦东", "浦\u{0301}东", "\u{FEFF}", String(repeating: "区", count: 20_000)] {
            _ = PlaceExtractorTests.withRoads.extract(text)
        }
    }
}
