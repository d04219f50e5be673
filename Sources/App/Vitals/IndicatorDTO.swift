import CityDomain
import Foundation
import Vapor

/// An indicator's value for one area, as the API shows it. Every key is always present (null when not known).
struct IndicatorValueDTO: Content, Equatable {
    struct Trend: Content, Equatable {
        /// `up`, `down` or `flat`.
        var direction: String
        var delta: Double
        var previous: Double
        var worsening: Bool
    }

    /// Null when stale or with nothing to count: an old value is never given as the current one.
    var value: Double?
    var lastValue: Double?
    var observedAt: Date?
    var stale: Bool
    var inputs: Int
    var band: Int?
    var trend: Trend?

    enum CodingKeys: String, CodingKey {
        case value, stale, inputs, band, trend
        case lastValue = "last_value", observedAt = "observed_at"
    }

    init(_ value: IndicatorValue) {
        self.value = value.value
        lastValue = value.lastValue
        observedAt = value.observedAt
        stale = value.stale
        inputs = value.inputs
        band = value.band
        trend = value.trend.map {
            Trend(direction: $0.direction.rawValue, delta: $0.delta, previous: $0.previous, worsening: $0.worsening)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(value, forKey: .value)
        try container.encode(lastValue, forKey: .lastValue)
        try container.encode(observedAt, forKey: .observedAt)
        try container.encode(stale, forKey: .stale)
        try container.encode(inputs, forKey: .inputs)
        try container.encode(band, forKey: .band)
        try container.encode(trend, forKey: .trend)
    }
}

/// One district's value of an indicator.
struct IndicatorDistrictDTO: Content, Equatable {
    var regionCode: String
    var nameZh: String
    var nameEn: String
    var current: IndicatorValueDTO

    enum CodingKeys: String, CodingKey {
        case current
        case regionCode = "region_code", nameZh = "name_zh", nameEn = "name_en"
    }
}

/// An indicator as the API shows it: its definition, and its value for the caller's whole scope (`city`); with
/// `districts` in `GET /api/v1/indicators/{id}`.
struct IndicatorDTO: Content, Equatable {
    var id: String
    var nameZh: String
    var nameEn: String
    /// `readings` or `cases`.
    var source: String
    var sensorKind: String?
    var attribute: String?
    var aggregate: String?
    var measure: String?
    var unit: String
    var unitSymbol: String
    var windowSeconds: Int
    var maxAgeSeconds: Int?
    var worse: String
    var bands: [Double]
    var computedAt: Date
    var city: IndicatorValueDTO
    var districts: [IndicatorDistrictDTO]?

    enum CodingKeys: String, CodingKey {
        case id, source, attribute, aggregate, measure, unit, worse, bands, city, districts
        case nameZh = "name_zh", nameEn = "name_en", sensorKind = "sensor_kind", unitSymbol = "unit_symbol"
        case windowSeconds = "window_seconds", maxAgeSeconds = "max_age_seconds", computedAt = "computed_at"
    }

    /// - Parameters: `withDistricts`, whether to list the districts (in code order).
    init(_ result: IndicatorResult, hierarchy: RegionHierarchy, withDistricts: Bool) {
        let definition = result.definition
        id = definition.id
        nameZh = definition.nameZh
        nameEn = definition.nameEn
        source = definition.source.label
        switch definition.source {
        case .readings(let kind, let attribute, let aggregate):
            sensorKind = kind.rawValue
            self.attribute = attribute
            self.aggregate = aggregate.rawValue
        case .cases(let measure): self.measure = measure.rawValue
        }
        unit = definition.unit
        unitSymbol = definition.unitSymbol
        windowSeconds = definition.windowSeconds
        maxAgeSeconds = definition.maxAgeSeconds
        worse = definition.worse.rawValue
        bands = definition.bands
        computedAt = result.computedAt
        city = IndicatorValueDTO(result.city)
        guard withDistricts else { return }
        districts = result.districts.keys.sorted().map { code in
            IndicatorDistrictDTO(
                regionCode: code, nameZh: hierarchy[code]?.nameZh ?? code, nameEn: hierarchy[code]?.nameEn ?? code,
                current: IndicatorValueDTO(result.districts[code]!))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(nameZh, forKey: .nameZh)
        try container.encode(nameEn, forKey: .nameEn)
        try container.encode(source, forKey: .source)
        try container.encode(sensorKind, forKey: .sensorKind)
        try container.encode(attribute, forKey: .attribute)
        try container.encode(aggregate, forKey: .aggregate)
        try container.encode(measure, forKey: .measure)
        try container.encode(unit, forKey: .unit)
        try container.encode(unitSymbol, forKey: .unitSymbol)
        try container.encode(windowSeconds, forKey: .windowSeconds)
        try container.encode(maxAgeSeconds, forKey: .maxAgeSeconds)
        try container.encode(worse, forKey: .worse)
        try container.encode(bands, forKey: .bands)
        try container.encode(computedAt, forKey: .computedAt)
        try container.encode(city, forKey: .city)
        try container.encodeIfPresent(districts, forKey: .districts)
    }
}
