import Foundation
import Hotline
import Testing

@Suite struct HotlineDatasetTests {
    @Test func readsTheTrainingFile() throws {
        let examples = try Corpus.examples()
        #expect(examples.count == (Corpus.isFull ? 2459 : 410))
        #expect(Set(examples.map(\.label)).count == 7)
        #expect(examples.filter { $0.label == "城乡建设" }.count == (Corpus.isFull ? 542 : 87))
        #expect(examples.filter { $0.label == "交通运输" }.count == (Corpus.isFull ? 164 : 20))
    }

    @Test(.enabled(if: Corpus.isFull, "needs ../shared/data/teddy2020_gov_messages beside the repository"))
    func theShippedSliceIsEverySixthMessageOfTheFullFile() throws {
        let full = try Corpus.examples()
        #expect(try Corpus.slice() == full.enumerated().filter { $0.offset % 6 == 0 }.map(\.element))
    }

    @Test func ignoresOtherColumnsAndHandlesQuotes() throws {
        let csv = "id,text,label_level1\n1,\"你好，\"\"世界\"\"\n第二行\",教育文体\n2,路灯坏了, 城乡建设 \n,,\n"
        let examples = try HotlineDataset.load(csv: csv)
        #expect(
            examples == [
                HotlineExample(label: "教育文体", text: "你好，\"世界\"\n第二行"),
                HotlineExample(label: "城乡建设", text: "路灯坏了"),
            ])
    }

    @Test func namesTheMissingColumn() {
        #expect(throws: HotlineDatasetError.missingColumn(name: "text", found: ["id", "label_level1"])) {
            try HotlineDataset.load(csv: "id,label_level1\n1,教育文体\n")
        }
        #expect(throws: HotlineDatasetError.missingColumn(name: "label_level1", found: ["text"])) {
            try HotlineDataset.load(csv: "text\n你好\n")
        }
    }

    @Test func refusesEmptyFilesAndHeaderOnlyFiles() {
        #expect(throws: HotlineDatasetError.emptyFile) { try HotlineDataset.load(csv: "") }
        #expect(throws: HotlineDatasetError.emptyFile) { try HotlineDataset.load(csv: " \n\n") }
        #expect(throws: HotlineDatasetError.noRows) { try HotlineDataset.load(csv: "label_level1,text\n") }
    }

    @Test func givesTheRowOfAnEmptyLabel() {
        let csv = "label_level1,text\n教育文体,学校\n ,没有标签\n"
        #expect(throws: HotlineDatasetError.emptyLabel(row: 3)) { try HotlineDataset.load(csv: csv) }
        #expect(HotlineDatasetError.emptyLabel(row: 3).description == "row 3: label_level1 is empty")
    }
}
