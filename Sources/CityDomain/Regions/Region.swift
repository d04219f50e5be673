import Foundation

/// One node of the region hierarchy: the city, a district, a street/town or a grid cell.
///
/// `code` is the official NBS code for the city (`310000`), districts (6 digits) and streets/towns (9 digits);
/// grid cells keep the code of the data set they were imported from.
public struct Region: Codable, Hashable, Sendable, Identifiable {
    /// Unique code, e.g. `310115105` (北蔡镇).
    public var code: String
    /// Official Chinese name as published, e.g. `北蔡镇`.
    public var nameZh: String
    /// Level in the hierarchy.
    public var level: RegionLevel
    /// Code of the parent region; `nil` only for the root (the city).
    public var parentCode: String?
    /// Short forms people write in addresses, e.g. `北蔡` for `北蔡镇`; see ``RegionNames/shortNames(for:level:)``.
    public var shortNames: [String]

    /// The region code, for `Identifiable`.
    public var id: String { code }

    /// Creates a region.
    /// - Parameters:
    ///   - code: unique code.
    ///   - nameZh: official Chinese name.
    ///   - level: level in the hierarchy.
    ///   - parentCode: parent's code, `nil` for the root.
    ///   - shortNames: short forms; when `nil` they are derived from `nameZh` by
    ///     ``RegionNames/shortNames(for:level:)``.
    public init(code: String, nameZh: String, level: RegionLevel, parentCode: String?, shortNames: [String]? = nil) {
        self.code = code
        self.nameZh = nameZh
        self.level = level
        self.parentCode = parentCode
        self.shortNames = shortNames ?? RegionNames.shortNames(for: nameZh, level: level)
    }

    /// The full name followed by every short form: the names a gazetteer matches against free text.
    public var allNames: [String] { [nameZh] + shortNames.filter { $0 != nameZh } }
}
