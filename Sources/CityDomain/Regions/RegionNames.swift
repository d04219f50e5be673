import Foundation

/// Derives the short forms of Chinese region names that people use in addresses (浦东新区 → 浦东, 北蔡镇 → 北蔡).
public enum RegionNames {
    /// Suffixes dropped from district names, longest first: 浦东新区 → 浦东, 黄浦区 → 黄浦.
    static let districtSuffixes = ["新区", "区"]
    /// Suffixes dropped from street/town names, longest first. `新镇` turns 川沙新镇 into 川沙 (its everyday name);
    /// `区` alone is not dropped at street level, so 莘庄工业区 does not become 莘庄工业.
    static let streetSuffixes = ["街道", "新区", "新镇", "镇", "乡"]

    /// Short forms that are also everyday words or other places' names and would match unrelated text:
    /// 新村 (新村乡, but also every "XX新村" housing estate), 大桥 (大桥街道, but also every bridge: 南浦大桥),
    /// 建设 (建设镇), 中山 (中山街道 in 松江, but 中山北路 and 中山公园 elsewhere), 长征 (长征镇), 三星 (三星镇),
    /// 中兴 (中兴镇), 石化 (石化街道), 海湾 (海湾镇), 万里 (万里街道). The full names still match.
    public static let genericShortForms: Set<String> = [
        "新村", "大桥", "建设", "中山", "长征", "三星", "中兴", "石化", "海湾", "万里",
    ]

    /// Short forms of a region name.
    /// - Parameters:
    ///   - name: official Chinese name, e.g. `南京东路街道`.
    ///   - level: level of the region; the city gets `上海` for `上海市`, districts drop 新区/区, streets drop
    ///     街道/新区/新镇/镇/乡, grid cells get none.
    /// - Returns: zero or one short form, never shorter than 2 characters and never one of ``genericShortForms``.
    public static func shortNames(for name: String, level: RegionLevel) -> [String] {
        let suffixes: [String]
        switch level {
        case .city: suffixes = ["市"]
        case .district: suffixes = districtSuffixes
        case .street: suffixes = streetSuffixes
        case .grid: return []
        }
        for suffix in suffixes where name.hasSuffix(suffix) {
            let short = String(name.dropLast(suffix.count))
            guard short.count >= 2, !genericShortForms.contains(short) else { return [] }
            return [short]
        }
        return []
    }
}
