import Fluent
import SQLKit

/// Hotline triage: the report's channel and triage state and result, and the training examples operators'
/// corrections produce (CityNet hotline issue §1, §2).
struct CreateHotlineTables: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // SQLite adds one column per ALTER TABLE.
        for (name, type) in [
            ("channel", DatabaseSchema.DataType.string), ("triage_state", .string), ("triage", .string),
            ("theme", .string), ("confidence", .double), ("taken_by", .string), ("triaged_by", .string),
        ] {
            try await database.schema("reports").field(.string(name), type).update()
        }
        try await database.schema("hotline_examples")
            .field("id", .int, .identifier(auto: true))
            .field("created_at", .datetime, .required)
            .field("text", .string, .required)
            .field("theme", .string)
            .field("category_code", .string, .required)
            .field("model_theme", .string)
            .field("model_category_code", .string)
            .field("report_id", .int, .required)
            .field("actor", .string, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "reports_triage_state_idx").on("reports").column("triage_state").run()
        }
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase {
            try await sql.drop(index: "reports_triage_state_idx").run()
        }
        try await database.schema("hotline_examples").delete()
        for name in ["channel", "triage_state", "triage", "theme", "confidence", "taken_by", "triaged_by"] {
            try await database.schema("reports").deleteField(.string(name)).update()
        }
    }
}
