import Fluent
import SQLKit

/// What each API key may do (`open311`, `hotline`). Keys made before scopes existed could do both, and keep that;
/// a row written without scopes from now on gets the narrower `open311`.
struct AddAPIKeyScopes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(APIKey.schema)
            .field("scopes", .string, .required, .sql(.default(APIKeyScope.open311.rawValue)))
            .update()
        if let sql = database as? any SQLDatabase {
            try await sql.update(APIKey.schema).set("scopes", to: APIKeyScope.format([.open311, .hotline])).run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(APIKey.schema).deleteField("scopes").update()
    }
}
