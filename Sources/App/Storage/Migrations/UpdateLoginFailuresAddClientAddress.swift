import Fluent
import SQLKit

/// The client address of each failed sign-in (`login_failures.client_address`), so that failures are counted per
/// username and address and per address (CityNet issue 9 §2 "Lock-out by anyone"). Rows written before it have
/// none and count only towards the per-username ceiling. Names are spelled out: this migration must never change
/// when the model does.
struct UpdateLoginFailuresAddClientAddress: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("login_failures").field("client_address", .string).update()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "login_failures_client_address_idx").on("login_failures")
                .column("client_address").column("at").run()
        }
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase {
            try await sql.drop(index: "login_failures_client_address_idx").run()
        }
        try await database.schema("login_failures").deleteField("client_address").update()
    }
}
