import Fluent

/// Once-only reuse with consent (issue #14 §2): an e-licence material names the held licence the citizen consented
/// to (`gov_materials.licence_id`, `consented_at`), and the data-access log says which department's operator read
/// what for which application (`gov_access_log.reader`, `reader_unit`, `application_id`). Names are spelled out:
/// this migration must never change when the models do.
struct UpdateGovForLicenceReuse: AsyncMigration {
    // One column a statement: SQLite's ALTER TABLE adds or drops a single column.
    static let columns: [(table: String, column: String, type: DatabaseSchema.DataType)] = [
        ("gov_materials", "licence_id", .uuid), ("gov_materials", "consented_at", .datetime),
        ("gov_access_log", "reader", .string), ("gov_access_log", "reader_unit", .string),
        ("gov_access_log", "application_id", .uuid),
    ]

    func prepare(on database: any Database) async throws {
        for column in Self.columns {
            try await database.schema(column.table).field(.string(column.column), column.type).update()
        }
    }

    func revert(on database: any Database) async throws {
        for column in Self.columns.reversed() {
            try await database.schema(column.table).deleteField(.string(column.column)).update()
        }
    }
}
