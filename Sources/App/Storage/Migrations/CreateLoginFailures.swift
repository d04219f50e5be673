import Fluent
import SQLKit

/// Failed sign-ins, for throttling password guessing (CityNet console issue §4).
struct CreateLoginFailures: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(LoginFailure.schema)
            .id()
            .field("username", .string, .required)
            .field("at", .datetime, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "login_failures_username_idx").on(LoginFailure.schema).column("username")
                .column("at").run()
            try await sql.create(index: "login_failures_at_idx").on(LoginFailure.schema).column("at").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(LoginFailure.schema).delete()
    }
}
