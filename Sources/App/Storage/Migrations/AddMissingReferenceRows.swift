import Fluent
import Foundation
import SQLKit

/// Brings a database seeded by an earlier version up to the bundled reference data: inserts the units and
/// categories it lacks, and changes nothing it already holds.
///
/// ``SeedReferenceData`` runs once, on an empty database, so a database created before issue 10 (territorial
/// dispatch, the router's education and health units, the fumes, toilet, manhole, public-facility, parking-fee and
/// public-facility-noise categories) and issue 13 (the government-service departments: human resources, medical
/// insurance, civil affairs) never received them; without the units, no caseworker of those departments can even be
/// created (`operators.unit_code` references `units`). A category an operator edited stays as edited, and a bundled
/// change to an existing category (e.g. a category made territorial) is not forced on an existing database: the
/// categories API edits it there. Rows arrive as plain values built from the bundled data at start
/// (``ReferenceSeed``); on a fresh database the seed already holds them all and this inserts nothing.
///
/// A release that adds reference rows registers one more instance under a new ``name`` (a migration runs once per
/// name): `…#general-request` brings the router's general request (`general`, `general.request`, issue 10).
struct AddMissingReferenceRows: AsyncMigration {
    let seed: ReferenceSeed
    /// The name in the migration log; the first instance keeps Fluent's default name for this type.
    var name = "App.AddMissingReferenceRows"

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { throw SeedReferenceData.SeedError.sqlRequired }
        let now = Date()
        for batch in seed.units.chunked(500) {
            let insert = sql.insert(into: "units").columns("code", "name_zh", "name_en", "kind", "region_code")
            for unit in batch {
                insert.values(
                    SQLBind(unit.code), SQLBind(unit.nameZh), SQLBind(unit.nameEn), SQLBind(unit.kind),
                    SQLBind(unit.regionCode))
            }
            try await insert.ignoringConflicts(with: "code").run()
        }
        for batch in seed.categories.chunked(500) {
            let insert = sql.insert(into: "categories").columns("code", "definition", "updated_at")
            for category in batch { insert.values(SQLBind(category.code), SQLBind(category.definition), SQLBind(now)) }
            try await insert.ignoringConflicts(with: "code").run()
        }
    }

    /// Nothing to undo: the rows it may have added are reference data that later rows can refer to.
    func revert(on database: any Database) async throws {}
}

extension Array {
    /// Consecutive slices of at most `size` elements (the last may be shorter); `size` ≥ 1.
    fileprivate func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
