import Foundation

/// The router file is JSON: `format` `"citynet.hotline.router"`, `version` 1, `rule_weight`, `threshold`,
/// `category_priors` (category code → label → probability) and `model` (a ``HotlineModel`` file's content).
/// The routing table is not stored: it is data in force (`routing.json`).
extension UnitRouter {
    /// Value of the file's `format` key.
    public static let fileFormat = "citynet.hotline.router"

    struct File: Codable {
        var format: String
        var version: Int
        var ruleWeight: Double
        var threshold: Double
        var categoryPriors: [String: [String: Double]]
        var model: HotlineModel

        enum CodingKeys: String, CodingKey {
            case format, version, threshold, model
            case ruleWeight = "rule_weight"
            case categoryPriors = "category_priors"
        }
    }

    /// Writes the router, atomically.
    /// - Parameter url: a file URL; an existing file is replaced.
    /// - Throws: encoding or file-system errors.
    public func save(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let file = File(
            format: Self.fileFormat, version: 1, ruleWeight: ruleWeight, threshold: threshold,
            categoryPriors: categoryPriors, model: model)
        try encoder.encode(file).write(to: url, options: .atomic)
    }

    /// Reads a router written by ``save(to:)``.
    /// - Parameters:
    ///   - url: a file URL.
    ///   - table: the routing table in force.
    /// - Throws: the file system's error; `DecodingError` when the file is not a router file of this format.
    public static func load(from url: URL, table: RoutingTable) throws -> UnitRouter {
        let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: url))
        guard file.format == fileFormat, file.version == 1 else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: [],
                    debugDescription: "not a \(fileFormat) version 1 file: \(file.format) \(file.version)"))
        }
        return UnitRouter(
            model: file.model, categoryPriors: file.categoryPriors, table: table, ruleWeight: file.ruleWeight,
            threshold: file.threshold)
    }

    /// The router shipped in `Sources/Hotline/Resources/router-model.json` (trained on
    /// `Tests/HotlineTests/Data/routing_unit_labels.csv`; figures in `Resources/ROUTING.md`) with the bundled
    /// routing table. Load once at start (about 0.1 s).
    /// - Throws: `CocoaError(.fileNoSuchFile)` when a resource is missing, else as ``load(from:table:)``.
    public static func bundledDefault() throws -> UnitRouter {
        guard
            let url = Bundle.module.url(forResource: "router-model", withExtension: "json", subdirectory: "Resources")
        else { throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Resources/router-model.json"]) }
        return try load(from: url, table: RoutingTable.bundledDefault())
    }
}
