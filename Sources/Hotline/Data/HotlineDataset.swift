import Foundation
import SwiftCSV

/// Reads labelled hotline messages from CSV (the layout of `shared/data/teddy2020_gov_messages`).
public enum HotlineDataset {
    /// Name of the label column (一级标签) in the teddy2020 CSV files.
    public static let labelColumn = "label_level1"
    /// Name of the text column (留言主题 followed by 留言详情) in the teddy2020 CSV files.
    public static let textColumn = "text"

    /// Parses CSV text with a header row into examples, in file order.
    ///
    /// Only the `label_level1` and `text` columns are read; any others (such as `id`) are ignored, and so are rows
    /// whose fields are all empty. Parsing is done by SwiftCSV with a comma delimiter; a UTF-8 byte-order mark is
    /// dropped. Labels are trimmed of surrounding whitespace; texts are kept verbatim (normalisation happens in
    /// the model).
    /// - Parameter csv: the whole CSV document as a string (not a path; see ``load(contentsOf:)``).
    /// - Returns: one ``HotlineExample`` per data row.
    /// - Throws: ``HotlineDatasetError``: `.emptyFile` when there is no header, `.missingColumn` naming the absent
    ///   column and the header found, `.noRows` for a header alone, `.emptyLabel(row:)` with the 1-based record
    ///   number (header = 1; equals the line number unless a quoted field spans lines), `.malformed` when SwiftCSV
    ///   cannot parse the text.
    public static func load(csv: String) throws -> [HotlineExample] {
        guard !csv.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw HotlineDatasetError.emptyFile }
        let table: EnumeratedCSV
        do {
            table = try EnumeratedCSV(string: csv, delimiter: .comma, loadColumns: false)
        } catch let error as CSVParseError {
            switch error {
            case .generic(let message), .quotation(let message): throw HotlineDatasetError.malformed(reason: message)
            }
        }
        let header = table.header.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard let labelIndex = header.firstIndex(of: labelColumn) else {
            throw HotlineDatasetError.missingColumn(name: labelColumn, found: header)
        }
        guard let textIndex = header.firstIndex(of: textColumn) else {
            throw HotlineDatasetError.missingColumn(name: textColumn, found: header)
        }
        var examples: [HotlineExample] = []
        examples.reserveCapacity(table.rows.count)
        for (offset, row) in table.rows.enumerated() where !row.allSatisfy(\.isEmpty) {
            let label = row.indices.contains(labelIndex) ? row[labelIndex] : ""
            let text = row.indices.contains(textIndex) ? row[textIndex] : ""
            let trimmed = label.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { throw HotlineDatasetError.emptyLabel(row: offset + 2) }
            examples.append(HotlineExample(label: trimmed, text: text))
        }
        guard !examples.isEmpty else { throw HotlineDatasetError.noRows }
        return examples
    }

    /// Reads a UTF-8 CSV file and parses it with ``load(csv:)``.
    /// - Parameter url: a file URL.
    /// - Throws: the file system's error when the file cannot be read or is not UTF-8, else as ``load(csv:)``.
    public static func load(contentsOf url: URL) throws -> [HotlineExample] {
        try load(csv: String(contentsOf: url, encoding: .utf8))
    }
}
