import Foundation
import Hotline

/// The labelled Teddy Cup messages: the full training file from `../shared` beside the repository when it is there
/// (as in CI), else the every-6th-row slice shipped in `Tests/HotlineTests/Data` (see its PROVENANCE.md), so that
/// `swift test` also runs on a bare clone.
enum Corpus {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    /// `../shared/data/teddy2020_gov_messages/` beside the repository.
    static let sharedFolder = repository.deletingLastPathComponent()
        .appendingPathComponent("shared/data/teddy2020_gov_messages")
    static let fullURL = sharedFolder.appendingPathComponent("messages_labelled_train.csv")
    static let sliceURL = repository.appendingPathComponent("Tests/HotlineTests/Data/messages_labelled_every6th.csv")

    /// Whether the full 2,459-message file is beside the repository.
    static var isFull: Bool { FileManager.default.fileExists(atPath: fullURL.path) }
    /// The file ``examples()`` reads.
    static var url: URL { isFull ? fullURL : sliceURL }

    /// All 2,459 labelled messages, or the 410 of the shipped slice without `../shared`.
    static func examples() throws -> [HotlineExample] { try HotlineDataset.load(contentsOf: url) }

    /// The shipped slice: every 6th labelled message (410).
    static func slice() throws -> [HotlineExample] { try HotlineDataset.load(contentsOf: sliceURL) }

    /// Every 6th example, for fast training in debug builds: the same 410 messages with or without `../shared`.
    static func everySixth() throws -> [HotlineExample] {
        guard isFull else { return try slice() }
        return try examples().enumerated().filter { $0.offset % 6 == 0 }.map(\.element)
    }
}
