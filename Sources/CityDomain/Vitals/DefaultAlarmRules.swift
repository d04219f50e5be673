import Foundation

/// The alarm rules a new CityNet starts with (CityNet vital-signs issue §3), seeded into `alarm_rules`.
public enum DefaultAlarmRules {
    /// Bridge-deck ice: surface ≤ 2 °C held 10 minutes raises, ≥ 3 °C clears; a gap over 15 minutes restarts the
    /// run. Major (orange); opens a `road.bridge_ice` case for the road maintenance unit.
    public static let bridgeIce = AlarmRule(
        code: "bridge_deck_ice", nameZh: "桥面结冰", nameEn: "Bridge-deck ice", sensorKind: .roadSurface,
        attribute: "surfaceTemperature", scope: .city, condition: .duration(seconds: 600), raise: .init(.le, 2),
        clear: .init(.ge, 3), severity: .major, gapSeconds: 900, gapPolicy: .reset, categoryCode: "road.bridge_ice")

    /// Road ponding: water ≥ 15 cm raises, < 15 cm clears. Major (orange); opens a `road.ponding` case.
    public static let ponding = AlarmRule(
        code: "road_ponding", nameZh: "道路积水", nameEn: "Road ponding", sensorKind: .ponding,
        attribute: "waterDepth", scope: .city, condition: .simple, raise: .init(.ge, 15), clear: .init(.lt, 15),
        severity: .major, gapSeconds: 900, gapPolicy: .reset, categoryCode: "road.ponding")

    /// PM2.5 above 75 µg/m³ (GB 3095-2012 grade II 24-hour limit) held one hour raises, ≤ 75 clears; a gap over
    /// 2 hours restarts the run (hourly stations miss single hours). Minor (yellow); no case.
    public static let pm25 = AlarmRule(
        code: "pm25_grade2", nameZh: "PM2.5超二级标准", nameEn: "PM2.5 above grade II", sensorKind: .airQuality,
        attribute: "pm25", scope: .city, condition: .duration(seconds: 3600), raise: .init(.gt, 75),
        clear: .init(.le, 75), severity: .minor, gapSeconds: 7200, gapPolicy: .reset, categoryCode: nil)

    /// Stale feed of a bridge-deck sensor: no reading for 30 minutes. Warning (blue); cleared by the next reading.
    public static let staleBridge = AlarmRule(
        code: "stale_road_surface", nameZh: "桥面传感器数据中断", nameEn: "Bridge-deck feed stale",
        sensorKind: .roadSurface, attribute: nil, scope: .city, condition: .stale(seconds: 1800), raise: nil,
        clear: nil, severity: .warning, gapSeconds: 0, gapPolicy: .reset, categoryCode: nil)

    /// Stale feed of an air-quality station: no reading for 2 hours (stations report hourly). Warning (blue);
    /// cleared by the next reading. Added with the vital-sign indicators (issue 11 §2).
    public static let staleAirQuality = AlarmRule(
        code: "stale_air_quality", nameZh: "空气监测站数据中断", nameEn: "Air-quality feed stale", sensorKind: .airQuality,
        attribute: nil, scope: .city, condition: .stale(seconds: 7200), raise: nil, clear: nil, severity: .warning,
        gapSeconds: 0, gapPolicy: .reset, categoryCode: nil)

    /// Stale feed of a ponding gauge: no reading for 30 minutes. Warning (blue); cleared by the next reading.
    public static let stalePonding = AlarmRule(
        code: "stale_ponding", nameZh: "积水监测点数据中断", nameEn: "Ponding feed stale", sensorKind: .ponding,
        attribute: nil, scope: .city, condition: .stale(seconds: 1800), raise: nil, clear: nil, severity: .warning,
        gapSeconds: 0, gapPolicy: .reset, categoryCode: nil)

    /// Gale: a 2-minute mean wind speed ≥ 17.2 m/s raises, < 17.2 m/s clears. 17.2 m/s is the lower bound of force 8
    /// (大风 / gale, 17.2–20.7 m/s) of the Beaufort scale as China's wind-force standard gives it (GB/T 28591-2012
    /// 风力等级, table 1). Major (orange); opens no case by itself: the operations centre declares an incident from
    /// it (joint incidents, issue 15: the gale that stopped the 崇明 ferries).
    public static let gale = AlarmRule(
        code: "gale_force_8", nameZh: "大风（8级及以上）", nameEn: "Gale (force 8 or more)", sensorKind: .weather,
        attribute: "windSpeed", scope: .city, condition: .simple, raise: .init(.ge, 17.2), clear: .init(.lt, 17.2),
        severity: .major, gapSeconds: 900, gapPolicy: .reset, categoryCode: nil)

    public static let all = [bridgeIce, ponding, pm25, staleBridge, staleAirQuality, stalePonding, gale]
}
