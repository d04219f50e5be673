import Foundation
import Testing

@testable import CityDomain

/// Indicator values from their inputs (CityNet issue 11 §2): each aggregate, trend, freshness and staleness, and
/// the district breakdown.
@Suite struct IndicatorComputationTests {
    static let now = Date(timeIntervalSince1970: 1_700_000_000)

    static func definition(
        _ source: IndicatorSource, unit: String, window: Int = 3600, maxAge: Int? = 3600,
        worse: IndicatorWorse = .higher, bands: [Double] = [35, 75, 115], decimals: Int = 1
    ) -> IndicatorDefinition {
        IndicatorDefinition(
            id: "x", nameZh: "x", nameEn: "x", source: source, unit: unit, windowSeconds: window, maxAgeSeconds: maxAge,
            worse: worse, bands: bands, decimals: decimals)
    }

    static let pm25 = definition(.readings(kind: .airQuality, attribute: "pm25", aggregate: .mean), unit: "GQ")
    static let ponding = definition(
        .readings(kind: .ponding, attribute: "waterDepth", aggregate: .max), unit: "CMT", bands: [5, 15, 27])
    static let share = definition(
        .readings(kind: .airQuality, attribute: nil, aggregate: .reportingShare), unit: "P1", worse: .lower,
        bands: [50, 80, 95], decimals: 0)

    static func window(_ values: [Double]) -> ReadingWindow {
        ReadingWindow(
            count: values.count, total: values.reduce(0, +), min: values.min() ?? 0, max: values.max() ?? 0)
    }

    static func sensor(
        _ id: String, _ district: String, ago: TimeInterval?, current: [Double]?, previous: [Double]? = nil,
        last: [Double]? = nil
    ) -> SensorIndicatorInput {
        SensorIndicatorInput(
            sensorID: id, districtCode: district, lastObserved: ago.map { now.addingTimeInterval(-$0) },
            current: current.map(window), previous: previous.map(window), last: last.map(window))
    }

    @Test func theMeanCountsEachSensorOnceAndTrendsAgainstTheWindowBefore() throws {
        let inputs = [
            // A minute sensor (60 readings averaging 20) and an hourly one (one reading of 50): mean of means 35.
            Self.sensor("a", "310101", ago: 60, current: Array(repeating: 20, count: 60), previous: [10]),
            Self.sensor("b", "310107", ago: 600, current: [50], previous: [30]),
        ]
        let result = IndicatorComputation.readings(
            Self.pm25, inputs: inputs, districts: ["310101", "310107", "310115"], now: Self.now)
        #expect(result.city.value == 35 && result.city.lastValue == 35 && !result.city.stale)
        #expect(result.city.observedAt == Self.now.addingTimeInterval(-60) && result.city.inputs == 2)
        #expect(result.city.trend == IndicatorTrend(direction: .up, delta: 15, previous: 20, worsening: true))
        #expect(result.city.band == 2)
        #expect(result.districts["310101"]?.value == 20 && result.districts["310107"]?.value == 50)
        #expect(result.districts["310107"]?.trend?.delta == 20)
        let empty = try #require(result.districts["310115"])
        #expect(empty.value == nil && empty.inputs == 0 && !empty.stale && empty.observedAt == nil && empty.band == nil)
    }

    @Test func theDeepestPondingIsTheLargestValueAndAFlatTrendIsFlat() {
        let inputs = [
            Self.sensor("p1", "310107", ago: 120, current: [3, 16.04, 4], previous: [16.01]),
            Self.sensor("p2", "310107", ago: 60, current: [8], previous: [2]),
        ]
        let value = IndicatorComputation.readings(Self.ponding, inputs: inputs, districts: [], now: Self.now).city
        #expect(value.value == 16 && value.band == 3)
        #expect(value.trend?.direction == .flat && value.trend?.delta == 0 && value.trend?.worsening == false)
    }

    @Test func theReportingShareCountsSensorsHeardInTheWindow() {
        let inputs = [
            Self.sensor("a", "310101", ago: 60, current: [20], previous: [20]),
            Self.sensor("b", "310101", ago: 5000, current: nil, previous: [20]),
            Self.sensor("c", "310107", ago: 60, current: [1], previous: nil),
            Self.sensor("d", "310107", ago: nil, current: nil),  // registered, never heard from
        ]
        let result = IndicatorComputation.readings(Self.share, inputs: inputs, districts: ["310101"], now: Self.now)
        #expect(result.city.value == 50 && result.city.inputs == 4 && result.city.band == 3)
        #expect(result.city.trend == IndicatorTrend(direction: .flat, delta: 0, previous: 50, worsening: false))
        #expect(result.districts["310101"]?.value == 50)
        #expect(
            result.districts["310101"]?.trend?.direction == .down
                && result.districts["310101"]?.trend?.worsening == true)
    }

    @Test func aValueOlderThanItsMaximumAgeIsStaleAndNeverShownAsCurrent() {
        // Every input silent for longer than the maximum age: no current value, the last one kept beside it.
        let silent = [
            Self.sensor("a", "310101", ago: 3601, current: nil, previous: [40], last: [42, 44]),
            Self.sensor("b", "310107", ago: 7200, current: nil, previous: nil, last: [60]),
        ]
        let stale = IndicatorComputation.readings(Self.pm25, inputs: silent, districts: ["310101"], now: Self.now).city
        #expect(stale.stale && stale.value == nil && stale.trend == nil && stale.band == nil)
        #expect(stale.lastValue == 51.5 && stale.observedAt == Self.now.addingTimeInterval(-3601))
        // At exactly the maximum age it is still current.
        let edge = [Self.sensor("a", "310101", ago: 3600, current: [42], previous: [40])]
        let current = IndicatorComputation.readings(Self.pm25, inputs: edge, districts: [], now: Self.now).city
        #expect(!current.stale && current.value == 42)
        // One live sensor keeps the city current; the silent district alone is stale.
        let mixed = [
            Self.sensor("a", "310101", ago: 5000, current: nil, last: [42]),
            Self.sensor("b", "310107", ago: 60, current: [30]),
        ]
        let result = IndicatorComputation.readings(
            Self.pm25, inputs: mixed, districts: ["310101", "310107"], now: Self.now)
        #expect(!result.city.stale && result.city.value == 30)
        #expect(result.districts["310101"]?.stale == true && result.districts["310101"]?.value == nil)
        #expect(result.districts["310101"]?.lastValue == 42 && result.districts["310107"]?.value == 30)
        // A reporting share whose sensors all fell silent is stale too, with 0 % as its last value.
        let share = IndicatorComputation.readings(Self.share, inputs: silent, districts: [], now: Self.now).city
        #expect(share.stale && share.value == nil && share.lastValue == 0)
    }

    @Test func caseIndicatorsCountOpenOverdueAndTheOnTimeRate() {
        let inputs = [
            CaseIndicatorInput(
                districtCode: "310101", open: 5, openBefore: 3, overdue: 2, closed: 4, closedOnTime: 3, closedBefore: 2,
                closedOnTimeBefore: 2),
            CaseIndicatorInput(
                districtCode: "310107", open: 1, openBefore: 1, overdue: 0, closed: 0, closedOnTime: 0),
        ]
        let open = IndicatorComputation.cases(
            Self.definition(.cases(.open), unit: "C62", maxAge: nil, bands: [2, 4, 10], decimals: 0), inputs: inputs,
            districts: ["310101", "310107"], now: Self.now)
        #expect(open.city.value == 6 && open.city.observedAt == Self.now && !open.city.stale)
        #expect(open.city.trend == IndicatorTrend(direction: .up, delta: 2, previous: 4, worsening: true))
        #expect(open.districts["310101"]?.value == 5 && open.districts["310101"]?.band == 3)
        let overdue = IndicatorComputation.cases(
            Self.definition(.cases(.overdue), unit: "C62", maxAge: nil, decimals: 0), inputs: inputs, districts: [],
            now: Self.now)
        #expect(overdue.city.value == 2 && overdue.city.trend == nil)
        let rate = IndicatorComputation.cases(
            Self.definition(.cases(.onTimeRate), unit: "P1", maxAge: nil, worse: .lower, bands: [70, 85, 95]),
            inputs: inputs, districts: ["310101", "310107"], now: Self.now)
        #expect(rate.city.value == 75 && rate.city.inputs == 4 && rate.city.band == 3)
        #expect(rate.city.trend == IndicatorTrend(direction: .down, delta: -25, previous: 100, worsening: true))
        #expect(rate.districts["310107"]?.value == nil, "nothing closed: no rate, not 0 %")
    }
}
