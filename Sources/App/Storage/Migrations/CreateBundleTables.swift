import Fluent

/// Bundles (一件事, issue #14 §3): one bundle application per form (`gov_bundles`, one per citizen and client
/// token), its legs (`gov_bundle_legs`, one per item; `application_id` stays null while the leg waits for the legs
/// it depends on) and the files of the one form (`gov_bundle_uploads`), which every leg asking for a material code
/// shares. Names are spelled out: this migration must never change when the models do.
struct CreateBundleTables: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("gov_bundles")
            .field("id", .uuid, .identifier(auto: false))
            .field("citizen_id", .uuid, .required, .references("citizens", "id"))
            .field("bundle_code", .string, .required)
            .field("region_code", .string)
            .field("client_token", .string, .required)
            .field("body_sha256", .string, .required)
            .field("fields", .string, .required)
            .field("consents", .string, .required)
            .field("submitted_at", .datetime, .required)
            .field("due_at", .datetime)
            .field("time_limit_problem", .string)
            .unique(on: "citizen_id", "client_token")
            .create()
        try await database.schema("gov_bundle_uploads")
            .field("id", .uuid, .identifier(auto: false))
            .field("bundle_id", .uuid, .required, .references("gov_bundles", "id"))
            .field("material_code", .string, .required)
            .field("file_name", .string)
            .field("content_type", .string, .required)
            .field("byte_count", .int, .required)
            .field("sha256", .string, .required)
            .field("data", .data, .required)
            .unique(on: "bundle_id", "material_code")
            .create()
        try await database.schema("gov_bundle_legs")
            .field("id", .uuid, .identifier(auto: false))
            .field("bundle_id", .uuid, .required, .references("gov_bundles", "id"))
            .field("item_code", .string, .required)
            .field("position", .int, .required)
            .field("unit_code", .string, .required)
            .field("region_code", .string, .required)
            .field("application_id", .uuid, .references("gov_applications", "id"))
            .field("attempt", .int, .required)
            .field("released_at", .datetime)
            .unique(on: "bundle_id", "item_code")
            .unique(on: "application_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("gov_bundle_legs").delete()
        try await database.schema("gov_bundle_uploads").delete()
        try await database.schema("gov_bundles").delete()
    }
}
