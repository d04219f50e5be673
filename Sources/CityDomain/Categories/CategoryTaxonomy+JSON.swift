import Foundation

extension CategoryTaxonomy {
    /// The file form: `{"version": 1, "categories": [ … ]}` with snake_case keys.
    private struct File: Codable {
        var version: Int
        var categories: [Category]
    }

    /// The default taxonomy bundled as `Resources/categories/categories.json` (sources in the PROVENANCE.md there).
    /// Parses on every call: keep the result.
    /// - Throws: ``RegionError/missingResource(_:)`` when the file is missing, else as ``decode(json:)``.
    public static func bundledDefault() throws -> CategoryTaxonomy {
        try decode(json: CityDomainBundledFile.data(folder: "categories", name: "categories.json"))
    }

    /// Decodes and validates a taxonomy from JSON with snake_case keys (`name_zh`, `responsible_kind`…).
    /// - Throws: ``CategoryError/invalidJSON(_:)`` for malformed JSON, or a validation ``CategoryError``.
    public static func decode(json: Data) throws -> CategoryTaxonomy {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let file: File
        do {
            file = try decoder.decode(File.self, from: json)
        } catch let error as DecodingError {
            throw CategoryError.invalidJSON(Self.describe(error))
        }
        return try CategoryTaxonomy(categories: file.categories)
    }

    /// Encodes the taxonomy in the form ``decode(json:)`` reads: snake_case keys, sorted, pretty-printed.
    public func encodedJSON() throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(File(version: 1, categories: all))
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context), .typeMismatch(_, let context), .valueNotFound(_, let context),
            .keyNotFound(_, let context):
            let path = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "at \(path): \(context.debugDescription)"
        @unknown default:
            return String(describing: error)
        }
    }
}
