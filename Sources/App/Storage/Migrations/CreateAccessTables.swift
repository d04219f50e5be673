import Fluent

/// Operators, their session tokens and Open311 API keys.
struct CreateAccessTables: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Operator.schema)
            .id()
            .field("username", .string, .required)
            .field("password_hash", .string, .required)
            .field("unit_code", .string, .required, .references(UnitRow.schema, "code"))
            .field("role", .string, .required)
            .field("created_at", .datetime, .required)
            .field("disabled", .bool, .required)
            .unique(on: "username")
            .create()
        try await database.schema(SessionToken.schema)
            .id()
            .field("token_hash", .string, .required)
            .field("operator_id", .uuid, .required, .references(Operator.schema, .id, onDelete: .cascade))
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .unique(on: "token_hash")
            .create()
        try await database.schema(APIKey.schema)
            .id()
            .field("name", .string, .required)
            .field("key_hash", .string, .required)
            .field("created_at", .datetime, .required)
            .field("revoked", .bool, .required)
            .unique(on: "key_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(APIKey.schema).delete()
        try await database.schema(SessionToken.schema).delete()
        try await database.schema(Operator.schema).delete()
    }
}
