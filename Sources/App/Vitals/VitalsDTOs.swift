import CityDomain
import Foundation
import Vapor

/// A sensor as the API shows it.
struct SensorDTO: Content, Equatable {
    struct Attribute: Content, Equatable {
        var name: String
        var unit: String
        /// The FIWARE Smart Data Model the name comes from, or nil for a CityNet name.
        var model: String?
    }

    var id: String
    var kind: String
    var name: String
    var lat: Double?
    var long: Double?
    var address: String?
    var regionCode: String
    var districtCode: String?
    var streetCode: String?
    var locateMethod: String
    var unitCode: String
    var attributes: [Attribute]
    var lastObservedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, kind, name, lat, long, address, attributes
        case regionCode = "region_code", districtCode = "district_code", streetCode = "street_code"
        case locateMethod = "locate_method", unitCode = "unit_code", lastObservedAt = "last_observed_at"
    }

    init(_ sensor: Sensor, hierarchy: RegionHierarchy) {
        id = sensor.id
        kind = sensor.kind.rawValue
        name = sensor.name
        lat = sensor.latitude
        long = sensor.longitude
        address = sensor.address
        regionCode = sensor.regionCode
        districtCode = hierarchy.ancestor(of: sensor.regionCode, at: .district)?.code
        streetCode = hierarchy.ancestor(of: sensor.regionCode, at: .street)?.code
        locateMethod = sensor.locateMethod
        unitCode = sensor.unitCode
        attributes = sensor.attributes.keys.sorted().map { name in
            Attribute(
                name: name, unit: sensor.attributes[name] ?? "",
                model: VitalAttribute.lookup(name, kind: sensor.kind)?.model)
        }
        lastObservedAt = sensor.lastObservedMS.map(VitalsTime.date)
    }
}

/// A per-item error.
struct ItemErrorDTO: Content, Equatable {
    var code: String
    var message: String
}

/// The outcome of one item of a bulk or batch request.
struct ItemResultDTO: Content, Equatable {
    var index: Int
    /// `created` (sensors), `accepted` or `duplicate` (readings), or `error`.
    var status: String
    var id: String?
    var error: ItemErrorDTO?
}

/// The answer to a bulk registration or a batch of readings: counts, then one result per item in order.
struct BatchResultDTO: Content, Equatable {
    var accepted: Int
    var duplicates: Int
    var errors: Int
    var items: [ItemResultDTO]

    init(items: [ItemResultDTO]) {
        self.items = items
        accepted = items.filter { $0.status == "accepted" || $0.status == "created" }.count
        duplicates = items.filter { $0.status == "duplicate" }.count
        errors = items.filter { $0.status == "error" }.count
    }

    /// The answer's status: 200 when any item was accepted, created or a duplicate (or the batch was empty); 422
    /// when every item failed, so a client that checks only the status still sees that nothing was taken. The body
    /// is the same per-item list either way.
    var status: HTTPResponseStatus {
        errors > 0 && accepted == 0 && duplicates == 0 ? .unprocessableEntity : .ok
    }

    init(_ outcomes: [ReadingOutcome]) {
        self.init(
            items: outcomes.enumerated().map { index, outcome in
                switch outcome {
                case .accepted: ItemResultDTO(index: index, status: "accepted")
                case .duplicate: ItemResultDTO(index: index, status: "duplicate")
                case .error(let error):
                    ItemResultDTO(
                        index: index, status: "error", error: ItemErrorDTO(code: error.code, message: error.message))
                }
            })
    }
}

/// An alarm rule as the API shows it.
struct AlarmRuleDTO: Content, Equatable {
    struct Threshold: Content, Equatable {
        var op: String
        var value: Double
    }

    var code: String
    var nameZh: String
    var nameEn: String
    var sensorKind: String
    var attribute: String?
    var scope: String
    var condition: String
    /// Seconds for `duration` and `stale`, a count for `repeating`, 0 for `simple`.
    var conditionValue: Int
    var raise: Threshold?
    var clear: Threshold?
    var severity: String
    var colour: String
    var gapSeconds: Int
    var gapPolicy: String
    var categoryCode: String?
    /// The rule's version: 1 when created, one more on every change.
    var version: Int
    /// A disabled rule raises nothing new (its active alarms still clear when their clear condition holds).
    var enabled: Bool

    enum CodingKeys: String, CodingKey {
        case code, attribute, scope, condition, raise, clear, severity, colour, version, enabled
        case nameZh = "name_zh", nameEn = "name_en", sensorKind = "sensor_kind", conditionValue = "condition_value"
        case gapSeconds = "gap_seconds", gapPolicy = "gap_policy", categoryCode = "category_code"
    }

    init(_ rule: AlarmRule) {
        code = rule.code
        nameZh = rule.nameZh
        nameEn = rule.nameEn
        sensorKind = rule.sensorKind.rawValue
        attribute = rule.attribute
        scope = rule.scope.stored
        condition = rule.condition.code
        conditionValue = rule.condition.parameter
        raise = rule.raise.map { Threshold(op: $0.op.rawValue, value: $0.value) }
        clear = rule.clear.map { Threshold(op: $0.op.rawValue, value: $0.value) }
        severity = rule.severity.rawValue
        colour = rule.severity.colour
        gapSeconds = rule.gapSeconds
        gapPolicy = rule.gapPolicy.rawValue
        categoryCode = rule.categoryCode
        version = rule.version
        enabled = rule.enabled
    }
}
