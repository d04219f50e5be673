import Foundation
import Testing

@testable import CityDomain

@Suite struct AlarmEvaluatorTests {
    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)
    static func minutes(_ values: [Double], from start: Int = 0) -> [(observed: Date, value: Double)] {
        values.enumerated().map { (t0.addingTimeInterval(TimeInterval((start + $0.offset) * 60)), $0.element) }
    }

    @Test func iceRaisesOnlyAfterTenMinutesHeldAndClearsWithHysteresis() {
        let rule = DefaultAlarmRules.bridgeIce
        // 2 °C from minute 0 to minute 9: held 9 minutes, no alarm.
        var result = AlarmEvaluator.run(
            rule: rule, state: .init(), readings: Self.minutes(Array(repeating: 2, count: 10)))
        #expect(result.transitions.isEmpty)
        // Minute 10: held 10 minutes.
        result = AlarmEvaluator.run(rule: rule, state: result.state, readings: Self.minutes([1.5], from: 10))
        #expect(result.transitions == [.raise(at: Self.t0.addingTimeInterval(600), value: 1.5)])
        // 2.5 °C is between the thresholds: stays active; 3 °C clears.
        result = AlarmEvaluator.run(rule: rule, state: result.state, readings: Self.minutes([2.5, 3], from: 11))
        #expect(result.transitions == [.clear(at: Self.t0.addingTimeInterval(720), value: 3)])
        #expect(!result.state.active)
    }

    @Test func aWarmReadingRestartsTheDuration() {
        // The run restarts at minute 6 and is held 10 minutes at minute 16.
        let readings = Self.minutes([1, 1, 1, 1, 1, 2.1] + Array(repeating: 1, count: 11))
        let result = AlarmEvaluator.run(rule: DefaultAlarmRules.bridgeIce, state: .init(), readings: readings)
        #expect(result.transitions == [.raise(at: Self.t0.addingTimeInterval(16 * 60), value: 1)])
    }

    @Test func aGapLongerThanTheRulesGapRestartsTheRunUnderReset() {
        let readings = [(Self.t0, 1.0), (Self.t0.addingTimeInterval(16 * 60), 1.0)]
        let reset = AlarmEvaluator.run(rule: DefaultAlarmRules.bridgeIce, state: .init(), readings: readings)
        #expect(reset.transitions.isEmpty)
        let bridging = AlarmRule(
            code: "b", nameZh: "b", nameEn: "b", sensorKind: .roadSurface, attribute: "surfaceTemperature",
            scope: .city, condition: .duration(seconds: 600), raise: .init(.le, 2), clear: .init(.ge, 3),
            severity: .major, gapSeconds: 900, gapPolicy: .bridge, categoryCode: nil)
        #expect(AlarmEvaluator.run(rule: bridging, state: .init(), readings: readings).transitions.count == 1)
    }

    @Test func repeatingNeedsNReadingsInARow() {
        let rule = AlarmRule(
            code: "r", nameZh: "r", nameEn: "r", sensorKind: .ponding, attribute: "waterDepth", scope: .city,
            condition: .repeating(count: 3), raise: .init(.ge, 15), clear: nil, severity: .minor, gapSeconds: 900,
            gapPolicy: .reset, categoryCode: nil)
        let result = AlarmEvaluator.run(
            rule: rule, state: .init(), readings: Self.minutes([16, 16, 10, 16, 16, 16, 14]))
        #expect(
            result.transitions == [
                .raise(at: Self.t0.addingTimeInterval(300), value: 16),
                .clear(at: Self.t0.addingTimeInterval(360), value: 14),
            ])
    }

    @Test func streamingAndOneBatchAndARestartGiveTheSameAlarms() {
        let readings = Self.minutes((0..<60).map { 4 - Double($0 % 30) / 5 })
        let rule = DefaultAlarmRules.bridgeIce
        let batch = AlarmEvaluator.run(rule: rule, state: .init(), readings: readings.shuffled())
        var state = AlarmRuleState()
        var streamed: [AlarmTransition] = []
        for reading in readings {
            // Each step starts from the persisted state only, as after a restart.
            let step = AlarmEvaluator.step(rule: rule, state: state, observed: reading.observed, value: reading.value)
            state = step.state
            streamed += step.transition.map { [$0] } ?? []
        }
        #expect(batch.transitions == streamed)
        #expect(batch.state == state)
        #expect(!streamed.isEmpty)
    }

    @Test func aReadingNotAfterTheLastIsLateAndMovesNothing() {
        let state = AlarmRuleState(active: false, runStart: Self.t0, runCount: 3, lastObserved: Self.t0)
        let step = AlarmEvaluator.step(rule: DefaultAlarmRules.bridgeIce, state: state, observed: Self.t0, value: -5)
        #expect(step.late && step.state == state && step.transition == nil)
    }

    @Test func staleness() {
        let rule = DefaultAlarmRules.staleBridge
        #expect(AlarmEvaluator.isStale(rule: rule, lastObserved: Self.t0, now: Self.t0.addingTimeInterval(1801)))
        #expect(!AlarmEvaluator.isStale(rule: rule, lastObserved: Self.t0, now: Self.t0.addingTimeInterval(1800)))
    }

    @Test func severitiesCarryChinasWarningColours() {
        #expect(AlarmSeverity.allCases.map(\.colour) == ["red", "orange", "yellow", "blue"])
        #expect(AlarmSeverity.critical > .warning)
    }
}
