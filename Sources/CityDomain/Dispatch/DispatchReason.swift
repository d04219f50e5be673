import Foundation

/// Builds the Chinese and English reasons of a ``DispatchDecision``.
struct DispatchReason {
    let category: Category
    let located: Region
    let kind: UnitKind
    let level: RegionLevel

    private var levelEn: String {
        switch level {
        case .city: "city"
        case .district: "district"
        case .street: "street/town"
        case .grid: "grid-cell"
        }
    }

    /// The unit of the kind sits at the responsible level.
    func atLevel(_ unit: Unit) -> (zh: String, en: String) {
        let coarse = located.level < level
        return (
            "「\(category.nameZh)」由\(level.nameZh)级\(kind.nameZh)负责；案件位于\(located.nameZh)（\(located.code)）"
                + (coarse ? "，仅定位到\(located.level.nameZh)级" : "") + "，派往\(unit.nameZh)（\(unit.code)）。",
            "\"\(category.nameEn)\" is handled by the \(levelEn)-level \(kind.nameEn) unit; the case is in \(located.nameZh) "
                + "(\(located.code))" + (coarse ? ", located no deeper than that" : "")
                + ", so it goes to \(unit.nameZh) (\(unit.code))."
        )
    }

    /// No unit of the kind at the regions skipped; the nearest one further up.
    func fallbackUp(_ unit: Unit, skipped: [Region]) -> (zh: String, en: String) {
        let names = skipped.map { "\($0.nameZh)（\($0.code)）" }.joined(separator: "、")
        let codes = skipped.map(\.code).joined(separator: ", ")
        return (
            "「\(category.nameZh)」应由\(level.nameZh)级\(kind.nameZh)负责，但\(names)没有\(kind.nameZh)单位，向上派往\(unit.nameZh)（\(unit.code)）。",
            "\"\(category.nameEn)\" belongs to the \(levelEn)-level \(kind.nameEn) unit, but \(codes) has none; "
                + "sent up to \(unit.nameZh) (\(unit.code))."
        )
    }

    /// No unit of the kind anywhere up the chain; the nearest operations centre.
    func operationsCentre(_ centre: Unit) -> (zh: String, en: String) {
        (
            "\(located.nameZh)（\(located.code)）及其上级均无\(kind.nameZh)单位，「\(category.nameZh)」交由\(centre.nameZh)（\(centre.code)）协调派遣。",
            "No \(kind.nameEn) unit exists at \(located.code) or above; \"\(category.nameEn)\" goes to \(centre.nameZh) "
                + "(\(centre.code)) to coordinate."
        )
    }
}
