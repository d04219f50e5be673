import Fluent
import SQLKit

/// Failed sign-ins, for throttling password guessing (CityNet console issue §4).
struct CreateLoginFailures: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("login_failures")
            .field("id", .uuid, .identifier(auto: false))
            .field("username", .string, .required)
            .field("at", .datetime, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "login_failures_username_idx").on("login_failures").column("username")
                .column("at").run()
            try await sql.create(index: "login_failures_at_idx").on("login_failures").column("at").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("login_failures").delete()
    }
}
