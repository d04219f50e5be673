import CityDomain
import Foundation
import SQLKit
import Vapor

/// Raises stale-feed alarms: for each enabled stale-feed rule, every sensor of its kind and scope that reported
/// once but not for the rule's time (CityNet issue 11 §2, §3). The alarm is raised at the sweep's clock time and
/// cleared by the sensor's next accepted reading (``AlarmEvaluation``). Each sensor's alarm is raised in its own
/// write; the partial unique index keeps a sweep racing another sweep or a reading to one active alarm.
enum StaleFeedSweep {
    /// Runs one pass.
    /// - Returns: the ids of the alarms raised.
    static func run(app: Application, now: Date) async throws -> [Int64] {
        // Stored readings not yet processed have not moved `last_observed_ms`: take them first.
        try await app.readingProcessor.catchUp(app: app)
        let sql = try app.db.sql()
        let nowMS = VitalsTime.ms(now)
        let rules = try await AlarmRuleStore.load(on: sql).filter { $0.raise == nil }
        let reference = app.reference
        let severities = app.config.vitalsCaseSeverities
        let logger = app.logger
        var raised: [Int64] = []
        for rule in rules {
            guard case .stale(let seconds) = rule.condition else { continue }
            let rows = try await sql.select().column("*").from("sensors")
                .where("kind", .equal, rule.sensorKind.rawValue)
                .where("last_observed_ms", .lessThan, nowMS - Int64(seconds) * 1000).all()
            for sensor in try rows.map(SensorRegistry.decode) {
                let chain = reference.hierarchy.ancestors(of: sensor.regionCode).map(\.code)
                guard rule.covers(sensorID: sensor.id, regionChain: chain) else { continue }
                let id = try await app.writeGate.exclusive(assignsIDs: true) { db -> Int64? in
                    let sql = try db.sql()
                    try await sql.lockSensorEvaluator(sensor.id)
                    // Re-read inside the write: a reading committed since the query above ends the staleness,
                    // whether processed (`last_observed_ms`) or still above the watermark (SQLite).
                    let fresh = try await SensorRegistry.load([sensor.id], on: sql)[sensor.id]
                    guard
                        AlarmEvaluator.isStale(
                            rule: rule, lastObserved: fresh?.lastObservedMS.map(VitalsTime.date), now: now),
                        try await !ReadingProcessor.hasUnprocessed(sensorID: sensor.id, on: sql)
                    else { return nil }
                    let store = AlarmStore(sql: sql, reference: reference, caseSeverities: severities, logger: logger)
                    return try await store.raise(
                        rule: rule, sensor: sensor, atMS: nowMS, value: nil, nowMS: nowMS, now: now)
                }
                if let id { raised.append(id) }
            }
        }
        return raised
    }

    /// The sweep as a service loop (every `interval` seconds).
    static func periodicTask(interval: TimeInterval) -> PeriodicTask {
        PeriodicTask(name: "stale feed sweep", interval: interval, startsAtOnce: false) { application, _ in
            _ = try await run(app: application, now: application.clock.now())
        }
    }
}
