import Foundation
import Hotline
import SwiftCSV
import Testing

/// Pairs from the Teddy Cup hotspot messages read in MERGE-EVALUATION.md: merged ones stay above the default
/// threshold, different incidents stay below it.
struct MergeCorpusTests {
    static let fullURL = Corpus.sharedFolder.appendingPathComponent("hotspot_messages_full4326_fujian3.csv")
    static let pairsURL = Corpus.repository.appendingPathComponent("Tests/HotlineTests/Data/hotspot_merge_pairs.csv")

    /// Title and detail by message id, from the full hotspot file or the shipped 18-message slice.
    static func messages(at url: URL) throws -> [Int: String] {
        let csv = try NamedCSV(url: url, delimiter: .comma, loadColumns: false)
        var texts: [Int: String] = [:]
        for row in csv.rows {
            if let id = Int(row["message_id"] ?? "") { texts[id] = (row["title"] ?? "") + "\n" + (row["detail"] ?? "") }
        }
        return texts
    }

    @Test(.enabled(if: Corpus.isFull, "needs ../shared/data/teddy2020_gov_messages beside the repository"))
    func theShippedPairsAreTheFullFilesMessages() throws {
        let full = try Self.messages(at: Self.fullURL)
        #expect(full.count == 4310)
        let pairs = try Self.messages(at: Self.pairsURL)
        #expect(pairs.count == 18)
        for (id, text) in pairs { #expect(full[id] == text, "message \(id)") }
    }

    @Test func evaluatedPairsKeepTheirSide() throws {
        let texts = try Self.messages(at: Self.pairsURL)
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
