import Foundation

/// Realistic Chinese (and plain English) names of standard units, in the forms Shanghai's bodies use:
/// 上海市城市运行管理中心, 浦东新区城管执法局, 浦东公安分局, 北蔡派出所, 北蔡镇房管办.
enum UnitNames {
    /// Chinese and English names for a unit of `kind` at `region`.
    static func names(kind: UnitKind, region: Region) -> (zh: String, en: String) {
        let zh: String
        switch region.level {
        case .city: zh = cityName(kind)
        case .district: zh = districtName(kind, region)
        case .street, .grid: zh = streetName(kind, region)
        }
        let en: String
        switch region.level {
        case .city: en = "Shanghai \(kind.nameEn) (city)"
        case .district, .street: en = "\(region.nameEn) \(kind.nameEn)"
        case .grid: en = "\(region.nameEn) \(kind.nameEn) (grid cell)"
        }
        return (zh, en)
    }

    private static func cityName(_ kind: UnitKind) -> String {
        switch kind {
        case .operationsCentre: "上海市城市运行管理中心"
        case .urbanManagement: "上海市城市管理行政执法局"
        case .police: "上海市公安局"
        case .trafficPolice: "上海市公安局交通警察总队"
        case .greeningSanitation: "上海市绿化和市容管理局"
        case .water: "上海市水务局"
        case .housing: "上海市房屋管理局"
        case .marketRegulation: "上海市市场监督管理局"
        case .ecoEnvironment: "上海市生态环境局"
        case .roadMaintenance: "上海市路政局"
        case .transport: "上海市交通委员会"
        case .fireRescue: "上海市消防救援总队"
        case .cultureTourism: "上海市文化市场行政执法总队"
        case .education: "上海市教育委员会"
        case .health: "上海市卫生健康委员会"
        case .humanResources: "上海市人力资源和社会保障局"
        case .medicalInsurance: "上海市医疗保障局"
        case .civilAffairs: "上海市民政局"
        case .meteorology: "上海市气象局"
        }
    }

    private static func districtName(_ kind: UnitKind, _ district: Region) -> String {
        let name = district.nameZh
        let short = district.shortNames.first ?? name
        switch kind {
        case .operationsCentre: return "\(name)城市运行管理中心"
        case .urbanManagement: return "\(name)城管执法局"
        case .police: return "\(short)公安分局"
        case .trafficPolice: return "\(name)交警支队"
        case .greeningSanitation: return "\(name)绿化和市容管理局"
        case .water: return "\(name)水务局"
        case .housing: return "\(name)房管局"
        case .marketRegulation: return "\(name)市场监管局"
        case .ecoEnvironment: return "\(name)生态环境局"
        case .roadMaintenance: return "\(name)道路养护所"
        case .transport: return "\(name)交通委员会"
        case .fireRescue: return "\(name)消防救援支队"
        case .cultureTourism: return "\(name)文化市场行政执法大队"
        case .education: return "\(name)教育局"
        case .health: return "\(name)卫生健康委员会"
        case .humanResources: return "\(name)人力资源和社会保障局"
        case .medicalInsurance: return "\(name)医疗保障局"
        case .civilAffairs: return "\(name)民政局"
        case .meteorology: return "\(name)气象局"
        }
    }

    private static func streetName(_ kind: UnitKind, _ street: Region) -> String {
        let name = street.nameZh
        let short = street.shortNames.first ?? name
        switch kind {
        case .operationsCentre: return "\(name)城市运行管理中心"
        case .urbanManagement: return "\(name)城管执法中队"
        case .police: return "\(short)派出所"
        case .housing: return "\(name)房管办"
        case .marketRegulation: return "\(short)市场监管所"
        case .greeningSanitation: return "\(name)市容所"
        default: return "\(name)\(kind.nameZh)"
        }
    }
}
