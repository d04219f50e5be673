import CityDomain
import Foundation
import SQLKit
import Testing
import Vapor

@testable import App

/// `citynet sensors replay` and `alarm-report` (CityNet issue 11 §5) on the real Shanghai series bundled for the
/// demo: through ingestion, idempotent, and the alarms the default rules raise over its three years.
@Suite struct SensorReplayTests {
    static let shanghai = Result { try SensorReplay.bundledShanghai() }

    /// The first `hours` hours of the bundled series.
    static func slice(hours: Int) throws -> ReplayData {
        let data = try shanghai.get()
        let end = try #require(data.readings.first?.observed).addingTimeInterval(Double(hours) * 3600)
        return ReplayData(
            format: data.format, sites: data.sites, readings: data.readings.filter { $0.observed < end },
            gaps: data.gaps, problems: data.problems)
    }

    @Test func replayingTheSameSeriesTwiceStoresNothingTwiceAndReportsDuplicates() async throws {
        try await TestApp.withApp { app, _ in
            let data = try Self.slice(hours: 240)
            let first = try await SensorReplay.run(data, app: app, speed: nil)
            #expect(first.sensorsCreated == 4 && first.accepted == data.readings.count && first.duplicates == 0)
            #expect(first.errors.isEmpty)
            let readings = try await VitalsFixtures.count(app, "readings")
            let alarms = try await VitalsFixtures.count(app, "alarms")
            let rollupSum = try await Self.rollupReadings(app)
            #expect(readings == data.readings.count && rollupSum == readings)
            #expect(alarms == first.alarmsRaised && alarms > 0, "the first ten days of 2013 hold PM2.5 episodes")
            let second = try await SensorReplay.run(data, app: app, speed: nil)
            #expect(second.sensorsCreated == 0 && second.sensorsExisting == 4)
            #expect(second.accepted == 0 && second.duplicates == data.readings.count && second.alarmsRaised == 0)
            #expect(try await VitalsFixtures.count(app, "readings") == readings)
            #expect(try await VitalsFixtures.count(app, "alarms") == alarms)
            #expect(try await Self.rollupReadings(app) == rollupSum, "rollups not counted twice")
        }
    }

    @Test func pacedReplayWaitsForTheDataTimeAtTheGivenSpeed() async throws {
        try await TestApp.withApp { app, _ in
            let data = try Self.slice(hours: 4)
            let waits = WaitLog()
            let report = try await SensorReplay.run(
                data, app: app, speed: 3600, sleep: { waits.add($0) })
            #expect(report.accepted == data.readings.count)
            // 3,600 data hours a second: each data hour is due 1 ms after the previous; three hours after the first.
            #expect(waits.all.count <= 3 && waits.all.allSatisfy { $0 <= .milliseconds(3) })
        }
    }

    /// Sum of readings counted in the hour rollups.
    static func rollupReadings(_ app: Application) async throws -> Int {
        let sql = try #require(app.db as? any SQLDatabase)
        let row = try await sql.raw("SELECT CAST(SUM(n) AS BIGINT) AS n FROM reading_rollups_hour").first()
        return Int(try row?.decode(column: "n", as: Int64?.self) ?? 0)
    }

    /// The figures for the closing note of issue 11, computed from the whole bundled series by the evaluator
    /// ingestion uses; the Jingan site is also replayed through ingestion and must raise exactly as many alarms.
    @Test func theWholeShanghaiSeriesRaisesTheseGradeTwoPM25Alarms() async throws {
        let data = try Self.shanghai.get()
        #expect(data.readings.count == 173_821 && data.gaps == 5_393 && data.problems.isEmpty)
        let rows = Dictionary(uniqueKeysWithValues: SensorAlarmReport.rows(data).map { ($0.sensorID, $0) })
        #expect(Set(rows.values.map(\.rule)) == ["pm25_grade2"], "the only default rule with Shanghai data")
        let jingan = try #require(rows["sh.pm25.jingan"]?.summary)
        let usPost = try #require(rows["sh.pm25.us-post"]?.summary)
        let xuhui = try #require(rows["sh.pm25.xuhui"]?.summary)
        #expect([jingan.count, usPost.count, xuhui.count] == [430, 395, 452] as [Int])
        #expect([jingan.totalReadings, usPost.totalReadings, xuhui.totalReadings] == [5422, 4624, 5600] as [Int])
        #expect([jingan.longestReadings, usPost.longestReadings, xuhui.longestReadings] == [214, 132, 122] as [Int])
        // Jingan's longest span runs across 324 hours without data (February 2013): the alarm stays active through
        // a gap until a reading clears it.
        #expect([jingan.longestHours, usPost.longestHours, xuhui.longestHours] == [331.0, 132.0, 130.0])
        try await TestApp.withApp { app, _ in
            let site = try #require(data.sites.first { $0.id == "sh.pm25.jingan" })
            let only = ReplayData(
                format: data.format, sites: [site], readings: data.readings.filter { $0.sensorID == site.id },
                gaps: 0, problems: [])
            let report = try await SensorReplay.run(only, app: app, speed: nil)
            #expect(report.accepted == only.readings.count && report.alarmsRaised == jingan.count)
            let open = AlarmEpisodes.episodes(
                rule: DefaultAlarmRules.pm25, readings: only.readings.map { ($0.observed, $0.value) }
            ).filter { $0.clearedAt == nil }.count
            #expect(try await VitalsFixtures.count(app, "alarms", where: "WHERE status = 'active'") == open)
        }
    }
}

/// The waits a paced replay asked for.
final class WaitLog: @unchecked Sendable {
    // @unchecked Sendable: guarded by `lock`.
    private let lock = NSLock()
    private var waits: [Duration] = []
    func add(_ wait: Duration) { lock.withLock { waits.append(wait) } }
    var all: [Duration] { lock.withLock { waits } }
}

/// `--server`: the same replay through a running server's HTTP API.
@Suite struct SensorReplayServerTests {
    @Test func aReplayOverHTTPRegistersAndIngestsOnceAndReportsDuplicatesTheSecondTime() async throws {
        try await TestApp.withApp { app, _ in
            let token = try await VitalsFixtures.token(app)
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            defer { Task { await app.server.shutdown() } }
            let port = try #require(app.http.server.shared.localAddress?.port)
            let data = try ReplayParser.parse("Date,Berri 1,Rachel1\n2012-01-01,35,16\n2012-01-02,83,NA\n")
            let target = SensorReplay.Target.server(
                base: "http://127.0.0.1:\(port)/", token: token, client: app.http.client.shared,
                reference: app.reference)
            let first = try await SensorReplay.run(data, to: target, speed: nil)
            #expect(first.sensorsCreated == 2 && first.accepted == 3 && first.errors.isEmpty && first.gaps == 1)
            #expect(first.alarmsRaised == nil, "the server's alarms are not counted over HTTP")
            let second = try await SensorReplay.run(data, to: target, speed: nil)
            #expect(second.sensorsExisting == 2 && second.accepted == 0 && second.duplicates == 3)
            #expect(try await VitalsFixtures.count(app, "readings") == 3)
            let refused = SensorReplay.Target.server(
                base: "http://127.0.0.1:\(port)", token: "not-a-token", client: app.http.client.shared,
                reference: app.reference)
            await #expect(throws: CommandFailure.self) { _ = try await SensorReplay.run(data, to: refused, speed: nil) }
        }
    }
}

/// The command's arguments: precise refusals before anything is written.
@Suite struct SensorReplayArgumentTests {
    @Test func speedFileFormatAndServerAreCheckedWithPreciseErrors() async throws {
        #expect(try ReplayArguments.speed(nil) == nil && ReplayArguments.speed("24") == 24)
        for bad in ["0", "-1", "abc", "nan", "inf", "2000000"] {
            #expect(throws: CommandFailure.self, "speed \(bad)") { try ReplayArguments.speed(bad) }
        }
        func message(_ body: () throws -> Any) -> String {
            do {
                _ = try body()
                return ""
            } catch { return "\(error)" }
        }
        #expect(message { try ReplayArguments.data(nil) }.contains("--data FILE is required"))
        #expect(message { try ReplayArguments.data("/nonexistent/x.csv") }.contains("no such file"))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("replay-\(UUID().uuidString).csv")
        try "id,reading\n1,2\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(message { try ReplayArguments.data(file.path) }.contains("unknown format"))
        try await TestApp.withApp { app, _ in
            #expect(message { try ReplayArguments.target("ftp://x", token: "t", app: app) }.contains("http(s) URL"))
            #expect(
                message { try ReplayArguments.target("http://127.0.0.1:1", token: nil, app: app) }.contains("--token"))
            #expect(message { try ReplayArguments.target(nil, token: "t", app: app) }.contains("only for --server"))
        }
    }
}
