import Foundation
import SwiftCSV

/// English names of Shanghai's regions, for operators who work in English.
///
/// Source: `Resources/shanghai/region_names_en.csv` (251 rows: the city, 16 districts, 234 streets/towns).
/// Districts carry the Shanghai government's English names (`Pudong New Area`, `Jing'an District`); streets and
/// towns are romanised in Hanyu Pinyin after GB/T 16159-2012 with the generic part translated
/// (`Beicai Town`, `Nanjing Donglu Subdistrict`); see `Resources/shanghai/PROVENANCE.md`.
public enum RegionEnglishNames {
    /// Region code → English name, read once from the bundle; empty if the file cannot be read (every name then
    /// falls back to Chinese; the tests check that all 251 rows load).
    public static let shanghai: [String: String] = (try? load()) ?? [:]

    /// Reads the bundled file.
    /// - Returns: region code → English name.
    /// - Throws: ``RegionError/missingResource(_:)``, ``RegionError/malformedRow(file:row:reason:)`` for a row
    ///   without a code or an English name, or the CSV reader's error.
    static func load() throws -> [String: String] {
        let file = "region_names_en.csv"
        let url = try CityDomainBundledFile.url(folder: "shanghai", name: file)
        var names: [String: String] = [:]
        for (index, row) in try NamedCSV(url: url, delimiter: .comma, loadColumns: false).rows.enumerated() {
            guard let code = row["code"], !code.isEmpty, let name = row["name_en"], !name.isEmpty else {
                throw RegionError.malformedRow(file: file, row: index + 1, reason: "code or name_en is empty")
            }
            names[code] = name
        }
        return names
    }
}

extension Region {
    /// The English name from ``RegionEnglishNames``, or the Chinese name for regions without one (imported grid
    /// cells).
    public var nameEn: String { RegionEnglishNames.shanghai[code] ?? nameZh }
}
