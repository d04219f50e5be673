import Foundation
import Hotline

/// The teddy2020 training file, read from `../shared` beside the repository (as in CI); a missing file fails.
enum Corpus {
    static let url: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("shared/data/teddy2020_gov_messages/messages_labelled_train.csv")

    /// All 2,459 labelled messages.
    static func examples() throws -> [HotlineExample] {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw CorpusMissing(path: url.path)
        }
        return try HotlineDataset.load(contentsOf: url)
    }

    /// Every `step`-th example, for fast training in debug builds.
    static func sample(every step: Int) throws -> [HotlineExample] {
        try examples().enumerated().filter { $0.offset % step == 0 }.map(\.element)
    }

    struct CorpusMissing: Error, CustomStringConvertible {
        let path: String
        var description: String { "training corpus not found at \(path): ../shared must sit beside the repository" }
    }
}
