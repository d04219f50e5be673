import CityDomain
import Foundation
import Vapor

/// The city screen's vital signs (CityNet issue 11 §5): one tile per indicator (value, trend arrow, freshness, a
/// stale value marked and never shown as current), and the district map coloured by a chosen indicator
/// (`/console?indicator=ID`) with its legend. Built from ``IndicatorResult``s; the words come from
/// ``ConsoleText/vitalEntries``.
struct VitalTiles: Encodable {
    struct Tile: Encodable {
        var id: String
        var name: String
        /// The current value with its unit (`42.0 µg/m³`), or `—` when stale or with nothing to count.
        var value: String
        var unit: String
        var stale: Bool
        /// 1…4 (the map band of the value), or 0 without a current value.
        var band: Int
        /// `↑`, `↓`, `→`, or empty without a trend; `trendClass` is `worse`, `better` or `flat`.
        var arrow: String
        var delta: String
        var trendClass: String
        var trendTitle: String
        /// `Observed 10:14`, `Live`, or for a stale value `Stale · last 12.5 cm at 10:14`.
        var freshness: String
        /// Colours the map by this indicator.
        var url: String
        var active: Bool
    }

    /// One band of the legend: its swatch class and the values it holds.
    struct LegendBand: Encodable {
        var swatch: String
        var label: String
    }

    enum CodingKeys: String, CodingKey { case tiles, hasTiles, map, hasMap, mapLabel, legendTitle }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(tiles, forKey: .tiles)
        try container.encode(hasTiles, forKey: .hasTiles)
        try container.encodeIfPresent(map, forKey: .map)
        try container.encode(hasMap, forKey: .hasMap)
        try container.encode(mapLabel, forKey: .mapLabel)
        try container.encode(legendTitle, forKey: .legendTitle)
    }

    struct MapChoice: Encodable {
        var id: String
        var name: String
        var unit: String
        var legend: [LegendBand]
    }

    var tiles: [Tile]
    var hasTiles: Bool { !tiles.isEmpty }
    /// The indicator the map is coloured by, if one is chosen (`hasMap`).
    var map: MapChoice?
    var hasMap: Bool
    /// The selector's label, and the legend's title when an indicator colours the map.
    var mapLabel: String
    var legendTitle: String

    /// - Parameters:
    ///   - results: the indicators, in the definitions' order.
    ///   - district: the district chosen on the screen: its values are shown instead of the scope's.
    ///   - chosen: the indicator the map is coloured by.
    ///   - query: `district=CODE&` or empty, for the tiles' links.
    init(
        _ results: [IndicatorResult], district: String?, chosen: String?, query: String, language: DisplayLanguage,
        now: Date
    ) {
        let words = ConsoleText.vitalTable(language)
        tiles = results.map { result in
            let definition = result.definition
            let value = district.flatMap { result.districts[$0] } ?? result.city
            let unit = definition.unitSymbol
            func number(_ x: Double) -> String { String(format: "%.\(definition.decimals)f", x) }
            var tile = Tile(
                id: definition.id, name: language == .zh ? definition.nameZh : definition.nameEn,
                value: value.value.map(number) ?? "—", unit: value.value == nil ? "" : unit, stale: value.stale,
                band: value.band ?? 0, arrow: "", delta: "", trendClass: "", trendTitle: "", freshness: "",
                url: "/console?\(query)indicator=\(definition.id)", active: definition.id == chosen)
            if let trend = value.trend {
                tile.arrow = trend.direction == .up ? "↑" : trend.direction == .down ? "↓" : "→"
                tile.delta = (trend.delta > 0 ? "+" : "") + number(trend.delta)
                tile.trendClass = trend.direction == .flat ? "flat" : trend.worsening ? "worse" : "better"
                tile.trendTitle = (words["vital_previous"] ?? "").replacingOccurrences(
                    of: "{v}", with: number(trend.previous) + unit)
            }
            let at = value.observedAt.map { Self.time($0, now: now) } ?? ""
            if value.stale {
                let last = value.lastValue.map { number($0) + (unit.isEmpty ? "" : " " + unit) } ?? "—"
                tile.freshness = (words["vital_stale_since"] ?? "").replacingOccurrences(of: "{v}", with: last)
                    .replacingOccurrences(of: "{t}", with: at)
            } else if case .cases = definition.source {
                tile.freshness = words["vital_live"] ?? ""
            } else if value.observedAt == nil {
                tile.freshness = words["vital_no_data"] ?? ""
            } else {
                tile.freshness = (words["vital_observed"] ?? "").replacingOccurrences(of: "{t}", with: at)
            }
            return tile
        }
        mapLabel = words["vital_map"] ?? ""
        let chosenResult = results.first { $0.definition.id == chosen }
        hasMap = chosenResult != nil
        legendTitle = (words["vital_legend"] ?? "").replacingOccurrences(
            of: "{name}",
            with: chosenResult.map { language == .zh ? $0.definition.nameZh : $0.definition.nameEn } ?? "")
        map = chosenResult.map { result in
            let definition = result.definition
            func number(_ x: Double) -> String { String(format: "%g", x) }
            let b = definition.bands.map(number)
            let ranges = ["< \(b[0])", "\(b[0])–\(b[1])", "\(b[1])–\(b[2])", "≥ \(b[2])"]
            // Band 1 is the best: for an indicator worse when lower, the best is the highest range.
            let ordered = definition.worse == .higher ? ranges : ranges.reversed()
            return MapChoice(
                id: definition.id, name: language == .zh ? definition.nameZh : definition.nameEn,
                unit: definition.unitSymbol,
                legend: ordered.enumerated().map { LegendBand(swatch: "ind-\($0.offset + 1)", label: $0.element) }
                    + [
                        LegendBand(swatch: "ind-stale", label: words["vital_stale"] ?? ""),
                        LegendBand(swatch: "ind-none", label: words["vital_no_data"] ?? ""),
                    ])
        }
    }

    /// The tiles for the operator of `scope`: every indicator computed at `now`, the map coloured by the one the
    /// request's `?indicator=` names (an unknown id colours nothing).
    /// - Returns: the tiles, and the map class of each district (``mapClasses(_:)``) when an indicator is chosen.
    static func load(
        _ req: Request, scope: OperatorScope, district: String?, language: DisplayLanguage
    ) async throws -> (tiles: VitalTiles, classes: [String: String]?) {
        let chosen = req.query[String.self, at: "indicator"]
        // The city screen must not fail with the vitals processing: on its error, the tiles show what is processed
        // (freshness and staleness say how old it is).
        do { try await req.application.readingProcessor.catchUp(app: req.application) } catch {
            req.logger.warning("vital-sign tiles drawn before readings were processed", metadata: ["error": "\(error)"])
        }
        let sql = try req.db.sql()
        var results: [IndicatorResult] = []
        for definition in req.application.indicators {
            results.append(
                try await IndicatorQueries.compute(
                    definition, scope: scope, reference: req.reference, on: sql, now: req.now))
        }
        let tiles = VitalTiles(
            results, district: district, chosen: chosen, query: district.map { "district=\($0)&" } ?? "",
            language: language, now: req.now)
        return (tiles, results.first { $0.definition.id == chosen }.map(mapClasses))
    }

    /// The map class of each district for the chosen indicator: `ind-1`…`ind-4` by band, `ind-stale` for a stale
    /// value, `ind-none` with nothing to show.
    static func mapClasses(_ result: IndicatorResult) -> [String: String] {
        result.districts.mapValues { value in
            if value.stale { return "ind-stale" }
            return value.band.map { "ind-\($0)" } ?? "ind-none"
        }
    }

    /// `10:14` for today (Asia/Shanghai), `09-26 10:14` for another day.
    static func time(_ date: Date, now: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Timestamps.shanghai
        let style = Date.VerbatimFormatStyle(
            format: "\(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits)",
            timeZone: Timestamps.shanghai, calendar: calendar)
        let day = Date.VerbatimFormatStyle(
            format: "\(month: .twoDigits)-\(day: .twoDigits) ", timeZone: Timestamps.shanghai, calendar: calendar)
        return (calendar.isDate(date, inSameDayAs: now) ? "" : date.formatted(day)) + date.formatted(style)
    }
}

extension ConsoleText {
    /// The vital-sign tiles' and map legend's words (Chinese, English); indicator names come from their
    /// definitions (`Resources/indicators.json`).
    static let vitalEntries: [String: (String, String)] = [
        "vital_observed": ("观测于 {t}", "Observed {t}"),
        "vital_live": ("实时", "Live"),
        "vital_stale": ("数据中断", "Stale"),
        "vital_stale_since": ("数据中断 · 最后 {v}（{t}）", "Stale · last {v} at {t}"),
        "vital_no_data": ("无数据", "No data"),
        "vital_previous": ("上一时段 {v}", "Previous window {v}"),
        "vital_map": ("按体征着色", "Colour by vital sign"),
        "vital_legend": ("地图颜色：{name}", "Map colour: {name}"),
    ]

    static func vitalTable(_ language: Language) -> [String: String] {
        vitalEntries.mapValues { language == .zh ? $0.0 : $0.1 }
    }
}
