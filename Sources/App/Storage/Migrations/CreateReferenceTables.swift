import Fluent

/// Regions, imported polygons, units and categories.
struct CreateReferenceTables: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("regions")
            .field("code", .string, .identifier(auto: false))
            .field("name_zh", .string, .required)
            .field("level", .string, .required)
            .field("parent_code", .string)
            .create()
        try await database.schema("region_boundaries")
            .field("id", .uuid, .identifier(auto: false))
            .field("region_code", .string, .required)
            .field("feature", .string, .required)
            .field("imported_at", .datetime, .required)
            .unique(on: "region_code")
            .create()
        try await database.schema("units")
            .field("code", .string, .identifier(auto: false))
            .field("name_zh", .string, .required)
            .field("name_en", .string, .required)
            .field("kind", .string, .required)
            .field("region_code", .string, .required)
            .create()
        try await database.schema("categories")
            .field("code", .string, .identifier(auto: false))
            .field("definition", .string, .required)
            .field("updated_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        for schema in ["categories", "units", "region_boundaries", "regions"] {
            try await database.schema(schema).delete()
        }
    }
}
