import Foundation

/// Builds the Chinese and English reasons of a ``DispatchDecision``.
struct DispatchReason {
    let category: Category
    let located: Region
    let kind: UnitKind
    let level: RegionLevel
    /// Whether a learned signal, not the category, chose the responsibility: the reasons then speak of the case
    /// (本案, "this case"), not of the category, after the basis that says so.
    var learned = false

    private var subjectZh: String { learned ? "本案" : "「\(category.nameZh)」" }
    private var subjectEn: String { learned ? "this case" : "\"\(category.nameEn)\"" }

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
            "\(subjectZh)由\(level.nameZh)级\(kind.nameZh)负责；案件位于\(located.nameZh)（\(located.code)）"
                + (coarse ? "，仅定位到\(located.level.nameZh)级" : "") + "，派往\(unit.nameZh)（\(unit.code)）。",
            "\(subjectEn) is handled by the \(levelEn)-level \(kind.nameEn) unit; the case is in \(located.nameEn) "
                + "(\(located.code))" + (coarse ? ", located no deeper than that" : "")
                + ", so it goes to \(unit.nameEn) (\(unit.code))."
        )
    }

    /// No unit of the kind at the regions skipped; the nearest one further up.
    func fallbackUp(_ unit: Unit, skipped: [Region]) -> (zh: String, en: String) {
        let names = skipped.map { "\($0.nameZh)（\($0.code)）" }.joined(separator: "、")
        let codes = skipped.map(\.code).joined(separator: ", ")
        return (
            "\(subjectZh)应由\(level.nameZh)级\(kind.nameZh)负责，但\(names)没有\(kind.nameZh)单位，向上派往\(unit.nameZh)（\(unit.code)）。",
            "\(subjectEn) belongs to the \(levelEn)-level \(kind.nameEn) unit, but \(codes) has none; "
                + "sent up to \(unit.nameEn) (\(unit.code))."
        )
    }

    /// No unit of the kind anywhere up the chain; the nearest operations centre.
    func operationsCentre(_ centre: Unit) -> (zh: String, en: String) {
        (
            "\(located.nameZh)（\(located.code)）及其上级均无\(kind.nameZh)单位，\(subjectZh)交由\(centre.nameZh)（\(centre.code)）协调派遣。",
            "No \(kind.nameEn) unit exists at \(located.code) or above; \(subjectEn) goes to \(centre.nameEn) "
                + "(\(centre.code)) to coordinate."
        )
    }

    /// Territorial: the street centre passes the case to its own unit of the kind.
    func territorialUnit(_ unit: Unit, centre: Unit) -> (zh: String, en: String) {
        (
            "\(subjectZh)属属地管理事项，由街镇负责；案件位于\(located.nameZh)（\(located.code)），"
                + "\(centre.nameZh)交本街镇\(kind.nameZh)单位\(unit.nameZh)（\(unit.code)）处置。",
            "\(subjectEn) is a territorial matter of the street/town; the case is in \(located.nameEn) "
                + "(\(located.code)), so \(centre.nameEn) passes it to its own \(kind.nameEn) unit \(unit.nameEn) (\(unit.code))."
        )
    }

    /// Territorial: the street centre keeps the case (and re-dispatches it by hand).
    func territorialCentre(_ centre: Unit, kindMissing: Bool) -> (zh: String, en: String) {
        (
            "\(subjectZh)属属地管理事项，由街镇负责；案件位于\(located.nameZh)（\(located.code)），由\(centre.nameZh)"
                + (kindMissing ? "负责（本街镇无\(kind.nameZh)单位）" : "负责")
                + "，由其下派本街镇单位或网格员。",
            "\(subjectEn) is a territorial matter of the street/town; the case is in \(located.nameEn) "
                + "(\(located.code)), so \(centre.nameEn) holds it"
                + (kindMissing ? " (the street has no \(kind.nameEn) unit)" : "")
                + " and re-dispatches it to one of its units or grid workers."
        )
    }

    /// Territorial, but the place is known no deeper than a district (or the city).
    func territorialUnlocated(_ centre: Unit) -> (zh: String, en: String) {
        (
            "\(subjectZh)属属地管理事项，但案件仅定位到\(located.nameZh)（\(located.code)），由\(centre.nameZh)确定所属街镇后转派。",
            "\(subjectEn) is a territorial matter, but the case is located no deeper than \(located.nameEn) "
                + "(\(located.code)): \(centre.nameEn) holds it until it passes it to the right street/town."
        )
    }

    /// A hop from one operations centre down to the next (分级派遣).
    func hopDown(from: Unit, to: Unit) -> (zh: String, en: String) {
        (
            "案件位于\(located.nameZh)（\(located.code)），\(from.nameZh)分级派往\(to.nameZh)。",
            "The case is in \(located.nameEn) (\(located.code)); \(from.nameEn) passes it down to \(to.nameEn)."
        )
    }

    /// A hop from the district centre to the street centre of a territorial matter (属地).
    func hopTerritorial(from: Unit, to: Unit) -> (zh: String, en: String) {
        (
            "\(subjectZh)属属地管理事项；案件位于\(located.nameZh)（\(located.code)），\(from.nameZh)派往属地\(to.nameZh)。",
            "\(subjectEn) is territorial; the case is in \(located.nameEn) (\(located.code)), so \(from.nameEn) "
                + "sends it to the street/town centre \(to.nameEn)."
        )
    }
}
