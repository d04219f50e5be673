import CityDomain
import Fluent
import Foundation

/// Seeds Shanghai's regions (NBS 2022 codes), the standard unit catalogue and the default category taxonomy
/// into an empty database. Runs once, as a migration, so a fresh install needs no other set-up.
struct SeedReferenceData: AsyncMigration {
    let reference: CityReference

    func prepare(on database: any Database) async throws {
        let regions = reference.hierarchy.all.map { region in
            let row = RegionRow()
            row.id = region.code
            row.nameZh = region.nameZh
            row.level = region.level.rawValue
            row.parentCode = region.parentCode
            return row
        }
        try await regions.create(on: database)
        let units = reference.units.values.sorted { $0.code < $1.code }.map { unit in
            let row = UnitRow()
            row.id = unit.code
            row.nameZh = unit.nameZh
            row.nameEn = unit.nameEn
            row.kind = unit.kind.rawValue
            row.regionCode = unit.regionCode
            return row
        }
        for chunk in stride(from: 0, to: units.count, by: 500) {
            try await Array(units[chunk..<min(chunk + 500, units.count)]).create(on: database)
        }
        try await CategoryStore.seed(reference.taxonomy, on: database, now: Date())
    }

    func revert(on database: any Database) async throws {
        try await CategoryRow.query(on: database).delete()
        try await UnitRow.query(on: database).delete()
        try await RegionRow.query(on: database).delete()
    }
}
