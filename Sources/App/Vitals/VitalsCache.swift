import CityDomain
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// What reading ingestion would otherwise read from the database on every batch (CityNet issue 11 §6): registered
/// sensors, the alarm rules, and, on SQLite, the persisted rule states.
///
/// - Sensors: a registered sensor's metadata never changes (registration skips a taken id and there is no edit),
///   so found sensors are kept for good; unknown ids are never cached. `last_observed_ms` is not kept (it moves
///   with every batch). A future edit must call ``forgetSensor(_:)``.
/// - Rules: kept `ruleLifetime` seconds (10 s), so a rule changed in the database applies within that time; a change
///   through the rule API (``AlarmRuleController``) calls ``forgetRules()``, so on this node it applies at once.
/// - Rule states (SQLite only): every SQLite write goes through the one ``WriteGate`` queue of this process, so the
///   state written by the last committed batch is the stored one. Ingestion updates the entries at the end of its
///   transaction and forgets them when the transaction fails; clearing an alarm by hand forgets its entry. On
///   PostgreSQL, where other nodes write too, states are always read from the database.
final class VitalsCache: Sendable {
    private let sensors = NIOLockedValueBox<[String: Sensor]>([:])
    private let cachedRules = NIOLockedValueBox<(rules: [AlarmRule], loaded: ContinuousClock.Instant)?>(nil)
    private let states = NIOLockedValueBox<[AlarmStateStore.Key: AlarmRuleState]>([:])
    let ruleLifetime: Duration

    /// At most this many sensors and rule states are kept (beyond that the map starts afresh).
    static let capacity = 2_000_000

    init(ruleLifetime: Duration = .seconds(10)) { self.ruleLifetime = ruleLifetime }

    /// The registered sensors among `ids` (absent: unknown), reading only those not yet cached.
    func sensors(_ ids: some Collection<String>, on sql: any SQLDatabase) async throws -> [String: Sensor] {
        var found: [String: Sensor] = [:]
        var missing: [String] = []
        sensors.withLockedValue { cache in
            for id in ids {
                if let sensor = cache[id] { found[id] = sensor } else { missing.append(id) }
            }
        }
        guard !missing.isEmpty else { return found }
        let loaded = try await SensorRegistry.load(missing, on: sql)
        sensors.withLockedValue { cache in
            if cache.count + loaded.count > Self.capacity { cache.removeAll() }
            for (id, var sensor) in loaded {
                sensor.lastObservedMS = nil
                cache[id] = sensor
            }
        }
        return found.merging(loaded) { cached, _ in cached }
    }

    func forgetSensor(_ id: String) { sensors.withLockedValue { _ = $0.removeValue(forKey: id) } }

    /// Every rule, disabled ones included (they still clear their alarms; ``AlarmRule/enabled``), read again when
    /// older than ``ruleLifetime``.
    func rules(on sql: any SQLDatabase) async throws -> [AlarmRule] {
        let now = ContinuousClock.now
        if let cached = cachedRules.withLockedValue({ $0 }), now - cached.loaded < ruleLifetime { return cached.rules }
        let loaded = try await AlarmRuleStore.load(includeDisabled: true, on: sql)
        cachedRules.withLockedValue { $0 = (loaded, now) }
        return loaded
    }

    /// Forgets the cached rules, so the next batch reads them again (after a rule was changed through the API).
    func forgetRules() { cachedRules.withLockedValue { $0 = nil } }

    /// The cached states for these keys and the keys not cached.
    func states(_ keys: some Sequence<AlarmStateStore.Key>) -> (
        found: [AlarmStateStore.Key: AlarmRuleState], missing: [AlarmStateStore.Key]
    ) {
        states.withLockedValue { cache in
            var found: [AlarmStateStore.Key: AlarmRuleState] = [:]
            var missing: [AlarmStateStore.Key] = []
            for key in keys {
                if let state = cache[key] { found[key] = state } else { missing.append(key) }
            }
            return (found, missing)
        }
    }

    /// Records states as written by the current (serialised) SQLite transaction.
    func remember(_ written: [AlarmStateStore.Key: AlarmRuleState]) {
        states.withLockedValue { cache in
            if cache.count + written.count > Self.capacity { cache.removeAll() }
            cache.merge(written) { _, new in new }
        }
    }

    /// Forgets every state (after a failed transaction whose sensors are not known).
    func forgetAllStates() { states.withLockedValue { $0.removeAll() } }

    /// Forgets the states of these sensors (all rules).
    func forgetStates(sensorIDs: Set<String>) {
        states.withLockedValue { cache in cache = cache.filter { !sensorIDs.contains($0.key.sensorID) } }
    }
}

extension Application {
    private struct VitalsCacheKey: StorageKey { typealias Value = VitalsCache }

    /// The app's vitals cache; installed by `configure`.
    var vitalsCache: VitalsCache {
        get { storage.required(VitalsCacheKey.self) }
        set { storage[VitalsCacheKey.self] = newValue }
    }
}
