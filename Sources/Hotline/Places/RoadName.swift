import Foundation
import SwiftCSV

/// A road name a city loads for place extraction, with the regions the road runs through.
///
/// Shanghai's gazetteer bundles districts and streets/towns only; roads are city data (a 路名 list from the
/// planning bureau or OpenStreetMap) loaded at start-up as CSV with columns `name,region_code`, one row per
/// (road, region) pair: 莲溪路 through 北蔡镇 and 花木街道 is two rows.
public struct RoadName: Codable, Sendable, Hashable {
    /// The road as written in addresses, e.g. `莲溪路`; at least 2 characters to be matched.
    public var name: String
    /// Codes of the regions (district, street/town or grid) the road runs through, in file order, each once.
    public var regionCodes: [String]

    /// Creates a road name.
    public init(name: String, regionCodes: [String]) {
        self.name = name
        self.regionCodes = regionCodes
    }

    /// Parses a `name,region_code` CSV (header row required, other columns ignored), merging rows of one road.
    /// - Parameter csv: the file's text, UTF-8, comma-separated.
    /// - Returns: one ``RoadName`` per distinct name, in order of first appearance.
    /// - Throws: ``RoadNameError/missingColumn(_:)`` when a header is absent, ``RoadNameError/emptyField(row:column:)``
    ///   for a row with an empty name or code (rows counted from 1 after the header), or SwiftCSV's parse error.
    public static func load(csv: String) throws -> [RoadName] {
        let table = try NamedCSV(string: csv, delimiter: .comma, loadColumns: false)
        for column in ["name", "region_code"] where !table.header.contains(column) {
            throw RoadNameError.missingColumn(column)
        }
        var order: [String] = []
        var codes: [String: [String]] = [:]
        for (index, row) in table.rows.enumerated() {
            let name = row["name"]?.trimmingCharacters(in: .whitespaces) ?? ""
            let code = row["region_code"]?.trimmingCharacters(in: .whitespaces) ?? ""
            guard !name.isEmpty else { throw RoadNameError.emptyField(row: index + 1, column: "name") }
            guard !code.isEmpty else { throw RoadNameError.emptyField(row: index + 1, column: "region_code") }
            if codes[name] == nil { order.append(name) }
            if !(codes[name]?.contains(code) ?? false) { codes[name, default: []].append(code) }
        }
        return order.map { RoadName(name: $0, regionCodes: codes[$0] ?? []) }
    }

    /// Reads and parses a `name,region_code` CSV file as ``load(csv:)`` does.
    /// - Throws: the file read error, or as ``load(csv:)``.
    public static func load(contentsOf url: URL) throws -> [RoadName] {
        try load(csv: String(contentsOf: url, encoding: .utf8))
    }
}

/// Why a road-name CSV was refused.
public enum RoadNameError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The header lacks a required column (`name` or `region_code`).
    case missingColumn(String)
    /// A data row (1-based, after the header) has an empty required field.
    case emptyField(row: Int, column: String)

    /// A one-line English explanation naming the row or column.
    public var description: String {
        switch self {
        case .missingColumn(let column): "road-name CSV has no '\(column)' column (expected name,region_code)"
        case .emptyField(let row, let column): "road-name CSV row \(row): '\(column)' is empty"
        }
    }
}
