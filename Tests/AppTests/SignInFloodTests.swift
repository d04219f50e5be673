import CityDomain
import Fluent
import NIOConcurrencyHelpers
import Testing
import Vapor
import VaporTesting

@testable import App

/// Every write goes through the one write path: failed sign-ins flooding in beside Open311 and hotline intake on a
/// SQLite file (two connections) must not make any intake fail with "database is locked" or leave a call untriaged.
@Suite struct SignInFloodTests {
    /// Calls the classifier dispatches (different categories and streets), so each one writes a triage outcome.
    static let calls = [
        "北蔡镇莲溪路一小区楼上装修，每天早上七点就开始电钻声，吵得无法休息",
        "南京东路街道某小区门口的消防通道被私家车堵住了，请尽快处理",
        "花木街道锦绣路上有一个窨井盖缺失，非常危险",
        "外滩街道中山东一路垃圾堆放好几天没人清运，臭味很大",
    ]

    /// Counts answers by status.
    final class Tally: Sendable {
        private let box = NIOLockedValueBox<[UInt: Int]>([:])
        func add(_ status: HTTPStatus) { box.withLockedValue { $0[status.code, default: 0] += 1 } }
        var counts: [UInt: Int] { box.withLockedValue { $0 } }
        var serverErrors: Int { counts.filter { $0.key >= 500 }.values.reduce(0, +) }
    }

    @Test func failedSignInsBesideIntakeOnASQLiteFileBreakNothing() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("citynet-flood-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await TestApp.withApp(sqliteFile: directory.appendingPathComponent("flood.sqlite").path) { app, _ in
            try await Self.flood(app)
        }
    }

    /// The same flood on the default test database (PostgreSQL when `TEST_DATABASE_URL` is set).
    @Test func failedSignInsBesideIntakeOnTheTestDatabaseBreakNothing() async throws {
        try await TestApp.withApp { app, _ in try await Self.flood(app) }
    }

    /// 4 loops of failed sign-ins (one on a known operator, three on a throttled unknown name) and one of sign-in and
    /// sign-out run until 6 loops of intake, each alternating Open311 posts and hotline calls, are done; then counts
    /// the answers and the untriaged calls.
    static func flood(_ app: Application, intakesPerLoop: Int = 16) async throws {
        let key = try await TestApp.apiKey(app)
        _ = try await Access.createOperator(
            username: "pd.op", password: "correct horse 1", unitCode: "310115.operations_centre",
            role: .districtOperator, reference: app.reference, on: app.db, now: app.clock.now())
        _ = try await Access.createOperator(
            username: "hp.op", password: "correct horse 1", unitCode: "310101.operations_centre",
            role: .districtOperator, reference: app.reference, on: app.db, now: app.clock.now())
        // One unknown name is throttled already, so its attempts are answered at once (429) and write fast; the
        // known operator's are checked with Bcrypt (401) until they are throttled too. (Both stay under the
        // per-address limit, which would also stop the sign-in loop: in memory every request has the same address.)
        for _ in 0..<Access.maxFailures {
            try await LoginFailure(username: "nobody", clientAddress: ClientAddress.unknown, at: app.clock.now())
                .create(on: app.db)
        }
        let signIns = Tally()
        let intakes = Tally()
        let done = NIOLockedValueBox(false)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for loop in 0..<4 {
                group.addTask {
                    let username = loop == 0 ? "pd.op" : "nobody"
                    var attempt = 0
                    while !done.withLockedValue({ $0 }) {
                        attempt += 1
                        let response = try await LoginThrottleTests.apiLogin(app, username, "wrong guess \(attempt)")
                        signIns.add(response.status)
                    }
                }
            }
            group.addTask {
                // Sessions are written too: one operator signs in and out the whole time.
                while !done.withLockedValue({ $0 }) {
                    let response = try await LoginThrottleTests.apiLogin(app, "hp.op", "correct horse 1")
                    signIns.add(response.status)
                    let token = try response.content.decode(SessionController.SessionDTO.self).token
                    try await app.testing().test(.DELETE, "/api/v1/sessions", headers: .bearer(token)) {
                        signIns.add($0.status)
                    }
                }
            }
            group.addTask {
                try await withThrowingTaskGroup(of: Void.self) { intake in
                    for loop in 0..<6 {
                        intake.addTask {
                            for index in 0..<intakesPerLoop {
                                if index % 2 == 0 {
                                    let fields = [
                                        "api_key": key, "service_code": "noise.dog_barking", "lat": "31.2304",
                                        "long": "121.4737", "description": "洪水测试 \(loop)-\(index) 夜里狗一直叫",
                                    ]
                                    try await Open311IntakeTests.post(app, fields) { intakes.add($0.status) }
                                } else {
                                    let text = calls[(loop + index) % calls.count] + " \(loop)-\(index)"
                                    let (status, _, _) = try await HotlineAPITests.post(
                                        app, key: key, ["text": text, "channel": "phone"])
                                    intakes.add(status)
                                }
                            }
                        }
                    }
                    try await intake.waitForAll()
                }
                done.withLockedValue { $0 = true }
            }
            try await group.waitForAll()
        }
        let hotline = try await Report.query(on: app.db).filter(\.$source == .hotline).all()
        let untriaged = hotline.filter { $0.triageState == .pending }
        let total = 6 * intakesPerLoop
        #expect(intakes.serverErrors == 0, "intake answers: \(intakes.counts)")
        #expect(intakes.counts[201] == total, "intake answers: \(intakes.counts)")
        #expect(signIns.serverErrors == 0, "sign-in answers: \(signIns.counts)")
        #expect(signIns.counts.values.reduce(0, +) >= 4, "sign-in answers: \(signIns.counts)")
        #expect(hotline.count == total / 2)
        #expect(untriaged.count == 0, "\(untriaged.count) of \(hotline.count) hotline calls untriaged")
        #expect(try await Report.query(on: app.db).count() == total)
    }
}
