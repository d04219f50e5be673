import Fluent
import SQLKit

/// What each API key may do (`open311`, `hotline`). Keys made before scopes existed could do both, and keep that.
struct AddAPIKeyScopes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(APIKey.schema)
            .field("scopes", .string, .required, .sql(.default("open311,hotline")))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(APIKey.schema).deleteField("scopes").update()
    }
}
