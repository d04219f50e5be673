import Hotline
import Testing

@Suite struct TextNormalizerTests {
    @Test func fullWidthBecomesHalfWidth() {
        #expect(TextNormalizer.normalize("ＡＢＣ１２３，（测试）！") == "abc123,(测试)!")
    }

    @Test func traditionalBecomesSimplified() {
        #expect(TextNormalizer.normalize("國際機場的環境衛生") == "国际机场的环境卫生")
        // Ambiguous characters stay as written.
        #expect(TextNormalizer.normalize("乾淨") == "乾净")
    }

    @Test func excelCarriageReturnArtefactsGo() {
        #expect(TextNormalizer.normalize("第一行_x000D_\n第二行") == "第一行第二行")
        #expect(TextNormalizer.normalize("a_x000D_b") == "a b")
        #expect(TextNormalizer.normalize("snake_case_x") == "snake_case_x")
    }

    @Test func whitespaceIsDroppedBetweenChineseAndCollapsedElsewhere() {
        #expect(TextNormalizer.normalize("  市\u{3000}政府 \t\n 门口 ") == "市政府门口")
        #expect(TextNormalizer.normalize("wi \u{00A0} fi") == "wi fi")
        #expect(TextNormalizer.normalize("K8县 冷江东路") == "k8县冷江东路")
    }

    @Test func punctuationMapsToAsciiAndRunsCollapse() {
        #expect(TextNormalizer.normalize("你好。请问、“为什么”！！！……") == "你好.请问,\"为什么\"!.")
        #expect(TextNormalizer.normalize("《条例》【通知】——") == "<条例>[通知]-")
    }

    @Test func controlAndFormatCharactersAreDropped() {
        #expect(TextNormalizer.normalize("a\u{0000}b\u{200B}c\u{FEFF}d\u{0007}") == "abcd")
        #expect(TextNormalizer.normalize("☺\u{FE0F}") == "☺")
    }

    @Test func emojiAndCombiningMarksStay() {
        #expect(TextNormalizer.normalize("e\u{0301} 🚒") == "e\u{0301} 🚒")
    }

    @Test func emptyAndBlankTextNormaliseToEmpty() {
        #expect(TextNormalizer.normalize("") == "")
        #expect(TextNormalizer.normalize(" \u{3000}\n\t_x000D_") == "")
    }

    @Test func normalisingTwiceChangesNothing() {
        let samples = ["ＡＢ  國際 _x000D_ 。。", "K8县南门街干净整洁了几天，又是老样子了", "a  b\u{200B}c"]
        for sample in samples {
            let once = TextNormalizer.normalize(sample)
            #expect(TextNormalizer.normalize(once) == once)
        }
    }
}
