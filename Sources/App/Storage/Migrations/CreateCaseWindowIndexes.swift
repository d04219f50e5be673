import Fluent
import SQLKit

/// Indexes for counting cases within a time window (issue #12 §4: the league by window, the trend charts): cases
/// received in a span by day and region, with their first and present unit; cases closed in a span by day and
/// region, with their unit and overall due instant. Each holds every column those counts read, so a window's count
/// reads the index entries of the window only (an index-only scan), however long the history.
struct CreateCaseWindowIndexes: AsyncMigration {
    static let indexes: [(name: String, columns: [String])] = [
        ("cases_created_window_idx", ["created_at", "region_code", "unit_code", "first_unit_code"]),
        ("cases_closed_window_idx", ["closed_at", "region_code", "unit_code", "due_at"]),
    ]

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for index in Self.indexes {
            var builder = sql.create(index: index.name).on("cases")
            for column in index.columns { builder = builder.column(column) }
            try await builder.run()
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for index in Self.indexes { try await sql.drop(index: index.name).run() }
    }
}
