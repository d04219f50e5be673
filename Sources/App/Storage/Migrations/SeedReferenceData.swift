import Fluent
import Foundation
import SQLKit

/// Seeds Shanghai's regions (NBS 2022 codes), the standard unit catalogue and the default category taxonomy
/// into an empty database. Runs once, as a migration, so a fresh install needs no other set-up.
///
/// Like every migration it names its tables and columns literally and calls no model or live helper: the rows
/// arrive as plain values (``ReferenceSeed``, built from the bundled data at start), so a later change to a model
/// cannot change what this migration does.
struct SeedReferenceData: AsyncMigration {
    let seed: ReferenceSeed

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { throw SeedError.sqlRequired }
        let now = Date()
        try await insert(
            into: "regions", columns: ["code", "name_zh", "level", "parent_code"],
            rows: seed.regions.map { [$0.code, $0.nameZh, $0.level, $0.parentCode] }, on: sql)
        try await insert(
            into: "units", columns: ["code", "name_zh", "name_en", "kind", "region_code"],
            rows: seed.units.map { [$0.code, $0.nameZh, $0.nameEn, $0.kind, $0.regionCode] }, on: sql)
        try await insert(
            into: "categories", columns: ["code", "definition", "updated_at"],
            rows: seed.categories.map { [$0.code, $0.definition, now] }, on: sql)
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { throw SeedError.sqlRequired }
        for table in ["categories", "units", "regions"] { try await sql.delete(from: table).run() }
    }

    /// Multi-row inserts of at most 500 rows (well under SQLite's 32,766 bound parameters).
    private func insert(
        into table: String, columns: [String], rows: [[(any Encodable & Sendable)?]], on sql: any SQLDatabase
    ) async throws {
        for start in stride(from: 0, to: rows.count, by: 500) {
            let insert = sql.insert(into: table).columns(columns)
            for row in rows[start..<min(start + 500, rows.count)] {
                insert.values(row.map { value in value.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null })
            }
            try await insert.run()
        }
    }

    enum SeedError: Error, CustomStringConvertible {
        case sqlRequired
        var description: String { "seeding reference data needs an SQL database (SQLite or PostgreSQL)" }
    }
}

/// The bundled reference data as plain rows for ``SeedReferenceData``: codes and names as stored, category
/// definitions as the JSON the category store reads.
struct ReferenceSeed: Sendable {
    struct RegionRowValues: Sendable {
        var code: String
        var nameZh: String
        /// `city`, `district`, `street` or `grid`.
        var level: String
        var parentCode: String?
    }
    struct UnitRowValues: Sendable {
        var code: String
        var nameZh: String
        var nameEn: String
        var kind: String
        var regionCode: String
    }
    struct CategoryRowValues: Sendable {
        var code: String
        /// The category's JSON definition (``CategoryStore/encode(_:)``).
        var definition: String
    }
    var regions: [RegionRowValues]
    var units: [UnitRowValues]
    var categories: [CategoryRowValues]
}
