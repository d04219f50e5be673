/// Why a labelled CSV could not be read as hotline examples.
public enum HotlineDatasetError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file holds no header row at all (empty or whitespace only).
    case emptyFile
    /// The header lacks a required column; `found` lists the header as read.
    case missingColumn(name: String, found: [String])
    /// The header is there but no data row follows.
    case noRows
    /// A data row has an empty label; `row` is the 1-based line number of the row in the file (header = 1).
    case emptyLabel(row: Int)
    /// The CSV could not be parsed (unbalanced quotes and the like); `reason` is SwiftCSV's message.
    case malformed(reason: String)

    /// A one-line English explanation naming the column or row.
    public var description: String {
        switch self {
        case .emptyFile: "the CSV file is empty: a header with label_level1 and text is required"
        case .missingColumn(let name, let found):
            "the CSV header has no column '\(name)' (found: \(found.joined(separator: ", ")))"
        case .noRows: "the CSV file has a header but no data rows"
        case .emptyLabel(let row): "row \(row): label_level1 is empty"
        case .malformed(let reason): "the CSV file could not be parsed: \(reason)"
        }
    }
}
