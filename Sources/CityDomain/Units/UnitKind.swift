import Foundation

/// The kind of a responsible unit (责任单位 / 职能部门): what it does, independent of where it sits.
///
/// Raw values are stable snake_case identifiers stored in the database and in `categories.json`.
public enum UnitKind: String, Codable, CaseIterable, Sendable {
    case operationsCentre = "operations_centre"
    case urbanManagement = "urban_management"
    case police
    case trafficPolice = "traffic_police"
    case greeningSanitation = "greening_sanitation"
    case water
    case housing
    case marketRegulation = "market_regulation"
    case ecoEnvironment = "eco_environment"
    case roadMaintenance = "road_maintenance"
    case transport
    case fireRescue = "fire_rescue"
    case cultureTourism = "culture_tourism"
    /// Education bureau (教育局), added for the router's `education` label (issue 10).
    case education
    /// 卫生健康委员会 (government services: birth certificates, vaccination, practice registration).
    case health
    /// 人力资源和社会保障局 (social security cards, unemployment benefit, pensions).
    case humanResources = "human_resources"
    /// 医疗保障局 (medical insurance enrolment and reimbursement).
    case medicalInsurance = "medical_insurance"
    /// 民政局 (marriage registration, social assistance).
    case civilAffairs = "civil_affairs"
    /// 气象局 (weather forecasts and warnings; joint incidents, issue 15: the ferry plan's forecast updates).
    case meteorology

    /// Short Chinese name of the kind as dispatchers say it, e.g. 城管执法.
    public var nameZh: String {
        switch self {
        case .operationsCentre: "城运中心"
        case .urbanManagement: "城管执法"
        case .police: "公安派出所/公安分局"
        case .trafficPolice: "交警"
        case .greeningSanitation: "绿化市容"
        case .water: "水务"
        case .housing: "房管/物业"
        case .marketRegulation: "市场监管"
        case .ecoEnvironment: "生态环境"
        case .roadMaintenance: "道路养护"
        case .transport: "交通运输"
        case .fireRescue: "消防救援"
        case .cultureTourism: "文化旅游执法"
        case .education: "教育"
        case .health: "卫生健康"
        case .humanResources: "人力资源社会保障"
        case .medicalInsurance: "医疗保障"
        case .civilAffairs: "民政"
        case .meteorology: "气象"
        }
    }

    /// Short English name of the kind, e.g. "urban management enforcement".
    public var nameEn: String {
        switch self {
        case .operationsCentre: "city operations centre"
        case .urbanManagement: "urban management enforcement"
        case .police: "public security police"
        case .trafficPolice: "traffic police"
        case .greeningSanitation: "greening and city appearance"
        case .water: "water authority"
        case .housing: "housing and property management"
        case .marketRegulation: "market regulation"
        case .ecoEnvironment: "ecology and environment"
        case .roadMaintenance: "road maintenance"
        case .transport: "transport"
        case .fireRescue: "fire and rescue"
        case .cultureTourism: "culture and tourism enforcement"
        case .education: "education"
        case .health: "health commission"
        case .humanResources: "human resources and social security"
        case .medicalInsurance: "medical insurance"
        case .civilAffairs: "civil affairs"
        case .meteorology: "meteorological service"
        }
    }
}
