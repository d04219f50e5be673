import Fluent
import Foundation

/// A region of the hierarchy as stored (seeded from the bundled NBS codes; grid cells imported later).
// @unchecked Sendable: Fluent models are mutable reference types; each instance is used by one task at a time.
final class RegionRow: Model, @unchecked Sendable {
    static let schema = "regions"
    @ID(custom: "code", generatedBy: .user) var id: String?
    @Field(key: "name_zh") var nameZh: String
    @Field(key: "level") var level: String
    @OptionalField(key: "parent_code") var parentCode: String?
    init() {}
}

/// An imported street or grid-cell polygon, kept as GeoJSON geometry text.
// @unchecked Sendable: Fluent models are mutable reference types; each instance is used by one task at a time.
final class RegionBoundaryRow: Model, @unchecked Sendable {
    static let schema = "region_boundaries"
    @ID(key: .id) var id: UUID?
    @Field(key: "region_code") var regionCode: String
    /// A GeoJSON Feature (one region) as text, WGS84.
    @Field(key: "feature") var feature: String
    @Field(key: "imported_at") var importedAt: Date
    init() {}
}

/// A responsible unit: an operations centre or a department at some region.
// @unchecked Sendable: Fluent models are mutable reference types; each instance is used by one task at a time.
final class UnitRow: Model, @unchecked Sendable {
    static let schema = "units"
    @ID(custom: "code", generatedBy: .user) var id: String?
    @Field(key: "name_zh") var nameZh: String
    @Field(key: "name_en") var nameEn: String
    @Field(key: "kind") var kind: String
    @Field(key: "region_code") var regionCode: String
    init() {}
}

/// A category of the taxonomy, stored as its JSON definition so that it can be edited through the API.
// @unchecked Sendable: Fluent models are mutable reference types; each instance is used by one task at a time.
final class CategoryRow: Model, @unchecked Sendable {
    static let schema = "categories"
    @ID(custom: "code", generatedBy: .user) var id: String?
    @Field(key: "definition") var definition: String
    @Field(key: "updated_at") var updatedAt: Date
    init() {}
}
