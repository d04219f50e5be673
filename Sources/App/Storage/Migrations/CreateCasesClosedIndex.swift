import Fluent
import SQLKit

/// An index on the instant cases closed (issue #17): the on-time closure indicator and the open-cases trend read
/// only the cases closed within their window, however long the history.
struct CreateCasesClosedIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "cases_closed_idx").on("cases").column("closed_at").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "cases_closed_idx").run()
    }
}
