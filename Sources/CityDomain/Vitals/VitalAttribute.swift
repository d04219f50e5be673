import Foundation

/// One measurable attribute of a sensor kind: its name, its unit and the data model the name comes from.
///
/// Names follow FIWARE Smart Data Models (smartdatamodels.org: `WeatherObserved`, `AirQualityObserved`,
/// `WaterQualityObserved`, `TrafficFlowObserved`, `WasteContainer`) where one exists; `model` is nil for
/// CityNet's own names (road surface and ponding). Units are given by their UN/CEFACT common code, as FIWARE
/// does (`CEL` for °C, `GQ` for µg/m³), and readings may also name them by the symbols in ``unitAliases``.
public struct VitalAttribute: Sendable, Hashable {
    /// The attribute name, e.g. `pm25`, `temperature`.
    public let name: String
    /// The UN/CEFACT unit code, e.g. `GQ` (µg/m³).
    public let unit: String
    /// The FIWARE data model the name comes from, or nil for a CityNet name.
    public let model: String?

    public init(name: String, unit: String, model: String?) {
        self.name = name
        self.unit = unit
        self.model = model
    }

    /// Symbols accepted for each unit code (the code itself is always accepted).
    public static let unitAliases: [String: Set<String>] = [
        "CEL": ["°C", "℃", "degC", "celsius"],
        "GQ": ["µg/m³", "μg/m³", "ug/m3", "µg/m3", "μg/m3"],
        "GP": ["mg/m³", "mg/m3"],
        "CMT": ["cm"],
        "MMT": ["mm"],
        "MTS": ["m/s"],
        "HPA": ["hPa"],
        "P1": ["%", "percent"],
        "C62": ["1", "ratio"],
        "M1": ["mg/L", "mg/l"],
        "KMH": ["km/h"],
        "NTU": ["ntu"],
        "E50": ["vehicles"],
    ]

    /// The unit code a reading's unit text names, or nil when it names none.
    public static func unitCode(for text: String) -> String? {
        if unitAliases[text] != nil { return text }
        return unitAliases.first { $0.value.contains(text) }?.key
    }

    /// The attributes each sensor kind may report.
    public static let catalogue: [SensorKind: [VitalAttribute]] = [
        .weather: [
            .init(name: "temperature", unit: "CEL", model: "WeatherObserved"),
            .init(name: "relativeHumidity", unit: "C62", model: "WeatherObserved"),
            .init(name: "precipitation", unit: "MMT", model: "WeatherObserved"),
            .init(name: "windSpeed", unit: "MTS", model: "WeatherObserved"),
            .init(name: "atmosphericPressure", unit: "HPA", model: "WeatherObserved"),
        ],
        .airQuality: [
            .init(name: "pm25", unit: "GQ", model: "AirQualityObserved"),
            .init(name: "pm10", unit: "GQ", model: "AirQualityObserved"),
            .init(name: "no2", unit: "GQ", model: "AirQualityObserved"),
            .init(name: "o3", unit: "GQ", model: "AirQualityObserved"),
            .init(name: "so2", unit: "GQ", model: "AirQualityObserved"),
            .init(name: "co", unit: "GP", model: "AirQualityObserved"),
        ],
        .waterQuality: [
            .init(name: "temperature", unit: "CEL", model: "WaterQualityObserved"),
            .init(name: "pH", unit: "C62", model: "WaterQualityObserved"),
            .init(name: "O2", unit: "M1", model: "WaterQualityObserved"),
            .init(name: "turbidity", unit: "NTU", model: "WaterQualityObserved"),
        ],
        .roadSurface: [
            .init(name: "surfaceTemperature", unit: "CEL", model: nil),
            .init(name: "temperature", unit: "CEL", model: "WeatherObserved"),
        ],
        .ponding: [.init(name: "waterDepth", unit: "CMT", model: nil)],
        .trafficCounter: [
            .init(name: "intensity", unit: "E50", model: "TrafficFlowObserved"),
            .init(name: "averageVehicleSpeed", unit: "KMH", model: "TrafficFlowObserved"),
            .init(name: "occupancy", unit: "C62", model: "TrafficFlowObserved"),
        ],
        .wasteBin: [.init(name: "fillingLevel", unit: "C62", model: "WasteContainer")],
    ]

    /// The catalogue attribute `name` of `kind`, or nil.
    public static func lookup(_ name: String, kind: SensorKind) -> VitalAttribute? {
        catalogue[kind]?.first { $0.name == name }
    }
}
