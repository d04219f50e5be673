import Fluent
import SQLKit

/// What each API key may do (`open311`, `hotline`). Keys made before scopes existed could do both, and keep that;
/// a row written without scopes from now on gets the narrower `open311`.
struct AddAPIKeyScopes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("api_keys")
            .field("scopes", .string, .required, .sql(.default("open311")))
            .update()
        if let sql = database as? any SQLDatabase {
            try await sql.update("api_keys").set("scopes", to: "open311,hotline").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("api_keys").deleteField("scopes").update()
    }
}
