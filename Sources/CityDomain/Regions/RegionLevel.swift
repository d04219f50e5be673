import Foundation

/// A level of Shanghai's administrative and management hierarchy, from the whole city down to a grid cell.
///
/// Levels follow the NBS 统计用区划代码 structure (province-level city → 县级 district → 乡级 street/town) plus
/// the 网格 (grid cell) of 城市网格化管理 (GB/T 30428, CJ/T 315-2009). `Comparable` orders by depth:
/// `.city < .district < .street < .grid`.
public enum RegionLevel: String, Codable, CaseIterable, Comparable, Sendable {
    /// The municipality (上海市, code `310000`).
    case city
    /// A 区, 6-digit GB/T 2260 code, e.g. `310115` 浦东新区.
    case district
    /// A 街道, 镇 or 乡 (or one of NBS's statistical units at that level), 9-digit code, e.g. `310115105` 北蔡镇.
    case street
    /// A grid cell (网格) imported later; codes are whatever the grid data set uses.
    case grid

    /// Depth in the hierarchy: 0 for the city, 3 for a grid cell.
    public var depth: Int {
        switch self {
        case .city: 0
        case .district: 1
        case .street: 2
        case .grid: 3
        }
    }

    /// Chinese name of the level as used on screens: 市, 区, 街镇, 网格.
    public var nameZh: String {
        switch self {
        case .city: "市"
        case .district: "区"
        case .street: "街镇"
        case .grid: "网格"
        }
    }

    /// Orders levels by depth, so `.city` is the smallest.
    public static func < (lhs: RegionLevel, rhs: RegionLevel) -> Bool { lhs.depth < rhs.depth }
}
