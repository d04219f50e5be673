import Foundation

/// What a video algorithm detected (城市之眼 algorithm types), each mapped to the fine case category that a confirmed
/// incident opens.
///
/// Source of the list: the event types Shanghai's 城市之眼 / 一网统管 video algorithms report (占用消防通道,
/// 非机动车乱停放, 机动车违停, 暴露垃圾, 占道经营, 道路积水, 井盖缺失), restricted to those CityNet's category catalogue
/// (`Resources/categories/categories.json`) has a category for.
public enum DetectionType: String, CaseIterable, Sendable, Codable {
    /// 占用消防通道: a vehicle standing in a fire lane.
    case fireLaneParking = "fire_lane_parking"
    /// 非机动车乱停放: bicycles (shared or private) parked on the pavement.
    case bikeParkingPavement = "bike_parking_pavement"
    /// 机动车违停: a motor vehicle parked where parking is forbidden.
    case illegalParking = "illegal_parking"
    /// 暴露垃圾: garbage left in the open.
    case exposedGarbage = "exposed_garbage"
    /// 占道经营: a stall trading on the pavement.
    case streetVending = "street_vending"
    /// 道路积水: water standing on the road.
    case roadPonding = "road_ponding"
    /// 井盖缺失: a missing or displaced manhole cover.
    case missingManholeCover = "missing_manhole_cover"

    /// The fine category code a case for this type is opened under.
    public var categoryCode: String {
        switch self {
        case .fireLaneParking: "parking.fire_lane"
        case .bikeParkingPavement: "parking.shared_bicycle"
        case .illegalParking: "parking.illegal_vehicle"
        case .exposedGarbage: "sanitation.garbage"
        case .streetVending: "sanitation.street_vending"
        case .roadPonding: "road.ponding"
        case .missingManholeCover: "road.manhole_cover"
        }
    }

    /// The algorithm type's Chinese name, as the 城市之眼 desk shows it.
    public var nameZh: String {
        switch self {
        case .fireLaneParking: "占用消防通道"
        case .bikeParkingPavement: "非机动车乱停放"
        case .illegalParking: "机动车违停"
        case .exposedGarbage: "暴露垃圾"
        case .streetVending: "占道经营"
        case .roadPonding: "道路积水"
        case .missingManholeCover: "井盖缺失"
        }
    }
}
