import Foundation
import Testing

@testable import CityDomain

/// A late reading replayed from the last reset point gives what evaluating every reading in observed order gives.
@Suite struct AlarmReplayTests {
    typealias Series = [(observed: Date, value: Double)]
    static let t0 = AlarmEvaluatorTests.t0

    /// Stored alarms as ingestion leaves them after `readings` in order (ids from 1).
    static func stored(_ rule: AlarmRule, _ readings: Series) -> [StoredAlarm] {
        AlarmReplay.replay(rule: rule, from: AlarmRuleState(), readings: readings).episodes.enumerated().map {
            StoredAlarm(
                id: Int64($0.offset + 1), raisedAt: $0.element.raisedAt, raisedValue: $0.element.raisedValue,
                clearedAt: $0.element.clearedAt, clearedValue: $0.element.clearedValue, clearedByHand: false)
        }
    }

    /// The alarms after `corrections`, as a store applies them (withdrawn ones left out), oldest first.
    static func applying(_ corrections: [AlarmReplay.Correction], to alarms: [StoredAlarm]) -> [AlarmReplay.Episode] {
        var byID = Dictionary(uniqueKeysWithValues: alarms.map { ($0.id, $0) })
        var added: [AlarmReplay.Episode] = []
        for correction in corrections {
            switch correction {
            case .moveRaise(let id, let at, let value):
                byID[id]?.raisedAt = at
                byID[id]?.raisedValue = value
            case .clear(let id, let at, let value), .moveClear(let id, let at, let value):
                byID[id]?.clearedAt = at
                byID[id]?.clearedValue = value
            case .reopen(let id):
                byID[id]?.clearedAt = nil
                byID[id]?.clearedValue = nil
            case .withdraw(let id): byID[id] = nil
            case .add(let episode): added.append(episode)
            }
        }
        return byID.values.sorted { $0.raisedAt < $1.raisedAt }.map {
            AlarmReplay.Episode(
                raisedAt: $0.raisedAt, raisedValue: $0.raisedValue ?? .nan, clearedAt: $0.clearedAt,
                clearedValue: $0.clearedValue)
        } + added
    }

    /// Streams `all` without reading `lateIndex`, then sends it late: the replay's state and corrected alarms.
    static func late(_ rule: AlarmRule, _ all: Series, lateIndex: Int) -> (AlarmRuleState, [AlarmReplay.Episode])? {
        let onTime = all.enumerated().filter { $0.offset != lateIndex }.map(\.element)
        let alarms = stored(rule, onTime)
        let late = all[lateIndex].observed
        let earlier = Array(all.filter { $0.observed < late }.reversed())
        let start = AlarmReplay.start(rule: rule, earlier: earlier, complete: true, alarms: alarms)
        let from: Date
        switch start {
        case .after(let t): from = t
        case .beginning: from = .distantPast
        case .notFound, .pastFloor: return nil
        }
        let (state, episodes) = AlarmReplay.replay(
            rule: rule, from: AlarmReplay.initialState(start), readings: all.filter { $0.observed > from })
        let corrections = AlarmReplay.corrections(stored: alarms.filter { $0.raisedAt > from }, replayed: episodes)
        let kept = alarms.filter { $0.raisedAt <= from }.map {
            AlarmReplay.Episode(
                raisedAt: $0.raisedAt, raisedValue: $0.raisedValue ?? .nan, clearedAt: $0.clearedAt,
                clearedValue: $0.clearedValue)
        }
        return (state, kept + applying(corrections, to: alarms.filter { $0.raisedAt > from }))
    }

    @Test func aLateWarmReadingMovesTheIceAlarmToWhereTheRunReallyHeld() throws {
        // 1 °C for 20 minutes except 6 °C at minute 5: in order the alarm comes at minute 16.
        let all = AlarmEvaluatorTests.minutes((0..<21).map { $0 == 5 ? 6 : 1 })
        let rule = DefaultAlarmRules.bridgeIce
        // Without minute 5 the run starts at 0 and the alarm comes at minute 10.
        #expect(
            Self.stored(rule, all.enumerated().filter { $0.offset != 5 }.map(\.element)).map(\.raisedAt)
                == [Self.t0.addingTimeInterval(600)])
        let (state, alarms) = try #require(Self.late(rule, all, lateIndex: 5))
        let inOrder = AlarmReplay.replay(rule: rule, from: AlarmRuleState(), readings: all)
        #expect(alarms == inOrder.episodes)
        #expect(alarms.map(\.raisedAt) == [Self.t0.addingTimeInterval(16 * 60)])
        #expect(state == inOrder.state)
        #expect(
            AlarmReplay.corrections(
                stored: Self.stored(rule, all.enumerated().filter { $0.offset != 5 }.map(\.element)),
                replayed: inOrder.episodes)
                == [.moveRaise(id: 1, at: Self.t0.addingTimeInterval(16 * 60), value: 1)])
    }

    @Test func aLateColdReadingCanRaiseAnAlarmThatWasMissedAndAWarmOneCanWithdrawOne() throws {
        let rule = DefaultAlarmRules.ponding  // ≥ 15 cm raises at once
        let all = AlarmEvaluatorTests.minutes([3, 4, 20, 5, 4])
        let (_, raised) = try #require(Self.late(rule, all, lateIndex: 2))
        #expect(raised == AlarmReplay.replay(rule: rule, from: AlarmRuleState(), readings: all).episodes)
        #expect(raised.count == 1)
        // Ice: held 10 minutes at minute 10, but a late 5 °C at minute 3 shows it never held that long.
        let ice = AlarmEvaluatorTests.minutes((0..<12).map { $0 == 3 ? 5 : 1 })
        let onTime = ice.enumerated().filter { $0.offset != 3 }.map(\.element)
        let stored = Self.stored(DefaultAlarmRules.bridgeIce, onTime)
        #expect(stored.count == 1)
        let replayed = AlarmReplay.replay(rule: DefaultAlarmRules.bridgeIce, from: AlarmRuleState(), readings: ice)
        #expect(replayed.episodes.isEmpty)
        #expect(AlarmReplay.corrections(stored: stored, replayed: replayed.episodes) == [.withdraw(id: 1)])
    }

    @Test func anyReadingSentLateGivesTheAlarmsOfTheWholeSeriesInOrder() throws {
        var seed: UInt64 = 0x1234_5678
        func next() -> Double {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(seed >> 33) / Double(1 << 31)
        }
        let rules = [DefaultAlarmRules.bridgeIce, DefaultAlarmRules.ponding]
        for round in 0..<200 {
            let rule = rules[round % 2]
            var minute = 0
            let all: Series = (0..<40).map { _ in
                minute += next() < 0.1 ? 20 : 1  // now and then a gap longer than the rule's
                let value = rule.code == DefaultAlarmRules.ponding.code ? next() * 25 : next() * 5
                return (Self.t0.addingTimeInterval(Double(minute * 60)), value)
            }
            let lateIndex = Int(next() * 40)
            let (state, alarms) = try #require(Self.late(rule, all, lateIndex: lateIndex))
            let inOrder = AlarmReplay.replay(rule: rule, from: AlarmRuleState(), readings: all)
            #expect(alarms == inOrder.episodes, "round \(round), late reading \(lateIndex)")
            #expect(state == inOrder.state, "round \(round), late reading \(lateIndex)")
        }
    }

    @Test func noResetPointOrOneOnlyBeforeTheFloorMeansNoReplay() {
        let rule = DefaultAlarmRules.bridgeIce
        let cold = Array(AlarmEvaluatorTests.minutes(Array(repeating: 1, count: 5)).reversed())
        #expect(AlarmReplay.start(rule: rule, earlier: cold, complete: false, alarms: []) == .notFound)
        #expect(AlarmReplay.start(rule: rule, earlier: cold, complete: true, alarms: []) == .beginning)
        // Minute 1 was warm (a reset point), but the rule changed at minute 2: the replay may not reach back there.
        let warmAtOne = Array(AlarmEvaluatorTests.minutes([1, 5, 1, 1, 1]).reversed())
        #expect(
            AlarmReplay.start(rule: rule, earlier: warmAtOne, complete: true, alarms: [])
                == .after(Self.t0.addingTimeInterval(60)))
        #expect(
            AlarmReplay.start(
                rule: rule, earlier: warmAtOne, complete: true, alarms: [], floor: Self.t0.addingTimeInterval(120))
                == .pastFloor)
        #expect(
            AlarmReplay.start(
                rule: rule, earlier: warmAtOne, complete: true, alarms: [], floor: Self.t0.addingTimeInterval(30))
                == .after(Self.t0.addingTimeInterval(60)))
        // An operator's clearing by hand sets the floor where the rule had got to.
        let cleared = AlarmRuleState(active: true, lastObserved: Self.t0.addingTimeInterval(240)).clearedByHand()
        #expect(cleared.replayFloor == Self.t0.addingTimeInterval(240) && !cleared.active)
    }
}
