import CityDomain

/// The language names are shown in: Chinese (the default everywhere) or English (the console's switch). The API
/// keeps Chinese names beside the codes.
enum DisplayLanguage: String, Sendable {
    case zh, en

    /// Between the items of a list: the enumeration comma 、 in Chinese, a comma and a space in English.
    var listSeparator: String { self == .zh ? "、" : ", " }
}

extension CityReference {
    /// The region's name (English from ``RegionEnglishNames``), or the code itself for an unknown region.
    func regionName(_ code: String, in language: DisplayLanguage) -> String {
        hierarchy[code]?.name(in: language) ?? code
    }

    /// The category's name from the taxonomy (`name_zh` / `name_en`), or the code for an unknown category.
    func categoryName(_ code: String, in language: DisplayLanguage) -> String {
        taxonomy[code]?.name(in: language) ?? code
    }

    /// The unit's name from the unit catalogue, or the code for an unknown unit.
    func unitName(_ code: String, in language: DisplayLanguage) -> String {
        units[code]?.name(in: language) ?? code
    }
}

/// Something with a Chinese and an English name.
protocol BilingualName {
    var nameZh: String { get }
    var nameEn: String { get }
}

extension BilingualName {
    /// The name in `language`.
    func name(in language: DisplayLanguage) -> String { language == .zh ? nameZh : nameEn }
}

extension Region: BilingualName {}
extension CityDomain.Category: BilingualName {}
extension CityDomain.Unit: BilingualName {}
extension CallbackResult: BilingualName {}

extension CaseState: BilingualName {
    /// The label of a stored state value, or the value itself if it is not a known state.
    static func name(of raw: String, in language: DisplayLanguage) -> String {
        CaseState(rawValue: raw)?.name(in: language) ?? raw
    }
}
