import Fluent
import SQLKit

/// Indexes for the case desk's filters and the Open311 date queries, created through SQLKit so both SQLite and
/// PostgreSQL get the same ones.
struct CreateIndexes: AsyncMigration {
    static let indexes: [(name: String, table: String, columns: [String])] = [
        ("cases_state_idx", "cases", ["state"]),
        ("cases_region_idx", "cases", ["region_code"]),
        ("cases_unit_idx", "cases", ["unit_code"]),
        ("cases_category_idx", "cases", ["category_code"]),
        ("cases_escalate_idx", "cases", ["escalate_at"]),
        ("reports_received_idx", "reports", ["received_at"]),
        ("reports_case_idx", "reports", ["case_id"]),
        ("case_events_case_idx", "case_events", ["case_id"]),
        ("case_events_at_idx", "case_events", ["at"]),
        ("units_region_idx", "units", ["region_code"]),
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
        for index in Self.indexes {
            try await sql.drop(index: index.name).run()
        }
    }
}
