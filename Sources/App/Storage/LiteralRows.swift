import Foundation
import SQLKit

/// Multi-row inserts spelled as SQL literals, for bulk loads (``HistorySeed``) where binding millions of values one
/// by one through SQLKit would cost more than the database's own work. Values are rendered for the database's
/// dialect exactly as the drivers store them: SQLite keeps dates as seconds since 1970 (a `REAL`, as SQLiteNIO
/// writes a `Date`) and booleans as 0/1; PostgreSQL gets `timestamptz` and `boolean` literals. Text is quoted with
/// doubled single quotes (standard SQL; PostgreSQL's `standard_conforming_strings` is on by default since 9.1).
struct LiteralRows {
    /// The two SQL dialects CityNet runs on.
    enum Dialect: Sendable {
        case sqlite, postgres

        /// The dialect of `sql` (anything not PostgreSQL is taken for SQLite).
        init(_ sql: any SQLDatabase) {
            self = sql.dialect.name == "postgresql" ? .postgres : .sqlite
        }

        /// ⌊`value`⌋ as an integer column, for bucketing (map cells, days): `floor` on PostgreSQL; SQLite (built
        /// without its math functions) truncates after a shift of 2²⁰, which is the floor for every value above
        /// −1,048,576.
        func floor(_ value: SQLQueryString) -> SQLQueryString {
            switch self {
            case .postgres: return "CAST(floor(\(value)) AS BIGINT)"
            case .sqlite: return "(CAST((\(value)) + 1048576 AS INTEGER) - 1048576)"
            }
        }
    }

    let table: String
    let columns: [String]
    let dialect: Dialect
    /// Rows rendered so far, each `(v1,v2,…)`.
    private(set) var rows: [String] = []

    init(table: String, columns: [String], dialect: Dialect) {
        self.table = table
        self.columns = columns
        self.dialect = dialect
    }

    /// Adds one row of already rendered values (``text(_:)``, ``int(_:)``, …) in the order of ``columns``.
    mutating func add(_ values: [String]) {
        precondition(values.count == columns.count, "\(table): \(values.count) values for \(columns.count) columns")
        rows.append("(" + values.joined(separator: ",") + ")")
    }

    /// Inserts the rows added, `perStatement` rows a statement, inside the caller's transaction, and forgets them.
    mutating func flush(on sql: any SQLDatabase, perStatement: Int = 500) async throws {
        let head = "INSERT INTO \"\(table)\" (" + columns.map { "\"\($0)\"" }.joined(separator: ",") + ") VALUES "
        var start = 0
        while start < rows.count {
            let end = min(rows.count, start + perStatement)
            let statement = head + rows[start..<end].joined(separator: ",")
            try await sql.raw("\(unsafeRaw: statement)").run()
            start = end
        }
        rows.removeAll(keepingCapacity: true)
    }

    /// A text value, or NULL.
    func text(_ value: String?) -> String {
        guard let value else { return "NULL" }
        return "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// An integer, or NULL.
    func int(_ value: Int?) -> String { value.map(String.init) ?? "NULL" }

    /// A double, or NULL.
    func double(_ value: Double?) -> String { value.map { "\($0)" } ?? "NULL" }

    /// A boolean as the dialect stores it.
    func bool(_ value: Bool) -> String {
        switch dialect {
        case .sqlite: value ? "1" : "0"
        case .postgres: value ? "true" : "false"
        }
    }

    /// An instant at whole microseconds (``Timestamps/stored(_:)``) as the dialect stores it, or NULL.
    func date(_ value: Date?) -> String {
        guard let value else { return "NULL" }
        let stored = Timestamps.stored(value)
        switch dialect {
        case .sqlite:
            return "\(stored.timeIntervalSince1970)"
        case .postgres:
            let micros = Int64((stored.timeIntervalSince1970 * 1_000_000).rounded())
            var seconds = time_t(micros.quotient(dividingBy: 1_000_000))
            let fraction = micros - Int64(seconds) * 1_000_000
            var parts = tm()
            gmtime_r(&seconds, &parts)
            return String(
                format: "'%04d-%02d-%02d %02d:%02d:%02d.%06lld+00'", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), fraction)
        }
    }
}

extension Int64 {
    /// Division rounding towards minus infinity (dates before 1970 stay in the right second).
    fileprivate func quotient(dividingBy divisor: Int64) -> Int64 {
        let q = self / divisor
        return (self % divisor < 0) ? q - 1 : q
    }
}
