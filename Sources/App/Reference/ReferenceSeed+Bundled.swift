import CityDomain

extension ReferenceSeed {
    /// The rows ``SeedReferenceData`` writes for `reference`: every region, every unit sorted by code, every
    /// category with its JSON definition.
    /// - Throws: a category that cannot be encoded (never for a taxonomy that loaded).
    init(_ reference: CityReference) throws {
        regions = reference.hierarchy.all.map {
            RegionRowValues(code: $0.code, nameZh: $0.nameZh, level: $0.level.rawValue, parentCode: $0.parentCode)
        }
        units = reference.units.values.sorted { $0.code < $1.code }.map {
            UnitRowValues(
                code: $0.code, nameZh: $0.nameZh, nameEn: $0.nameEn, kind: $0.kind.rawValue, regionCode: $0.regionCode)
        }
        categories = try reference.taxonomy.all.map {
            CategoryRowValues(code: $0.code, definition: String(decoding: try CategoryStore.encode($0), as: UTF8.self))
        }
    }
}
