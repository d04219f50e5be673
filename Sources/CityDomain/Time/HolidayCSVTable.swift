import Foundation
import SwiftCSV

/// The header and rows of a CSV text, parsed by SwiftCSV (fields trimmed of surrounding spaces).
struct HolidayCSVTable {
    let header: [String]
    let rows: [[String]]

    /// - Throws: SwiftCSV's `CSVParseError` for broken quoting.
    init(text: String) throws {
        let csv = try EnumeratedCSV(string: text, delimiter: .comma, loadColumns: false)
        header = csv.header.map { $0.trimmingCharacters(in: .whitespaces) }
        rows = csv.rows.map { $0.map { $0.trimmingCharacters(in: .whitespaces) } }
    }
}
