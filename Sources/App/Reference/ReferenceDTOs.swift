import CityDomain
import Vapor

/// A region as the API shows it (snake_case like every other body).
struct RegionDTO: Content {
    var code: String
    var nameZh: String
    var level: String
    var parentCode: String?
    var shortNames: [String]

    enum CodingKeys: String, CodingKey {
        case code, level
        case nameZh = "name_zh", parentCode = "parent_code", shortNames = "short_names"
    }

    init(_ region: Region) {
        code = region.code
        nameZh = region.nameZh
        level = region.level.rawValue
        parentCode = region.parentCode
        shortNames = region.shortNames
    }
}

/// A responsible unit.
struct UnitDTO: Content {
    var code: String
    var nameZh: String
    var nameEn: String
    var kind: String
    var regionCode: String

    enum CodingKeys: String, CodingKey {
        case code, kind
        case nameZh = "name_zh", nameEn = "name_en", regionCode = "region_code"
    }

    init(_ unit: CityDomain.Unit) {
        code = unit.code
        nameZh = unit.nameZh
        nameEn = unit.nameEn
        kind = unit.kind.rawValue
        regionCode = unit.regionCode
    }
}

/// Where a report would be located, and how.
struct LocatedDTO: Content {
    var regionCode: String
    var regionName: String
    var method: String
    var candidates: [String]

    enum CodingKeys: String, CodingKey {
        case method, candidates
        case regionCode = "region_code", regionName = "region_name"
    }
}
