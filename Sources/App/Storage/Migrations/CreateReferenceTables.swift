import Fluent

/// Regions, imported polygons, units and categories.
struct CreateReferenceTables: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(RegionRow.schema)
            .field("code", .string, .identifier(auto: false))
            .field("name_zh", .string, .required)
            .field("level", .string, .required)
            .field("parent_code", .string)
            .create()
        try await database.schema(RegionBoundaryRow.schema)
            .id()
            .field("region_code", .string, .required)
            .field("feature", .string, .required)
            .field("imported_at", .datetime, .required)
            .unique(on: "region_code")
            .create()
        try await database.schema(UnitRow.schema)
            .field("code", .string, .identifier(auto: false))
            .field("name_zh", .string, .required)
            .field("name_en", .string, .required)
            .field("kind", .string, .required)
            .field("region_code", .string, .required)
            .create()
        try await database.schema(CategoryRow.schema)
            .field("code", .string, .identifier(auto: false))
            .field("definition", .string, .required)
            .field("updated_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        for schema in [CategoryRow.schema, UnitRow.schema, RegionBoundaryRow.schema, RegionRow.schema] {
            try await database.schema(schema).delete()
        }
    }
}
