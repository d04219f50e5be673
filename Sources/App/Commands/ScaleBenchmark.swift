import AsyncHTTPClient
import CityDomain
import Fluent
import NIOCore
import SQLKit
import Vapor

/// `citynet bench scale [--cases N] [--runs R]` (see ``BenchCommand``): the screens and lists of issue #17's table,
/// issue #12's search, triage desk and trends, and issue #17's load figures (``load(_:client:)``) on the command's
/// own database (`--database PATH` or `DATABASE_URL`; first topped up to N cases with
/// ``HistorySeed`` when it holds fewer), beside the same requests on a fresh database of 10,000 seeded cases of the
/// same kind (an SQLite file, or a schema of its own on the same PostgreSQL) in the same run.
/// Before measuring, each database gets a triage backlog of ``triageBacklog`` reports
/// (``fillTriageQueue(_:target:log:)``).
///
/// Each endpoint is asked through real HTTP (the app in process, a keep-alive client): its first request after the
/// server started is the cold figure, the median of the next `runs` the warm one. "Cold" is cold for the app (its
/// connections, SQLite's page cache and prepared statements), not for the operating system's file cache.
/// Lines: `bench scale_<endpoint>_warm <ms> ms reference <ms> ms` and `bench scale_<endpoint>_cold …`, then
/// `bench scale_cases <N> cases reference 10000 cases`.
struct ScaleBenchmark {
    var cases: Int?
    var runs: Int
    static let referenceCases = 10_000

    /// One measured endpoint.
    struct Endpoint: Sendable {
        var name: String
        var make: @Sendable (_ fixture: Fixture, _ run: Int) -> HTTPClientRequest
    }

    /// What the requests need: the server, sign-ins, a hotline key and what to ask for.
    struct Fixture: Sendable {
        var base: String
        var cityToken: String
        var districtToken: String
        var hotlineKey: String
        var category: String
        var caseID: Int
        var district: String
    }

    /// Warm median and cold time of one endpoint, in milliseconds.
    struct Figure: Sendable {
        var warm: Double
        var cold: Double
    }

    static let endpoints: [Endpoint] = [
        Endpoint(name: "city_screen") { f, _ in get(f.base + "/console", cookie: f.cityToken) },
        Endpoint(name: "city_screen_district") { f, _ in
            get(f.base + "/console?district=\(f.district)", cookie: f.cityToken)
        },
        Endpoint(name: "console_summary") { f, _ in get(f.base + "/console/summary", cookie: f.cityToken) },
        Endpoint(name: "api_cases_district_operator") { f, _ in
            get(f.base + "/api/v1/cases", bearer: f.districtToken)
        },
        Endpoint(name: "api_cases_category_page50") { f, _ in
            get(f.base + "/api/v1/cases?category=\(f.category)&limit=50&offset=2450", bearer: f.cityToken)
        },
        Endpoint(name: "open311_requests_closed") { f, _ in
            get(f.base + "/open311/v2/requests.json?status=closed")
        },
        Endpoint(name: "hotline_intake") { f, run in
            hotlineCall(f, text: "浦东新区北蔡镇莲溪路\(run % 90 + 10)号门口的垃圾已经三天没人清运了，气味很大，请尽快处理")
        },
        Endpoint(name: "case_detail") { f, _ in get(f.base + "/api/v1/cases/\(f.caseID)", bearer: f.cityToken) },
        Endpoint(name: "case_page") { f, _ in get(f.base + "/console/cases/\(f.caseID)", cookie: f.cityToken) },
        Endpoint(name: "case_desk") { f, _ in get(f.base + "/console/cases", cookie: f.cityToken) },
        // Issue #12's pages: search (a common phrase and an address), the triage desk, the trends.
        Endpoint(name: "console_search_phrase") { f, _ in
            get(f.base + "/console/search?q=" + query("噪声"), cookie: f.cityToken)
        },
        Endpoint(name: "console_search_address") { f, _ in
            get(f.base + "/console/search?q=" + query("和平路28号"), cookie: f.cityToken)
        },
        Endpoint(name: "console_triage") { f, _ in get(f.base + "/console/triage", cookie: f.cityToken) },
        Endpoint(name: "console_trends") { f, _ in get(f.base + "/console/trends", cookie: f.cityToken) },
    ]

    /// Hotline reports waiting in the triage queue when the pages are measured, on both databases: about what
    /// the demo's 3,800 calls left waiting (2,210), fed in through the hotline's own intake.
    static let triageBacklog = 2_000

    /// - Returns: the `bench` lines.
    func run(on app: Application, log: @escaping @Sendable (String) -> Void) async throws -> [String] {
        var total = try await Case.query(on: app.db).count()
        if let cases, total < cases {
            log("seeding \(cases - total) cases into the database under test")
            _ = try await HistorySeed.run(
                cases: cases - total, reference: app.reference, gate: app.writeGate, now: app.clock.now())
            total = cases
        }
        try await Self.fillTriageQueue(app, log: log)
        log("measuring \(total) cases")
        let (measured, load) = try await measure(app)
        log("measuring the reference: \(Self.referenceCases) cases")
        let (reference, referenceLoad) = try await withReferenceApp(like: app) { reference in
            _ = try await HistorySeed.run(
                cases: Self.referenceCases, reference: reference.reference, gate: reference.writeGate,
                now: reference.clock.now())
            try await Self.fillTriageQueue(reference, log: log)
            return try await measure(reference)
        }
        func ms(_ value: Double) -> String { String(format: "%.1f", value) }
        var lines: [String] = []
        for endpoint in Self.endpoints {
            guard let big = measured[endpoint.name], let small = reference[endpoint.name] else { continue }
            lines.append("bench scale_\(endpoint.name)_warm \(ms(big.warm)) ms reference \(ms(small.warm)) ms")
            lines.append("bench scale_\(endpoint.name)_cold \(ms(big.cold)) ms reference \(ms(small.cold)) ms")
        }
        lines += Self.loadLines(load, reference: referenceLoad)
        lines.append("bench scale_cases \(total) cases reference \(Self.referenceCases) cases")
        return lines
    }

    /// Starts `app`'s server, signs in, measures every endpoint, stops the server.
    private func measure(_ app: Application) async throws -> ([String: Figure], Load) {
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        do {
            let figures = try await measureRunning(app)
            await app.server.shutdown()
            return figures
        } catch {
            await app.server.shutdown()
            throw error
        }
    }

    private func measureRunning(_ app: Application) async throws -> ([String: Figure], Load) {
        guard let port = app.http.server.shared.localAddress?.port else { throw CommandFailure("server has no port") }
        let fixture = try await Self.fixture(app, base: "http://127.0.0.1:\(port)")
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { Task { try? await client.shutdown() } }
        var figures: [String: Figure] = [:]
        var run = 0
        for endpoint in Self.endpoints {
            var times: [Double] = []
            for _ in 0...runs {
                let started = ContinuousClock.now
                let response = try await client.execute(endpoint.make(fixture, run), timeout: .seconds(600))
                _ = try await response.body.collect(upTo: 64 << 20)
                guard (200..<300).contains(response.status.code) else {
                    throw CommandFailure("\(endpoint.name) answered \(response.status)")
                }
                times.append((ContinuousClock.now - started).seconds * 1000)
                run += 1
            }
            let warm = times.dropFirst().sorted()
            figures[endpoint.name] = Figure(warm: warm[warm.count / 2], cold: times[0])
        }
        return (figures, try await Self.load(fixture, client: client))
    }

    /// Operators of the city and of Pudong signed in, a hotline key, the commonest category and a case to read.
    private static func fixture(_ app: Application, base: String) async throws -> Fixture {
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let reference = app.reference
        let now = app.clock.now()
        let district = "310115"
        let key = try await app.writeGate.exclusive { db in
            for (name, unit, role) in [
                ("bench-city-\(suffix)", "310000.operations_centre", OperatorRole.cityOperator),
                ("bench-district-\(suffix)", "\(district).operations_centre", .districtOperator),
            ] {
                _ = try await Access.createOperator(
                    username: name, password: "bench password \(suffix)", unitCode: unit, role: role,
                    reference: reference, on: db, now: now)
            }
            return try await Access.createAPIKey(name: "bench-\(suffix)", scopes: [.hotline], on: db, now: now).1
        }
        func token(_ name: String) async throws -> String {
            guard
                let session = try await Access.login(
                    username: name, password: "", clientAddress: "bench", lifetime: 3600, reference: reference,
                    on: app.db, gate: app.writeGate, now: now, verify: { _, _ in true })
            else { throw CommandFailure("bench operator \(name) could not sign in") }
            return session.token
        }
        struct Row: Decodable {
            var categoryCode: String
            enum CodingKeys: String, CodingKey { case categoryCode = "category_code" }
        }
        let common = try await app.db.sql().raw(
            #"SELECT "category_code" FROM "cases" GROUP BY "category_code" ORDER BY COUNT(*) DESC LIMIT 1"#
        ).first(decoding: Row.self)
        let middle = try await app.db.sql().raw(#"SELECT MAX("id") / 2 AS "id" FROM "cases""#).first()
        return Fixture(
            base: base, cityToken: try await token("bench-city-\(suffix)"),
            districtToken: try await token("bench-district-\(suffix)"), hotlineKey: key,
            category: common?.categoryCode ?? "sanitation", caseID: max(1, try middle?.decode(column: "id") ?? 1),
            district: district)
    }

    /// Runs `body` on a fresh app of the same storage kind as `app`: a new SQLite file, or a new schema on the
    /// same PostgreSQL server (dropped afterwards).
    private func withReferenceApp(
        like app: Application, _ body: (Application) async throws -> ([String: Figure], Load)
    ) async throws -> ([String: Figure], Load) {
        var lines: ([String: Figure], Load)?
        _ = try await BenchApp.run { reference, path in
            var config = AppConfig(storage: .sqliteFile(path), escalationInterval: nil)
            var schema: String?
            if case .postgres(let url, _) = app.config.storage {
                let name = "bench_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
                try await app.db.sql().raw("CREATE SCHEMA \(ident: name)").run()
                schema = name
                config.storage = .postgres(url: url, searchPath: [name])
            }
            config.identityKey = app.config.identityKey
            do {
                try await configure(reference, config: config)
                lines = try await body(reference)
            } catch {
                if let schema { try? await app.db.sql().raw("DROP SCHEMA \(ident: schema) CASCADE").run() }
                throw error
            }
            if let schema { try await app.db.sql().raw("DROP SCHEMA \(ident: schema) CASCADE").run() }
            return []
        }
        guard let lines else { throw CommandFailure("the reference database was not measured") }
        return lines
    }

    /// Feeds the bundled demo messages in as 12345 calls (``HotlineIntake``, as `serve --demo` does) until at
    /// least `target` hotline reports wait in the triage queue (or 10 × `target` calls were made).
    /// - Returns: the reports waiting afterwards.
    /// - Throws: intake or database errors.
    @discardableResult
    static func fillTriageQueue(
        _ app: Application, target: Int = triageBacklog, log: @escaping @Sendable (String) -> Void
    ) async throws -> Int {
        func waiting() async throws -> Int {
            try await TriageQueries.waiting(on: app.db).count()
        }
        var queued = try await waiting()
        guard queued < target else { return queued }
        log("feeding 12345 calls until \(target) wait in triage (\(queued) now)")
        let messages = try HotlineDemo.messages(path: nil)
        var random = SplitMix64(seed: 12)
        var logger = app.logger
        logger.logLevel = .warning
        var calls = 0
        while queued < target, calls < 10 * target {
            let now = app.clock.now()
            let call = HotlineDemo.call(
                calls, messages: messages, hierarchy: app.reference.hierarchy, now: now, random: &random)
            let report = try await HotlineIntake.receive(call, context: HotlineContext(app, now: now, logger: logger))
            if report.triageState == .queued { queued += 1 }
            calls += 1
        }
        log("\(queued) reports wait in triage after \(calls) calls")
        return try await waiting()
    }

    /// `text` percent-encoded for a query string.
    private static func query(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }

    static func get(_ url: String, cookie: String? = nil, bearer: String? = nil) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        if let cookie { request.headers.add(name: "Cookie", value: "\(ConsoleSession.cookie)=\(cookie)") }
        if let bearer { request.headers.add(name: "Authorization", value: "Bearer \(bearer)") }
        return request
    }
}
