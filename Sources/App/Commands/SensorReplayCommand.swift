import CityDomain
import Foundation
import Vapor

/// `citynet sensors replay|alarm-report` — the real series in `shared/data` as sensor feeds (CityNet issue 11 §5).
struct SensorCommands: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] = [
        "replay": SensorReplayCommand(), "alarm-report": SensorAlarmReportCommand(),
    ]
    var help: String { "Replay real sensor series and report the alarms they raise" }
}

/// The arguments both commands share, checked with precise errors.
enum ReplayArguments {
    /// Reads and parses the file `--data` names.
    /// - Throws: ``CommandFailure`` for a missing option, an unreadable file or an unknown format.
    static func data(_ path: String?) throws -> ReplayData {
        guard let path, !path.isEmpty else {
            throw CommandFailure("--data FILE is required (a CSV of shared/data: Shanghai, Beijing or Montréal)")
        }
        guard let bytes = FileManager.default.contents(atPath: path) else {
            throw CommandFailure("--data \(path): no such file or not readable")
        }
        guard let text = String(data: bytes, encoding: .utf8) else {
            throw CommandFailure("--data \(path): not UTF-8 text")
        }
        do { return try ReplayParser.parse(text) } catch { throw CommandFailure("--data \(path): \(error)") }
    }

    /// `--server URL --token TOKEN`: another server's HTTP API; neither: this process's database.
    /// - Throws: ``CommandFailure`` for a URL that is not http(s), or one of the two without the other.
    static func target(_ server: String?, token: String?, app: Application) throws -> SensorReplay.Target {
        switch (server, token) {
        case (nil, nil): return .local(app)
        case (let server?, let token?):
            guard let url = URL(string: server), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw CommandFailure("--server must be an http(s) URL such as http://127.0.0.1:8080, got '\(server)'")
            }
            guard !token.isEmpty else { throw CommandFailure("--token must not be empty") }
            return .server(base: server, token: token, client: app.http.client.shared, reference: app.reference)
        case (_?, nil): throw CommandFailure("--server needs --token (an operator's session token)")
        case (nil, _?): throw CommandFailure("--token is only for --server")
        }
    }

    /// `--speed N`: data hours per real second, a number in (0, 1,000,000]; nil when not given.
    /// - Throws: ``CommandFailure`` for anything else.
    static func speed(_ text: String?) throws -> Double? {
        guard let text else { return nil }
        guard let speed = Double(text), speed.isFinite, speed > 0, speed <= 1_000_000 else {
            throw CommandFailure(
                "--speed must be data hours per real second, a number in (0, 1000000], got '\(text)'")
        }
        return speed
    }
}

/// `citynet sensors replay --data FILE [--speed N] [--server URL --token TOKEN]` — registers the file's sensors and
/// sends its readings through ingestion with the data's own timestamps as observed times, into the database CityNet
/// is pointed at (`--database PATH`, or `DATABASE_URL`), or to another server's HTTP API (`--server`). Without `--speed` as fast as ingestion takes them; `--speed 24` plays a
/// data day per second. Prints the figures of ``SensorReplay/Report``.
struct SensorReplayCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "data", help: "A CSV of shared/data: Shanghai PM2.5 + weather, Beijing 12 stations, Montréal")
        var data: String?
        @Option(name: "speed", help: "Data hours per real second (default: as fast as ingestion goes)")
        var speed: String?
        @Option(
            name: "server",
            help: "Send to this CityNet server's HTTP API instead of the database, e.g. http://host:8080")
        var server: String?
        @Option(
            name: "token", help: "With --server: an operations-centre operator's session token (POST /api/v1/sessions)")
        var token: String?
    }

    var help: String { "Replay a real hourly series as sensor feeds through ingestion" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let speed = try ReplayArguments.speed(signature.speed)
        let target = try ReplayArguments.target(signature.server, token: signature.token, app: context.application)
        let data = try ReplayArguments.data(signature.data)
        let console = context.console
        console.print(
            "replaying \(data.format.rawValue): \(data.sites.count) sensors, \(data.readings.count) readings, "
                + "\(data.gaps) gaps (NA), \(data.problems.count) problems")
        for problem in data.problems.prefix(10) { console.print("  \(problem)") }
        var shown = 0
        let report = try await SensorReplay.run(
            data, to: target, speed: speed,
            progress: { report in
                let done = report.accepted + report.duplicates + report.errors.values.reduce(0, +)
                if done >= shown + 50_000 {
                    shown = done
                    console.print("  … \(done) readings")
                }
            })
        for line in report.lines { console.print(line) }
    }
}

/// `citynet sensors alarm-report --data FILE` — runs the whole file through the default alarm rules in memory
/// (``AlarmEpisodes``, the evaluator ingestion uses, no database) and prints per sensor the alarms they raise: how
/// many, their total and longest duration from the first violating hour to the clearing one, and the peak.
struct SensorAlarmReportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "data", help: "A CSV of shared/data")
        var data: String?
    }

    var help: String { "Count the alarms the default rules raise over a real series" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let data = try ReplayArguments.data(signature.data)
        for line in SensorAlarmReport.lines(data) { context.console.print(line) }
    }
}

/// The alarm report of a replay file: per rule and sensor, the episodes of ``AlarmEpisodes``.
enum SensorAlarmReport {
    struct Row: Sendable, Equatable {
        var rule: String
        var sensorID: String
        var summary: AlarmEpisodes.Summary
    }

    /// The rows, one per (default value rule, sensor with readings of its attribute), in sensor order.
    static func rows(_ data: ReplayData, rules: [AlarmRule] = DefaultAlarmRules.all) -> [Row] {
        let end = data.readings.last?.observed ?? Date(timeIntervalSince1970: 0)
        var series: [String: [(observed: Date, value: Double)]] = [:]
        for reading in data.readings {
            series["\(reading.sensorID)\u{1}\(reading.attribute)", default: []].append(
                (reading.observed, reading.value))
        }
        var rows: [Row] = []
        for site in data.sites {
            for rule in rules where rule.raise != nil && rule.sensorKind == site.kind {
                guard let attribute = rule.attribute, let readings = series["\(site.id)\u{1}\(attribute)"] else {
                    continue
                }
                let episodes = AlarmEpisodes.episodes(rule: rule, readings: readings)
                rows.append(Row(rule: rule.code, sensorID: site.id, summary: .init(episodes, end: end)))
            }
        }
        return rows
    }

    static func lines(_ data: ReplayData) -> [String] {
        let first = data.readings.first?.observed.ISO8601Format() ?? "-"
        let last = data.readings.last?.observed.ISO8601Format() ?? "-"
        var lines = [
            "series \(data.format.rawValue) \(first) … \(last), \(data.readings.count) readings, \(data.gaps) gaps"
        ]
        for row in rows(data) {
            let summary = row.summary
            lines.append(
                "alarm \(row.rule) \(row.sensorID) episodes \(summary.count) total_hours "
                    + String(format: "%.0f", summary.totalHours) + " longest_hours "
                    + String(format: "%.0f", summary.longestHours) + " hours_with_data \(summary.totalReadings)"
                    + " longest_hours_with_data \(summary.longestReadings) longest_from "
                    + (summary.longestStart?.ISO8601Format() ?? "-") + " peak "
                    + (summary.peak.map { String(format: "%.0f", $0) } ?? "-"))
        }
        return lines
    }
}
