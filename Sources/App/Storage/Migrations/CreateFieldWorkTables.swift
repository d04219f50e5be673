import Fluent
import SQLKit

/// Field work on cases (CityNet console issue §3): the grid worker a case is assigned to, and the photos sent
/// with actions.
struct CreateFieldWorkTables: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("cases").field("assignee", .string).update()
        try await database.schema("case_photos")
            .field("id", .uuid, .identifier(auto: false))
            .field("case_id", .int, .required)
            .field("event_id", .int, .required)
            .field("position", .int, .required)
            .field("created_at", .datetime, .required)
            .field("content_type", .string, .required)
            .field("byte_count", .int, .required)
            .field("sha256", .string, .required)
            .field("data", .data, .required)
            .field("uploaded_by", .string, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "cases_assignee_idx").on("cases").column("assignee").run()
            try await sql.create(index: "case_photos_case_idx").on("case_photos").column("case_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase {
            try await sql.drop(index: "case_photos_case_idx").run()
            try await sql.drop(index: "cases_assignee_idx").run()
        }
        try await database.schema("case_photos").delete()
        try await database.schema("cases").deleteField("assignee").update()
    }
}
