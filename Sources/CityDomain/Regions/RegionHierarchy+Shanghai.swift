import Foundation
import SwiftCSV

extension RegionHierarchy {
    /// Code of the municipality, 上海市 (GB/T 2260).
    public static let shanghaiCityCode = "310000"

    /// Shanghai's hierarchy from the bundled NBS 2022 division codes: the city `310000` 上海市, its 16 districts and
    /// 234 streets/towns (215 街道/镇/乡 plus 19 statistical units such as development zones and farms).
    ///
    /// Source: `Resources/shanghai/shanghai_districts.csv` and `shanghai_streets_towns.csv`, from
    /// modood/Administrative-divisions-of-China (NBS 统计用区划代码 2022); see `Resources/shanghai/PROVENANCE.md`.
    /// The CSVs are parsed on every call: keep the result rather than calling this on a hot path.
    /// - Throws: ``RegionError/missingResource(_:)``, ``RegionError/malformedRow(file:row:reason:)`` or a
    ///   hierarchy validation error.
    public static func shanghai() throws -> RegionHierarchy {
        var regions = [Region(code: shanghaiCityCode, nameZh: "上海市", level: .city, parentCode: nil)]
        let districtFile = "shanghai_districts.csv"
        for (index, row) in try csvRows(districtFile).enumerated() {
            let code = try field(row, "district_code", districtFile, index)
            let name = try field(row, "district_name", districtFile, index)
            guard code.count == 6, code.hasPrefix("31") else {
                throw RegionError.malformedRow(
                    file: districtFile, row: index + 1, reason: "district code \(code) is not 31xxxx")
            }
            regions.append(Region(code: code, nameZh: name, level: .district, parentCode: shanghaiCityCode))
        }
        let streetFile = "shanghai_streets_towns.csv"
        for (index, row) in try csvRows(streetFile).enumerated() {
            let code = try field(row, "street_code", streetFile, index)
            let name = try field(row, "street_name", streetFile, index)
            let parent = try field(row, "district_code", streetFile, index)
            guard code.count == 9, code.hasPrefix(parent) else {
                throw RegionError.malformedRow(
                    file: streetFile, row: index + 1,
                    reason: "street code \(code) does not extend district code \(parent)")
            }
            regions.append(Region(code: code, nameZh: name, level: .street, parentCode: parent))
        }
        return try RegionHierarchy(regions: regions)
    }

    /// Whether a street-level row of the NBS data is one of the 19 statistical units (开发区, 园区, 农场, 林场…)
    /// rather than a 街道/镇/乡; the bundled CSV's `kind` column calls them `其他`.
    public static func isStatisticalUnit(_ region: Region) -> Bool {
        region.level == .street && !["街道", "镇", "乡"].contains { region.nameZh.hasSuffix($0) }
    }

    private static func csvRows(_ file: String) throws -> [[String: String]] {
        let url = try CityDomainBundledFile.url(folder: "shanghai", name: file)
        return try NamedCSV(url: url, delimiter: .comma, loadColumns: false).rows
    }

    private static func field(_ row: [String: String], _ column: String, _ file: String, _ index: Int) throws -> String
    {
        guard let value = row[column]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
            throw RegionError.malformedRow(file: file, row: index + 1, reason: "column \(column) is missing or empty")
        }
        return value
    }
}
