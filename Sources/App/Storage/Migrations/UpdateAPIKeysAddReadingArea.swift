import Fluent

/// The sensors a `readings` API key may send for (CityNet issue 11 §6): `unit:CODE` or `region:CODE`, null for
/// keys of other scopes. Names are spelled out: this migration must never change when the code does.
struct UpdateAPIKeysAddReadingArea: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("api_keys").field("reading_area", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("api_keys").deleteField("reading_area").update()
    }
}
