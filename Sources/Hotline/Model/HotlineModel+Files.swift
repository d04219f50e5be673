import Foundation

extension HotlineModel {
    /// Writes the model as JSON (layout in `HotlineModel+Codable.swift`), atomically.
    /// - Parameter url: a file URL; an existing file is replaced.
    /// - Throws: encoding or file-system errors.
    public func save(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(self).write(to: url, options: .atomic)
    }

    /// Reads a model written by ``save(to:)``.
    /// - Parameter url: a file URL.
    /// - Throws: the file system's error when unreadable; `DecodingError` when the file is not a model of this
    ///   format and version.
    public static func load(from url: URL) throws -> HotlineModel {
        try JSONDecoder().decode(HotlineModel.self, from: Data(contentsOf: url))
    }

    /// Name of the default model inside the module's `Resources` folder.
    public static let bundledResourceName = "hotline-model.json"

    /// The default model shipped in `Sources/Hotline/Resources` (trained on the 2,459 teddy2020 training
    /// messages with the default options; figures in `Resources/PROVENANCE.md`). Each call reads the file
    /// (about 0.1 s), so load once at start and keep it.
    /// - Throws: `CocoaError(.fileNoSuchFile)` when the resource is missing, else as ``load(from:)``.
    public static func bundledDefault() throws -> HotlineModel {
        guard
            let url = Bundle.module.url(
                forResource: "hotline-model", withExtension: "json", subdirectory: "Resources")
        else { throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Resources/\(bundledResourceName)"]) }
        return try load(from: url)
    }
}
