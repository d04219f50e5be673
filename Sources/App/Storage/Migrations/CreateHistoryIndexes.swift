import Fluent
import SQLKit

/// Indexes that keep reads off the history (issue #17): the hotline's duplicate check reads only the cases of one
/// category and street opened within its window, and Open311's request list walks one channel's reports newest
/// first and stops at its limit.
struct CreateHistoryIndexes: AsyncMigration {
    static let indexes: [(name: String, table: String, columns: [String])] = [
        ("cases_duplicate_idx", "cases", ["category_code", "region_code", "created_at"]),
        ("reports_source_received_idx", "reports", ["source", "received_at", "id"]),
    ]

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for index in Self.indexes {
            var builder = sql.create(index: index.name).on(index.table)
            for column in index.columns { builder = builder.column(column) }
            try await builder.run()
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for index in Self.indexes { try await sql.drop(index: index.name).run() }
    }
}
