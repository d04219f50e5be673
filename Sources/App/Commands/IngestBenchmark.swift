import AsyncHTTPClient
import Foundation
import NIOCore
import SQLKit
import Vapor

/// The ingestion benchmark behind `citynet bench ingest` (see ``BenchCommand``): readings per second through
/// `POST /api/v1/readings/batch` on a fresh embedded SQLite file with the default alarm rules on (PM2.5 values
/// around the 75 µg/m³ threshold), beside raw SQLite inserts of the same rows batched the same way, in the same run:
/// multi-row `INSERT … ON CONFLICT DO NOTHING` statements of ``ReadingIngest/chunk`` rows, one transaction per batch,
/// through the same write gate and connection (same durability: WAL, `synchronous` FULL, same page cache), into a
/// table with the same columns, unique key and time index as `readings`, with as many batches in flight. The two
/// alternate over ``rounds`` rounds of fresh minutes after one uncounted warm-up round, and each figure is the median
/// of its rounds (the per-round ratios are printed too).
/// The batches are answered once their readings are committed; their rollups, rule states and alarms follow
/// behind the ``ReadingProcessor``'s watermark, and `ingest_processed_readings` counts until the last of them is
/// committed too. Then the time from a threshold-crossing reading to its dispatched case
/// (``alarmToCase(post:token:)``).
struct IngestBenchmark {
    /// Readings per batch (one per sensor).
    let batchSize: Int
    /// Batches per round, through the API and then through the reference (a multiple of ``concurrency``, so that
    /// each sender keeps its sensors from round to round).
    let batches: Int
    let concurrency: Int
    /// Rounds; each figure is the median over them.
    var rounds = 3

    func run() async throws -> [String] {
        try await BenchApp.run { app, database in try await measure(app, database: database) }
    }

    /// Batch `index`'s rows: every sensor once, at minute `index` from 2024-01-01T00:00Z.
    /// Batch `index`'s rows, as sensors send them: each of the ``concurrency`` senders owns a slice of the sensors
    /// (batch `index` is sender `index % concurrency`'s), and each of its batches holds the next `concurrency`
    /// minutes of its slice, from 2024-01-01T00:00Z. Every sensor's readings thus arrive in observed order
    /// (batches of different senders still commit in any order, but never for the same sensor), so no reading is
    /// late and the figures measure ingestion, not replays after late readings (``AlarmReplay``).
    private func rows(_ index: Int) -> [(sensor: String, observedMS: Int64, value: Double)] {
        let senders = concurrency
        let slice = batchSize / senders
        let (sender, step) = (index % senders, index / senders)
        return (0..<senders).flatMap { offset in
            let minute = step * senders + offset
            let observed = Int64(1_704_067_200_000) + Int64(minute) * 60_000
            return (sender * slice..<(sender + 1) * slice).map { sensor in
                ("bench-\(sensor)", observed, Double(60 + (sensor * 7 + minute * 13) % 31))
            }
        }
    }

    private func measure(_ app: Application, database: String) async throws -> [String] {
        try await configure(app, config: AppConfig(storage: .sqliteFile(database), escalationInterval: nil))
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        guard let port = app.http.server.shared.localAddress?.port else { throw CommandFailure("server has no port") }
        let base = "http://127.0.0.1:\(port)"
        let reference = app.reference
        _ = try await app.writeGate.exclusive { db in
            try await Access.createOperator(
                username: "bench", password: "bench password 1", unitCode: "310000.operations_centre",
                role: .cityOperator, reference: reference, on: db, now: Date())
        }
        var client = HTTPClient.Configuration()
        client.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = concurrency
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: client)
        defer { Task { try? await http.shutdown() } }
        @Sendable func post(_ path: String, _ body: String, token: String?) async throws
            -> (HTTPResponseStatus, ByteBuffer)
        {
            var request = HTTPClientRequest(url: base + path)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
            request.body = .bytes(ByteBuffer(string: body))
            let response = try await http.execute(request, timeout: .seconds(120))
            return (response.status, try await response.body.collect(upTo: 64 << 20))
        }
        let (_, login) = try await post(
            "/api/v1/sessions", #"{"username":"bench","password":"bench password 1"}"#, token: nil)
        struct Session: Decodable { var token: String }
        let token = try JSONDecoder().decode(Session.self, from: Data(buffer: login)).token
        let sensors = (0..<batchSize).map {
            #"{"id":"bench-\#($0)","kind":"air_quality","name":"bench \#($0)","region_code":"310101","unit_code":"310101.eco_environment","attributes":[{"name":"pm25","unit":"GQ"}]}"#
        }
        for part in stride(from: 0, to: sensors.count, by: 1000) {
            let slice = sensors[part..<min(part + 1000, sensors.count)]
            let (status, _) = try await post(
                "/api/v1/sensor-imports", #"{"sensors":["# + slice.joined(separator: ",") + "]}", token: token)
            guard status == .ok else { throw CommandFailure("sensor registration failed with \(status)") }
        }
        let bodies = (0..<batches * (rounds + 1)).map { index in
            #"{"readings":["#
                + rows(index).map { row in
                    let time = Date(timeIntervalSince1970: Double(row.observedMS) / 1000).ISO8601Format()
                    return
                        #"{"sensor_id":"\#(row.sensor)","attribute":"pm25","value":\#(row.value),"observed_at":"\#(time)"}"#
                }.joined(separator: ",") + "]}"
        }
        let sql = try app.db.sql()
        try await sql.raw(
            """
            CREATE TABLE bench_readings (id INTEGER PRIMARY KEY AUTOINCREMENT, sensor_id TEXT NOT NULL,
            attribute TEXT NOT NULL, observed_ms INTEGER NOT NULL, received_ms INTEGER NOT NULL, value REAL NOT NULL,
            UNIQUE (sensor_id, attribute, observed_ms))
            """
        ).run()
        // The same indexes as `readings`, so the reference writes as many index entries per row.
        try await sql.raw("CREATE INDEX bench_readings_observed_idx ON bench_readings (observed_ms)").run()
        let writer = app.writeGate
        // Rounds alternate the API and the reference over fresh minutes, so that both meet the same machine
        // state (page cache, WAL size, a neighbour's load) and one noisy moment moves one round, not the result.
        var apiRates: [Double] = []
        var rawRates: [Double] = []
        var processedRates: [Double] = []
        // Round 0 warms both paths up (connections, caches, the first pages of each table) and is not counted.
        for round in 0...rounds {
            let offset = round * batches
            let started = ContinuousClock.now
            apiRates.append(
                try await rate { index in
                    let (status, body) = try await post(
                        "/api/v1/readings/batch", bodies[offset + index], token: token)
                    guard status == .ok, String(buffer: body).contains("\"errors\":0") else {
                        throw CommandFailure(
                            "batch \(offset + index) failed with \(status): \(String(buffer: body).prefix(300))")
                    }
                })
            // The batches' rollups, rule states and alarms follow behind the watermark: the time until the last
            // of them is committed gives the processed rate (and the reference does not share the CPU with them).
            try await app.readingProcessor.catchUp(app: app)
            processedRates.append(Double(batches * batchSize) / (ContinuousClock.now - started).seconds)
            rawRates.append(
                try await rate { index in
                    let rows = rows(offset + index)
                    try await writer.exclusive { db in
                        let sql = try db.sql()
                        for part in stride(from: 0, to: rows.count, by: ReadingIngest.chunk) {
                            var insert = sql.insert(into: "bench_readings").columns(
                                "sensor_id", "attribute", "observed_ms", "received_ms", "value")
                            for row in rows[part..<min(part + ReadingIngest.chunk, rows.count)] {
                                insert = insert.values(
                                    SQLBind(row.sensor), SQLBind("pm25"), SQLBind(row.observedMS),
                                    SQLBind(Int64(0)), SQLBind(row.value))
                            }
                            try await insert.ignoringConflicts().run()
                        }
                    }
                })
        }
        let latencies = try await alarmToCase(post: post, token: token)
        await app.server.shutdown()
        struct Count: Decodable { var n: Int }
        let alarms = try await sql.raw("SELECT COUNT(*) AS n FROM alarms").first(decoding: Count.self)?.n ?? 0
        let cases =
            try await sql.raw(
                "SELECT COUNT(*) AS n FROM alarms WHERE rule_code = 'road_ponding' AND case_id IS NOT NULL"
            ).first(decoding: Count.self)?.n ?? 0
        guard cases == latencies.count else {
            throw CommandFailure("\(latencies.count) ponding readings opened \(cases) cases")
        }
        let sorted = latencies.sorted()
        func ms(_ duration: Duration) -> String { String(format: "%.1f", duration.seconds * 1000) }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        (apiRates, rawRates, processedRates) = (
            Array(apiRates.dropFirst()), Array(rawRates.dropFirst()), Array(processedRates.dropFirst())
        )
        let ratios = zip(apiRates, rawRates).map { $0 / $1 }.map { String(format: "%.2f", $0) }
        let (api, raw) = (median(apiRates), median(rawRates))
        return [
            "bench ingest_http_readings \(Int(api)) readings/s reference \(Int(raw)) rows/s",
            "bench ingest_ratio \(String(format: "%.2f", api / raw)) ratio reference 0.5 floor",
            "bench ingest_round_ratios \(ratios.joined(separator: ",")) ratio reference 0.5 floor",
            "bench ingest_processed_readings \(Int(median(processedRates))) readings/s reference \(Int(raw)) rows/s",
            "bench ingest_alarms \(alarms - cases) alarms reference \(batchSize) sensors",
            "bench ingest_reading_to_case_median \(ms(sorted[sorted.count / 2])) ms reference 100 ms aim",
            "bench ingest_reading_to_case_max \(ms(sorted[sorted.count - 1])) ms reference 100 ms aim",
        ]
    }

    /// The time from a reading that crosses a threshold to its dispatched case: one ponding gauge per sample
    /// (registered first), one reading of 20 cm (the default rule raises at ≥ 15 cm and opens a case), sent alone
    /// through `POST /api/v1/readings`, timed from the send to the 201, which comes after the alarm, the report and
    /// the dispatched case are committed. Samples one after another, after the throughput run.
    private func alarmToCase(
        post: @Sendable (String, String, String?) async throws -> (HTTPResponseStatus, ByteBuffer), token: String
    ) async throws -> [Duration] {
        let samples = 30
        let gauges = (0..<samples).map {
            #"{"id":"bench-pond-\#($0)","kind":"ponding","name":"bench gauge \#($0)","lat":31.2455,"long":121.4160,"address":"曹杨新村街道曹杨路桥","unit_code":"310107.road_maintenance","attributes":[{"name":"waterDepth","unit":"CMT"}]}"#
        }
        let (status, _) = try await post(
            "/api/v1/sensor-imports", #"{"sensors":["# + gauges.joined(separator: ",") + "]}", token)
        guard status == .ok else { throw CommandFailure("gauge registration failed with \(status)") }
        var latencies: [Duration] = []
        for index in 0..<samples {
            let body =
                #"{"sensor_id":"bench-pond-\#(index)","attribute":"waterDepth","value":20,"observed_at":"\#(Date().ISO8601Format())"}"#
            let started = ContinuousClock.now
            let (status, answer) = try await post("/api/v1/readings", body, token)
            latencies.append(ContinuousClock.now - started)
            guard status == .created else {
                throw CommandFailure("ponding reading failed with \(status): \(String(buffer: answer).prefix(300))")
            }
        }
        return latencies
    }

    /// Runs `body` for batches 0..<batches on `concurrency` tasks; returns readings per second.
    private func rate(_ body: @escaping @Sendable (Int) async throws -> Void) async throws -> Double {
        let total = batches
        let workers = concurrency
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    for step in stride(from: worker, to: total, by: workers) { try await body(step) }
                }
            }
            try await group.waitForAll()
        }
        return Double(total * batchSize) / (ContinuousClock.now - started).seconds
    }
}
