import CityDomain
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// The work that follows stored readings on the embedded SQLite default (CityNet issue 11 §6): rollups, each
/// sensor's `last_observed_ms`, alarm rule evaluation and the alarms and cases it raises, done behind a durable
/// watermark instead of inside each batch's transaction.
///
/// Ingestion commits the raw readings and answers (a 2xx means every accepted reading is durable); then one pass
/// takes every reading with an id above the watermark (`vitals_watermarks.reading_id`) in id order, as many
/// batches as have arrived, and commits their rollups, rule states, alarms, cases and the new watermark in one
/// transaction through the ``WriteGate``. A crash between the two leaves readings above the watermark, which the
/// first pass after start-up (``resume(app:)``) takes: nothing is lost or done twice. Since SQLite's writes are
/// serialised by the gate and its ids only grow (`AUTOINCREMENT`), "every id up to the watermark" is exactly the
/// processed readings.
///
/// Bound on the lag: ingestion that leaves more than ``maxLag`` readings unprocessed waits for the processing to
/// catch up before it answers, so alarms, cases and rollups trail the stored readings by at most that many
/// readings; with nobody waiting a pass starts at most ``gatherTime`` after the batch that needs it. Reads that must
/// see them (the series API, the alarm and sensor reads, clearing by hand, the staleness sweep) wait for the
/// watermark first (``catchUp(app:)``; for routes, ``ProcessedReadingsMiddleware``), which ends any gathering at once.
/// PostgreSQL, where several nodes insert at once and ids commit out of order, evaluates
/// in the ingestion transaction instead (``ReadingIngest``).
final class ReadingProcessor: Sendable {
    /// Readings one transaction processes at most.
    static let maxPass = 50_000
    /// Unprocessed readings above which ingestion waits before answering.
    static let maxLag: Int64 = 100_000
    /// With nobody waiting and fewer unprocessed readings than this, a pass waits ``gatherTime`` for more.
    static let gather: Int64 = 40_000
    static let gatherTime: Duration = .milliseconds(250)

    /// Readings a batch stored, handed over in memory so a pass need not read them back: ids `from…to` are
    /// exactly `readings` (any order).
    struct Handoff: Sendable {
        var from: Int64
        var to: Int64
        var readings: [ParsedReading]
        var nowMS: Int64
    }

    private struct State {
        var pending: [Handoff] = []
        /// The committed watermark, once known.
        var watermark: Int64?
        /// The largest reading id known to be stored.
        var target: Int64 = 0
        var running = false
        var waiters: [(id: Int64, continuation: CheckedContinuation<Void, any Error>)] = []
    }

    private let state = NIOLockedValueBox(State())

    /// Records readings stored by a committed transaction (kept in id order; one that a pass already took from
    /// the table is dropped by the next pass).
    func handOff(_ handoff: Handoff) {
        state.withLockedValue {
            $0.pending.append(handoff)
            $0.pending.sort { $0.from < $1.from }
            $0.target = max($0.target, handoff.to)
        }
    }

    /// Unprocessed readings up to id `id`, as far as this process knows.
    func lag(upTo id: Int64) -> Int64 {
        state.withLockedValue { id - ($0.watermark ?? 0) }
    }

    /// Returns once every reading up to id `id` is processed (starting a pass if none runs).
    /// - Throws: the error of a failed pass.
    func waitUntilProcessed(_ id: Int64, app: Application) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let done = state.withLockedValue { state -> Bool in
                if let watermark = state.watermark, watermark >= id { return true }
                state.target = max(state.target, id)
                state.waiters.append((id, continuation))
                return false
            }
            if done { continuation.resume() } else { start(app: app) }
        }
    }

    /// Returns once every reading stored before the call is processed (nothing to wait for on PostgreSQL).
    func catchUp(app: Application) async throws {
        let sql = try app.db.sql()
        guard sql.dialect.name == "sqlite" else { return }
        let row = try await sql.raw("SELECT COALESCE(MAX(id), 0) AS id FROM readings").first()
        try await waitUntilProcessed(try row?.decode(column: "id", as: Int64.self) ?? 0, app: app)
    }

    /// Whether `sensorID` has readings stored but not yet processed (above the watermark; always false on
    /// PostgreSQL, which processes in the ingesting transaction). Read through the id range above the watermark,
    /// which the lag bound keeps short, not through the sensor's whole history.
    static func hasUnprocessed(sensorID: String, on sql: any SQLDatabase) async throws -> Bool {
        guard sql.dialect.name == "sqlite" else { return false }
        return try await sql.raw(
            """
            SELECT 1 AS one FROM readings WHERE id > COALESCE((SELECT reading_id FROM vitals_watermarks \
            WHERE name = 'readings'), 0) AND +sensor_id = \(bind: sensorID) LIMIT 1
            """
        ).first() != nil
    }

    /// Starts processing what a previous run left above the watermark (SQLite; nothing on PostgreSQL).
    func resume(app: Application) {
        guard (try? app.db.sql().dialect.name) == "sqlite" else { return }
        Task {
            do { try await catchUp(app: app) } catch {
                app.logger.error("readings not processed at start-up", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Starts the pass loop unless it runs.
    func start(app: Application) {
        let begin = state.withLockedValue { state -> Bool in
            if state.running { return false }
            state.running = true
            return true
        }
        guard begin else { return }
        Task { await run(app: app) }
    }

    private func run(app: Application) async {
        while true {
            let work = state.withLockedValue { state -> Bool? in
                if let watermark = state.watermark, watermark >= state.target {
                    state.running = false
                    return nil
                }
                // With nobody waiting, a few more batches are let in first, so one pass serves more of them.
                return state.waiters.isEmpty && state.target - (state.watermark ?? 0) < Self.gather
            }
            guard let gather = work else { return }
            if gather { await self.gather() }
            let pending = state.withLockedValue { $0.pending }
            do {
                let (watermark, _) = try await app.writeGate.exclusive(assignsIDs: true) { db in
                    try await Self.pass(pending: pending, app: app, on: try db.sql())
                }
                let ready = state.withLockedValue { state in
                    state.watermark = watermark
                    // What is left handed over, and what waiters wait for, is the new target.
                    state.pending.removeAll { $0.to <= watermark }
                    let ready = state.waiters.filter { $0.id <= watermark }.map(\.continuation)
                    state.waiters.removeAll { $0.id <= watermark }
                    state.target = max(
                        watermark, state.pending.map(\.to).max() ?? 0, state.waiters.map(\.id).max() ?? 0)
                    return ready
                }
                for continuation in ready { continuation.resume() }
            } catch {
                app.vitalsCache.forgetAllStates()
                app.logger.error("reading processing failed", metadata: ["error": "\(error)"])
                let waiting = state.withLockedValue { state in
                    state.running = false
                    state.watermark = nil
                    state.pending.removeAll()
                    defer { state.waiters.removeAll() }
                    return state.waiters.map(\.continuation)
                }
                for continuation in waiting { continuation.resume(throwing: error) }
                return
            }
        }
    }

    /// Waits up to ``gatherTime`` for more batches, in steps of 10 ms, ending early once someone waits for the
    /// watermark (a read, a single reading, shutdown) or ``gather`` readings are unprocessed.
    private func gather() async {
        let end = ContinuousClock.now + Self.gatherTime
        while ContinuousClock.now < end {
            try? await Task.sleep(for: .milliseconds(10))
            let enough = state.withLockedValue { state in
                !state.waiters.isEmpty || state.target - (state.watermark ?? 0) >= Self.gather
            }
            if enough { return }
        }
    }

    /// One transaction: the readings above the stored watermark (at most ``maxPass``, whole hand-overs), rolled
    /// up, marked on their sensors and evaluated; then the watermark moved past them.
    /// - Returns: the new watermark and the largest stored reading id.
    private static func pass(pending: [Handoff], app: Application, on sql: any SQLDatabase) async throws
        -> (watermark: Int64, stored: Int64)
    {
        let watermark =
            try await sql.raw("SELECT reading_id FROM vitals_watermarks WHERE name = 'readings'").first()?
            .decode(column: "reading_id", as: Int64.self) ?? 0
        let stored =
            try await sql.raw("SELECT COALESCE(MAX(id), 0) AS id FROM readings").first()?
            .decode(column: "id", as: Int64.self) ?? 0
        guard stored > watermark else { return (watermark, stored) }
        var readings: [ParsedReading] = []
        var upTo = watermark
        var nowMS = VitalsTime.ms(app.clock.now())
        // The hand-overs serve when they continue the watermark without a gap; otherwise the rows are read back.
        for handoff in pending where handoff.to > watermark {
            guard handoff.from == upTo + 1, handoff.to <= stored,
                readings.isEmpty || readings.count + handoff.readings.count <= maxPass
            else { break }
            readings += handoff.readings
            upTo = handoff.to
            nowMS = handoff.nowMS
        }
        if upTo == watermark {
            upTo = min(stored, watermark + Int64(maxPass))
            readings = try await read(after: watermark, upTo: upTo, on: sql)
        }
        if !readings.isEmpty {
            try await ReadingRollups.add(idsAfter: watermark, upTo: upTo, on: sql)
            try await ReadingIngest.markLastObserved(idsAfter: watermark, upTo: upTo, on: sql)
            let cache = app.vitalsCache
            let sensors = try await cache.sensors(Set(readings.map(\.sensorID)), on: sql)
            let evaluation = AlarmEvaluation(
                sql: sql, reference: app.reference, caseSeverities: app.config.vitalsCaseSeverities, nowMS: nowMS,
                now: VitalsTime.date(nowMS), logger: app.logger)
            try await evaluation.evaluate(
                readings, sensors: sensors, rules: try await cache.rules(on: sql), cache: cache)
        }
        try await sql.raw(
            """
            INSERT INTO vitals_watermarks (name, reading_id) VALUES ('readings', \(bind: upTo)) \
            ON CONFLICT (name) DO UPDATE SET reading_id = excluded.reading_id
            """
        ).run()
        return (upTo, stored)
    }

    /// The readings with ids in `after+1…upTo`.
    private static func read(after: Int64, upTo: Int64, on sql: any SQLDatabase) async throws -> [ParsedReading] {
        try await sql.raw(
            """
            SELECT sensor_id, attribute, observed_ms, value FROM readings \
            WHERE id > \(bind: after) AND id <= \(bind: upTo) ORDER BY id
            """
        ).all().map { row in
            ParsedReading(
                sensorID: try row.decode(column: "sensor_id", as: String.self),
                attribute: try row.decode(column: "attribute", as: String.self),
                value: try row.decode(column: "value", as: Double.self), unit: nil,
                observedMS: try row.decode(column: "observed_ms", as: Int64.self))
        }
    }
}

/// Takes up the readings a previous run left above the watermark when the app boots, and finishes the processing
/// of stored readings when it shuts down, so a stopped server leaves none behind.
struct ReadingProcessorLifecycle: LifecycleHandler {
    func didBootAsync(_ application: Application) async throws {
        application.readingProcessor.resume(app: application)
    }

    func shutdownAsync(_ application: Application) async {
        do { try await application.readingProcessor.catchUp(app: application) } catch {
            application.logger.error("readings left unprocessed at shutdown", metadata: ["error": "\(error)"])
        }
    }
}

extension Application {
    private struct ReadingProcessorKey: StorageKey { typealias Value = ReadingProcessor }

    /// The app's reading processor; installed by `configure`.
    var readingProcessor: ReadingProcessor {
        get { storage.required(ReadingProcessorKey.self) }
        set { storage[ReadingProcessorKey.self] = newValue }
    }
}
