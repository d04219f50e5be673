import AsyncHTTPClient
import CityDomain
import Fluent
import Histogram
import NIOCore
import SQLKit
import Vapor

/// The intake benchmark behind `citynet bench intake` (see ``BenchCommand``).
struct IntakeBenchmark {
    let requests: Int
    let concurrency: Int

    /// Real district seats (DataV `center`, converted to WGS84) to spread reports over Shanghai.
    static let points: [(Double, Double)] = [
        (31.2304, 121.4737), (31.2397, 121.4998), (31.1880, 121.4365), (31.2204, 121.4246),
        (31.2491, 121.3975), (31.2646, 121.5053), (31.2595, 121.5260), (31.1124, 121.3815),
        (31.4052, 121.4893), (31.3752, 121.2653), (30.7413, 121.3418), (31.0323, 121.2277),
        (31.1506, 121.1243), (30.9180, 121.4737), (31.6232, 121.3973), (31.2210, 121.5440),
    ]

    func run() async throws -> [String] {
        try await BenchApp.run { app, database in try await measure(app, database: database) }
    }

    private func measure(_ app: Application, database: String) async throws -> [String] {
        try await configure(app, config: AppConfig(storage: .sqliteFile(database), escalationInterval: nil))
        app.get("bench", "noop") { _ in HTTPStatus.ok }
        app.http.server.configuration.hostname = "127.0.0.1"
        app.http.server.configuration.port = 0
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        guard let port = app.http.server.shared.localAddress?.port else { throw CommandFailure("server has no port") }
        let key = try await app.writeGate.exclusive { db in
            try await Access.createAPIKey(name: "bench", scopes: [.open311], on: db, now: Date()).1
        }
        let codes = app.reference.taxonomy.all.filter(app.reference.isService).map(\.code)
        let base = "http://127.0.0.1:\(port)"

        let noop = try await load(requests: requests) { _ in
            var request = HTTPClientRequest(url: "\(base)/bench/noop")
            request.method = .GET
            return request
        }
        let intake = try await load(requests: requests) { index in
            let point = Self.points[index % Self.points.count]
            var request = HTTPClientRequest(url: "\(base)/open311/v2/requests.json")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            let form =
                "api_key=\(key)&service_code=\(codes[index % codes.count])&lat=\(point.0)&long=\(point.1)"
                + "&description=bench%20report%20\(index)"
            request.body = .bytes(ByteBuffer(string: form))
            return request
        } check: { status in
            status == .created
        }

        await app.server.shutdown()
        let inProcess = try await inProcessIntake(app, codes: codes)
        let plainInsert = try await plainInserts(app)
        func ms(_ micros: UInt64) -> String { String(format: "%.2f", Double(micros) / 1000) }
        return [
            "bench intake_http_rps \(Int(intake.rate)) reports/s reference \(Int(noop.rate)) requests/s",
            "bench intake_http_p50 \(ms(intake.p50)) ms reference \(ms(noop.p50)) ms",
            "bench intake_http_p99 \(ms(intake.p99)) ms reference \(ms(noop.p99)) ms",
            "bench intake_commit_rps \(Int(inProcess)) cases/s reference \(Int(plainInsert)) rows/s",
        ]
    }

    struct LoadResult {
        var rate: Double
        var p50: UInt64
        var p99: UInt64
    }

    /// Sends `requests` requests from `concurrency` workers over keep-alive connections; latencies in µs.
    func load(
        requests: Int, make: @escaping @Sendable (Int) -> HTTPClientRequest,
        check: @escaping @Sendable (HTTPResponseStatus) -> Bool = { $0 == .ok }
    ) async throws -> LoadResult {
        // One connection per worker: the client's default pool (8 per host) would queue half of 16 workers inside
        // the client and hide the server's concurrency.
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = concurrency
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        defer { Task { try? await client.shutdown() } }
        let warmup = min(200, requests / 10)
        for index in 0..<warmup { _ = try await client.execute(make(index), timeout: .seconds(30)) }
        let started = ContinuousClock.now
        let perWorker = requests / concurrency
        let histograms = try await withThrowingTaskGroup(of: Histogram<UInt64>.self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000)
                    for step in 0..<perWorker {
                        let begin = ContinuousClock.now
                        let response = try await client.execute(
                            make(warmup + worker * perWorker + step), timeout: .seconds(30))
                        _ = try await response.body.collect(upTo: 1 << 20)
                        guard check(response.status) else {
                            throw CommandFailure("benchmark request failed with \(response.status)")
                        }
                        let elapsed = ContinuousClock.now - begin
                        _ = histogram.record(
                            UInt64(
                                elapsed.components.attoseconds / 1_000_000_000_000 + elapsed.components.seconds
                                    * 1_000_000))
                    }
                    return histogram
                }
            }
            var merged = Histogram<UInt64>(highestTrackableValue: 60_000_000)
            for try await histogram in group { merged.add(histogram) }
            return merged
        }
        let seconds = (ContinuousClock.now - started).seconds
        return LoadResult(
            rate: Double(perWorker * concurrency) / seconds, p50: histograms.valueAtPercentile(50),
            p99: histograms.valueAtPercentile(99))
    }

    /// Full intake (locate, dispatch, time limits, one transaction of report + case + 3 events) without HTTP.
    private func inProcessIntake(_ app: Application, codes: [String]) async throws -> Double {
        try await rate { step in
            let point = Self.points[step % Self.points.count]
            let intake = IntakeReport(
                source: .api, categoryCode: codes[step % codes.count], description: "bench \(step)",
                point: try GeoPoint(latitude: point.0, longitude: point.1), actor: "bench")
            _ = try await CaseIntake.register(
                intake, reference: app.reference, gate: app.writeGate, now: Date(), logger: app.logger)
        }
    }

    /// The reference: a plain SQL insert of the same report row, one statement (its own transaction) each.
    private func plainInserts(_ app: Application) async throws -> Double {
        guard let sql = app.db as? any SQLDatabase else { return 0 }
        return try await rate { step in
            let point = Self.points[step % Self.points.count]
            try await sql.insert(into: Report.schema)
                .columns("received_at", "source", "service_code", "description", "latitude", "longitude")
                .values(
                    SQLBind(Date()), SQLBind("api"), SQLBind("bench"), SQLBind("bench \(step)"),
                    SQLBind(point.0), SQLBind(point.1)
                )
                .run()
        }
    }

    /// Runs `body` for steps 0..<requests on `concurrency` tasks; returns steps per second.
    private func rate(_ body: @escaping @Sendable (Int) async throws -> Void) async throws -> Double {
        let total = requests
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
        return Double(total) / (ContinuousClock.now - started).seconds
    }
}

extension Duration {
    /// This duration in seconds as a Double.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
