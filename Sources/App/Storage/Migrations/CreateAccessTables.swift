import Fluent

/// Operators, their session tokens and Open311 API keys.
struct CreateAccessTables: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("operators")
            .field("id", .uuid, .identifier(auto: false))
            .field("username", .string, .required)
            .field("password_hash", .string, .required)
            .field("unit_code", .string, .required, .references("units", "code"))
            .field("role", .string, .required)
            .field("created_at", .datetime, .required)
            .field("disabled", .bool, .required)
            .unique(on: "username")
            .create()
        try await database.schema("session_tokens")
            .field("id", .uuid, .identifier(auto: false))
            .field("token_hash", .string, .required)
            .field("operator_id", .uuid, .required, .references("operators", "id", onDelete: .cascade))
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .unique(on: "token_hash")
            .create()
        try await database.schema("api_keys")
            .field("id", .uuid, .identifier(auto: false))
            .field("name", .string, .required)
            .field("key_hash", .string, .required)
            .field("created_at", .datetime, .required)
            .field("revoked", .bool, .required)
            .unique(on: "key_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("api_keys").delete()
        try await database.schema("session_tokens").delete()
        try await database.schema("operators").delete()
    }
}
