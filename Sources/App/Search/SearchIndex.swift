import CityDomain
import Foundation
import SQLKit

/// Keeps the search index (`search_grams`, `search_texts`; ``CreateSearchIndex``) in step with the reports, inside
/// the transaction that writes them.
///
/// Reports are the evidence every case is made of and are never edited: a case's description and address are its
/// first report's, merging and splitting move a report between cases without changing its text, and no console or
/// API action rewrites either text. So the index is written once, when a report is inserted (``IntakeRows``, the
/// one path every intake channel and ``HistorySeed`` takes), and a search reaches a report's case through
/// `reports.case_id` as it stands when the search runs.
enum SearchIndex {
    /// One report's searchable text.
    struct Entry: Sendable {
        var reportID: Int
        /// Normalised description and address joined by a space (a phrase never spans the two).
        var body: String
        var grams: [String]
        /// The reporter's phone digits (``CityDomain/SearchText/phoneDigits(_:)``), if any.
        var phone: String?

        init(reportID: Int, description: String?, address: String?, phone: String?) {
            self.reportID = reportID
            let description = SearchText.normalise(description ?? "")
            let address = SearchText.normalise(address ?? "")
            body = description + " " + address
            grams = Set(SearchText.grams(description) + SearchText.grams(address)).sorted()
            self.phone = phone.flatMap(SearchText.phoneDigits)
        }

        /// The entry of a stored report (`report.id` must be set).
        init(_ report: Report) {
            self.init(
                reportID: report.id ?? 0, description: report.description, address: report.address,
                phone: report.reporterPhone)
        }
    }

    /// Indexes `reports` (already inserted, ids set) inside the caller's transaction.
    /// - Throws: database errors.
    static func add(_ reports: [Report], on sql: any SQLDatabase) async throws {
        try await write(reports.map(Entry.init), on: sql)
    }

    /// Writes `entries` into the index, a few thousand rows a statement.
    /// - Throws: database errors (a report indexed twice violates the primary keys).
    static func write(_ entries: [Entry], on sql: any SQLDatabase) async throws {
        guard !entries.isEmpty else { return }
        for part in stride(from: 0, to: entries.count, by: 2_000) {
            var texts = sql.insert(into: "search_texts").columns("report_id", "body", "phone")
            for entry in entries[part..<min(entries.count, part + 2_000)] {
                texts = texts.values(SQLBind(entry.reportID), SQLBind(entry.body), IntakeRows.b(entry.phone))
            }
            try await texts.run()
        }
        let grams = entries.flatMap { entry in entry.grams.map { ($0, entry.reportID) } }
        for part in stride(from: 0, to: grams.count, by: 5_000) {
            var insert = sql.insert(into: "search_grams").columns("gram", "report_id")
            for (gram, id) in grams[part..<min(grams.count, part + 5_000)] {
                insert = insert.values(SQLBind(gram), SQLBind(id))
            }
            try await insert.run()
        }
    }

    /// Adds the index rows of `entries` to bulk literal inserts (``HistorySeed``).
    static func add(_ entry: Entry, texts: inout LiteralRows, grams: inout LiteralRows) {
        texts.add([texts.int(entry.reportID), texts.text(entry.body), texts.text(entry.phone)])
        for gram in entry.grams { grams.add([grams.text(gram), grams.int(entry.reportID)]) }
    }
}
