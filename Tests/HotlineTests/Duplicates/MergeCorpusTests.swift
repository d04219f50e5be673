import Foundation
import Hotline
import SwiftCSV
import Testing

/// Pairs from the Teddy Cup hotspot messages read in MERGE-EVALUATION.md: merged ones stay above the default
/// threshold, different incidents stay below it.
struct MergeCorpusTests {
    static func messages() throws -> [Int: String] {
        // Tests/HotlineTests/Duplicates/MergeCorpusTests.swift → repository root → ../shared/data/…
        let root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
            .deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let url = root.appendingPathComponent(
            "../shared/data/teddy2020_gov_messages/hotspot_messages_full4326_fujian3.csv"
        )
        .standardizedFileURL
        let csv = try NamedCSV(url: url, delimiter: .comma, loadColumns: false)
        var texts: [Int: String] = [:]
        for row in csv.rows {
            if let id = Int(row["message_id"] ?? "") { texts[id] = (row["title"] ?? "") + "\n" + (row["detail"] ?? "") }
        }
        return texts
    }

    @Test func evaluatedPairsKeepTheirSide() throws {
        let texts = try Self.messages()
        #expect(texts.count == 4310)
        let measure = DuplicateTextSimilarity()
        let threshold = DuplicateDetector.textOnlySimilarity
        for (a, b) in [(265914, 244762), (191440, 199605), (285897, 218709), (242117, 247880), (256358, 233542)] {
            let s = measure.similarity(try #require(texts[a]), try #require(texts[b]))
            #expect(s >= threshold, "\(a)/\(b) = \(s)")
        }
        for (a, b) in [(259406, 287532), (264198, 213195), (222919, 218303), (236378, 261570)] {
            let s = measure.similarity(try #require(texts[a]), try #require(texts[b]))
            #expect(s < threshold, "\(a)/\(b) = \(s)")
        }
    }
}
