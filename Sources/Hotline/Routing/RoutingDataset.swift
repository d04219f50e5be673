import Foundation
import SwiftCSV

/// Reads messages labelled with the acting unit's kind from CSV: columns `text`, `unit_kind` (router labels,
/// ``RoutingTable/labels``) and optionally `noise_scenario` (``RoutingTable/noiseScenarios``, empty for rows that
/// are not noise complaints). Other columns are ignored.
public enum RoutingDataset {
    /// Parses CSV text (UTF-8 byte-order mark dropped; rows whose fields are all empty skipped).
    /// - Parameter csv: the whole document.
    /// - Returns: one example per data row, in file order; `noiseScenario` is nil when the column is absent or empty.
    /// - Throws: ``RoutingDatasetError``: `.emptyFile`, `.missingColumn` (with the header found), `.noRows`,
    ///   `.emptyText(row:)`, `.unknownUnitKind(row:value:)`, `.unknownNoiseScenario(row:value:)` with the 1-based
    ///   record number (header = 1), `.malformed` when the CSV cannot be parsed.
    public static func load(csv: String) throws -> (examples: [RouteExample], hasNoiseColumn: Bool) {
        guard !csv.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw RoutingDatasetError.emptyFile }
        let table: EnumeratedCSV
        do {
            table = try EnumeratedCSV(string: csv, delimiter: .comma, loadColumns: false)
        } catch let error as CSVParseError {
            switch error {
            case .generic(let message), .quotation(let message): throw RoutingDatasetError.malformed(reason: message)
            }
        }
        let header = table.header.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard let textIndex = header.firstIndex(of: "text") else {
            throw RoutingDatasetError.missingColumn(name: "text", found: header)
        }
        guard let kindIndex = header.firstIndex(of: "unit_kind") else {
            throw RoutingDatasetError.missingColumn(name: "unit_kind", found: header)
        }
        let noiseIndex = header.firstIndex(of: "noise_scenario")
        let labels = Set(RoutingTable.labels)
        let scenarios = Set(RoutingTable.noiseScenarios)
        var examples: [RouteExample] = []
        for (offset, row) in table.rows.enumerated() where !row.allSatisfy(\.isEmpty) {
            let field = { (index: Int) in
                row.indices.contains(index) ? row[index].trimmingCharacters(in: .whitespacesAndNewlines) : ""
            }
            let text = row.indices.contains(textIndex) ? row[textIndex] : ""
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw RoutingDatasetError.emptyText(row: offset + 2)
            }
            let kind = field(kindIndex)
            guard labels.contains(kind) else {
                throw RoutingDatasetError.unknownUnitKind(row: offset + 2, value: kind)
            }
            var scenario: String?
            if let noiseIndex, !field(noiseIndex).isEmpty {
                guard scenarios.contains(field(noiseIndex)) else {
                    throw RoutingDatasetError.unknownNoiseScenario(row: offset + 2, value: field(noiseIndex))
                }
                scenario = field(noiseIndex)
            }
            examples.append(RouteExample(text: text, unitKind: kind, noiseScenario: scenario))
        }
        guard !examples.isEmpty else { throw RoutingDatasetError.noRows }
        return (examples, noiseIndex != nil)
    }

    /// Parses a CSV of noise complaints with columns `text` and `noise_scenario` only (no unit labels), such as
    /// `Tests/HotlineTests/Data/noise_scenarios_read.csv`.
    /// - Returns: (text, scenario) per data row.
    /// - Throws: ``RoutingDatasetError`` as ``load(csv:)``, with `.missingColumn` for either column.
    public static func loadNoiseScenarios(csv: String) throws -> [(text: String, scenario: String)] {
        let table: EnumeratedCSV
        do {
            table = try EnumeratedCSV(string: csv, delimiter: .comma, loadColumns: false)
        } catch let error as CSVParseError {
            switch error {
            case .generic(let message), .quotation(let message): throw RoutingDatasetError.malformed(reason: message)
            }
        }
        let header = table.header.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard let textIndex = header.firstIndex(of: "text") else {
            throw RoutingDatasetError.missingColumn(name: "text", found: header)
        }
        guard let scenarioIndex = header.firstIndex(of: "noise_scenario") else {
            throw RoutingDatasetError.missingColumn(name: "noise_scenario", found: header)
        }
        let scenarios = Set(RoutingTable.noiseScenarios)
        return try table.rows.enumerated().filter { !$0.element.allSatisfy(\.isEmpty) }.map { offset, row in
            let scenario = row.indices.contains(scenarioIndex) ? row[scenarioIndex] : ""
            guard scenarios.contains(scenario) else {
                throw RoutingDatasetError.unknownNoiseScenario(row: offset + 2, value: scenario)
            }
            return (row.indices.contains(textIndex) ? row[textIndex] : "", scenario)
        }
    }

    /// Reads a UTF-8 file and parses it with ``load(csv:)``.
    /// - Throws: the file system's error when unreadable or not UTF-8, else as ``load(csv:)``.
    public static func load(contentsOf url: URL) throws -> (examples: [RouteExample], hasNoiseColumn: Bool) {
        try load(csv: String(contentsOf: url, encoding: .utf8))
    }
}

/// Why a routing CSV could not be read.
public enum RoutingDatasetError: Error, Equatable, Sendable, CustomStringConvertible {
    case emptyFile
    case missingColumn(name: String, found: [String])
    case noRows
    case emptyText(row: Int)
    case unknownUnitKind(row: Int, value: String)
    case unknownNoiseScenario(row: Int, value: String)
    case malformed(reason: String)

    /// One line naming the column, row and value.
    public var description: String {
        switch self {
        case .emptyFile: "the CSV file is empty: a header with text and unit_kind is required"
        case .missingColumn(let name, let found):
            "the CSV header has no column '\(name)' (found: \(found.joined(separator: ", "))); required: text, unit_kind; optional: noise_scenario"
        case .noRows: "the CSV file has a header but no data rows"
        case .emptyText(let row): "row \(row): text is empty"
        case .unknownUnitKind(let row, let value):
            "row \(row): unit_kind '\(value)' is not one of \(RoutingTable.labels.joined(separator: ", "))"
        case .unknownNoiseScenario(let row, let value):
            "row \(row): noise_scenario '\(value)' is not one of \(RoutingTable.noiseScenarios.joined(separator: ", ")) (or empty)"
        case .malformed(let reason): "the CSV file could not be parsed: \(reason)"
        }
    }
}
