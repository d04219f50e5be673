import Fluent
import Foundation
import SQLKit

/// E-licences (issue #14 §1): the licences approvals issue, and the status lists (revocation bitstrings) whose next
/// free index each new licence takes. The first list, `citynet-1`, is created here.
struct CreateLicenceTables: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("gov_licence_status_lists")
            .field("id", .string, .identifier(auto: false))
            .field("next_index", .int, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema("gov_licences")
            .field("id", .uuid, .identifier(auto: false))
            .field("number", .string, .required)
            .field("kind", .string, .required)
            .field("application_id", .uuid, .required, .references("gov_applications", "id"))
            .field("holder_citizen_id", .uuid, .required, .references("citizens", "id"))
            .field("holder_name", .string, .required)
            .field("holder_id_masked", .string, .required)
            .field("issuer_unit", .string, .required)
            .field("issued_at", .datetime, .required)
            .field("valid_until", .datetime)
            .field("key_id", .string, .required)
            .field("status_list", .string, .required, .references("gov_licence_status_lists", "id"))
            .field("status_index", .int, .required)
            .field("payload", .string, .required)
            .field("revoked_at", .datetime)
            .field("revoked_by", .string)
            .field("revoke_reason", .string)
            .unique(on: "number")
            .unique(on: "application_id")
            .unique(on: "status_list", "status_index")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "gov_licences_holder_idx").on("gov_licences").column("holder_citizen_id").run()
        try await sql.insert(into: "gov_licence_status_lists").columns("id", "next_index", "created_at")
            .values(SQLBind("citynet-1"), SQLBind(0), SQLBind(Date()))
            .run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("gov_licences").delete()
        try await database.schema("gov_licence_status_lists").delete()
    }
}
