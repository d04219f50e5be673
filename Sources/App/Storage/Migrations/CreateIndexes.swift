import Fluent
import SQLKit

/// Indexes for the case desk's filters and the Open311 date queries, created through SQLKit so both SQLite and
/// PostgreSQL get the same ones.
struct CreateIndexes: AsyncMigration {
    static let indexes: [(name: String, table: String, columns: [String])] = [
        ("cases_state_idx", Case.schema, ["state"]),
        ("cases_region_idx", Case.schema, ["region_code"]),
        ("cases_unit_idx", Case.schema, ["unit_code"]),
        ("cases_category_idx", Case.schema, ["category_code"]),
        ("cases_escalate_idx", Case.schema, ["escalate_at"]),
        ("reports_received_idx", Report.schema, ["received_at"]),
        ("reports_case_idx", Report.schema, ["case_id"]),
        ("case_events_case_idx", CaseEvent.schema, ["case_id"]),
        ("case_events_at_idx", CaseEvent.schema, ["at"]),
        ("units_region_idx", UnitRow.schema, ["region_code"]),
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
