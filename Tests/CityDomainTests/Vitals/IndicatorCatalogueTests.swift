import Foundation
import Testing

@testable import CityDomain

/// Indicator definitions as data (CityNet issue 11 §2): a good file parses into typed definitions; every kind of
/// mistake is refused with the place it is at.
@Suite struct IndicatorCatalogueTests {
    static var pm25: [String: Any] {
        [
            "id": "pm25_mean", "name_zh": "PM2.5 平均浓度", "name_en": "Mean PM2.5", "source": "readings",
            "sensor_kind": "air_quality", "attribute": "pm25", "aggregate": "mean", "unit": "GQ",
            "window_seconds": 7200,
            "max_age_seconds": 3600, "worse": "higher", "bands": [35, 75, 115], "decimals": 1,
        ]
    }
    static var open: [String: Any] {
        [
            "id": "cases_open", "name_zh": "在办案件", "name_en": "Open cases", "source": "cases", "measure": "open",
            "unit": "C62", "window_seconds": 86400, "worse": "higher", "bands": [20, 100, 500], "decimals": 0,
        ]
    }

    static func file(_ indicators: [[String: Any]]) throws -> Data {
        try JSONSerialization.data(withJSONObject: ["indicators": indicators])
    }

    static func problem(_ indicators: [[String: Any]]) throws -> IndicatorDefinitionError? {
        do {
            _ = try IndicatorCatalogue.parse(try file(indicators))
            return nil
        } catch let error as IndicatorDefinitionError {
            return error
        }
    }

    static func with(_ base: [String: Any], _ changes: [String: Any?]) -> [String: Any] {
        var result = base
        for (key, value) in changes { result[key] = value }
        return result
    }

    @Test func aGoodFileParsesIntoTypedDefinitions() throws {
        let definitions = try IndicatorCatalogue.parse(try Self.file([Self.pm25, Self.open]))
        #expect(definitions.map(\.id) == ["pm25_mean", "cases_open"])
        let pm25 = definitions[0]
        #expect(pm25.source == .readings(kind: .airQuality, attribute: "pm25", aggregate: .mean))
        #expect(pm25.unit == "GQ" && pm25.unitSymbol == "µg/m³" && pm25.windowSeconds == 7200)
        #expect(pm25.maxAgeSeconds == 3600 && pm25.worse == .higher && pm25.bands == [35, 75, 115])
        #expect(definitions[1].source == .cases(.open) && definitions[1].maxAgeSeconds == nil)
    }

    @Test(
        arguments: [
            ("id", "\"PM 2.5\""),
            ("attribute", "\"pm2.5\""),
            ("attribute", nil),
            ("sensor_kind", "\"smog\""),
            ("aggregate", "\"median\""),
            ("source", "\"weather\""),
            ("unit", "\"CEL\""),
            ("window_seconds", "0"),
            ("window_seconds", "\"7200\""),
            ("max_age_seconds", "7201"),
            ("max_age_seconds", nil),
            ("max_age_seconds", "true"),
            ("worse", "\"up\""),
            ("bands", "[75, 35, 115]"),
            ("bands", "[35, 75]"),
            ("decimals", "1.5"),
            ("name_en", "\"\""),
            ("colour", "\"red\""),
            ("measure", "\"open\""),
        ] as [(String, String?)])
    func aMistakeIsRefusedWithItsPlace(key: String, json: String?) throws {
        let value = try json.map { try JSONSerialization.jsonObject(with: Data($0.utf8), options: .fragmentsAllowed) }
        let error = try #require(try Self.problem([Self.with(Self.pm25, [key: value])]))
        #expect(error.path == "indicators[0].\(key)", "\(error)")
    }

    @Test func caseAndShareIndicatorsHaveTheirOwnRules() throws {
        // A reporting share counts sensors, so it takes no attribute and is in per cent.
        let share: [String: Any] = Self.with(
            Self.pm25, ["id": "air_reporting", "aggregate": "reporting_share", "attribute": nil, "unit": "P1"])
        #expect(try Self.problem([share]) == nil)
        #expect(try Self.problem([Self.with(share, ["attribute": "pm25"])])?.path == "indicators[0].attribute")
        #expect(try Self.problem([Self.with(share, ["unit": "GQ"])])?.path == "indicators[0].unit")
        // Cases: a measure, no max age (never stale), counts in C62 and rates in P1.
        #expect(try Self.problem([Self.with(Self.open, ["measure": "closed"])])?.path == "indicators[0].measure")
        #expect(
            try Self.problem([Self.with(Self.open, ["max_age_seconds": 60])])?.path == "indicators[0].max_age_seconds")
        #expect(
            try Self.problem([Self.with(Self.open, ["measure": "on_time_rate"])])?.message
                == "'C62' does not match what is computed ('P1')")
    }

    @Test func aDuplicateIdAndABadFileAreRefused() throws {
        let twice = try #require(try Self.problem([Self.open, Self.pm25, Self.open]))
        #expect(twice.path == "indicators[2].id" && twice.message == "'cases_open' is defined twice")
        #expect(try Self.problem([])?.path == "indicators")
        #expect(throws: IndicatorDefinitionError.self) { try IndicatorCatalogue.parse(Data("[1]".utf8)) }
        #expect(throws: IndicatorDefinitionError.self) { try IndicatorCatalogue.parse(Data("{\"indicators\": ".utf8)) }
    }

    @Test func bandsFollowWhichWayIsWorse() throws {
        let definitions = try IndicatorCatalogue.parse(
            try Self.file([
                Self.pm25,
                Self.with(
                    Self.open,
                    [
                        "id": "rate", "measure": "on_time_rate", "unit": "P1",
                        "worse": "lower", "bands": [70, 85, 95],
                    ]),
            ]))
        #expect([0, 34.9, 35, 75, 114, 115, 400].map(definitions[0].band(of:)) == [1, 1, 2, 3, 3, 4, 4])
        #expect([100, 95, 94.9, 85, 70, 69.9, 0].map(definitions[1].band(of:)) == [1, 1, 2, 2, 3, 4, 4])
    }
}
