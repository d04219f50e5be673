import Foundation

/// What a sensor measures, which decides the attributes it may report (``VitalAttribute/catalogue``).
///
/// Raw values are stable snake_case codes stored in `sensors.kind` and used in the API.
public enum SensorKind: String, Codable, CaseIterable, Sendable {
    /// FIWARE Smart Data Models `WeatherObserved`.
    case weather
    /// FIWARE `AirQualityObserved`.
    case airQuality = "air_quality"
    /// FIWARE `WaterQualityObserved`.
    case waterQuality = "water_quality"
    /// Road surface or bridge deck (no FIWARE model; custom attribute names).
    case roadSurface = "road_surface"
    /// Road ponding depth gauge (no FIWARE model; custom attribute names).
    case ponding
    /// FIWARE `TrafficFlowObserved`.
    case trafficCounter = "traffic_counter"
    /// FIWARE `WasteContainer`.
    case wasteBin = "waste_bin"
}
