import CityDomain
import Foundation
import SQLKit
import Vapor

/// Feeds a replay file (``ReplayParser``) into CityNet as sensor feeds: registers its sensors, then sends its
/// readings through the product's own ingestion (``ReadingIngest``, the path of `POST /api/v1/readings/batch`) with
/// the observed time the data gives (CityNet issue 11 §5). Running the same file twice stores nothing twice: every
/// reading of the second run is reported as a duplicate.
enum SensorReplay {
    /// What a replay did.
    struct Report: Sendable, Equatable {
        var sensorsCreated = 0
        var sensorsExisting = 0
        var accepted = 0
        var duplicates = 0
        /// Refused readings by error code (`conflicts_with_stored`, `in_future`, …).
        var errors: [String: Int] = [:]
        var gaps = 0
        var badLines = 0
        /// Alarms of the replayed sensors raised while the replay ran (nil when replaying to a server).
        var alarmsRaised: Int? = 0

        /// One line per figure, as the command prints them.
        var lines: [String] {
            [
                "sensors created \(sensorsCreated) existing \(sensorsExisting)",
                "readings accepted \(accepted) duplicates \(duplicates) errors \(errors.values.reduce(0, +))"
                    + errors.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined(),
                "gaps (NA) \(gaps) problem cells or lines \(badLines)",
                "alarms raised \(alarmsRaised.map(String.init) ?? "n/a (see GET /api/v1/alarms on the server)")",
            ]
        }
    }

    /// The bundled Shanghai series (`Resources/demo/shanghai_pm25_3sites_hourly_2013-01-29_2015-12-31.csv`, see its
    /// PROVENANCE.md), parsed.
    /// - Throws: ``CommandFailure`` when the file is missing from the bundle.
    static func bundledShanghai() throws -> ReplayData {
        guard
            let url = Bundle.module.url(
                forResource: "shanghai_pm25_3sites_hourly_2013-01-29_2015-12-31", withExtension: "csv",
                subdirectory: "Resources/demo"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { throw CommandFailure("the bundled Shanghai series is missing (Resources/demo)") }
        return try ReplayParser.parse(text)
    }

    /// Readings per ingestion call (the batch API's limit is 10,000).
    static let batchSize = 5000

    /// The unit owning a replayed site: `<region>.<kind>`, or the region's operations centre when the reference
    /// data has no such unit.
    static func unitCode(_ site: ReplaySite, reference: CityReference) -> String {
        let code = "\(site.regionCode).\(site.unitKind)"
        if reference.units[code] != nil { return code }
        return "\(site.regionCode).operations_centre"
    }

    /// A site as the sensor registry (and `POST /api/v1/sensor-imports`) takes it: located by its region code, the
    /// catalogue unit of each attribute.
    static func sensorInput(
        _ site: ReplaySite, idPrefix: String = "", nameSuffix: String = "", reference: CityReference
    )
        -> SensorInput
    {
        SensorInput(
            id: idPrefix + site.id, kind: site.kind.rawValue, name: site.name + nameSuffix, lat: nil, long: nil,
            address: site.address, regionCode: site.regionCode, unitCode: unitCode(site, reference: reference),
            attributes: site.attributes.compactMap { name in
                VitalAttribute.lookup(name, kind: site.kind).map { SensorInput.Attribute(name: name, unit: $0.unit) }
            })
    }

    /// Where a replay goes: this process's database through ``ReadingIngest`` (``local(_:)``), or another CityNet
    /// server through its HTTP API (``server(base:token:client:reference:)``).
    struct Target: Sendable {
        /// Registers sites; returns (created, already registered).
        var register: @Sendable ([ReplaySite]) async throws -> (Int, Int)
        /// Ingests a batch; returns each item's outcome: `accepted`, `duplicate` or an error code.
        var ingest: @Sendable ([ReadingInput]) async throws -> [String]
        /// Alarms ever raised for these sensors, when the target can tell.
        var alarmCount: @Sendable ([String]) async throws -> Int?

        static func local(_ app: Application) -> Target {
            Target(
                register: { try await SensorReplay.register($0, app: app) },
                ingest: { batch in
                    try await ReadingIngest.ingest(batch, app: app, now: app.clock.now()).map { outcome in
                        switch outcome {
                        case .accepted: "accepted"
                        case .duplicate: "duplicate"
                        case .error(let error): error.code
                        }
                    }
                },
                alarmCount: {
                    try await app.readingProcessor.catchUp(app: app)
                    return try await SensorReplay.alarmCount(sensorIDs: $0, on: try app.db.sql())
                })
        }
    }

    /// Registers the sites as sensors (an id already registered is kept as it is).
    /// - Returns: how many were created and how many existed.
    /// - Throws: ``CommandFailure`` naming a site the registry refuses; database errors.
    static func register(_ sites: [ReplaySite], idPrefix: String = "", nameSuffix: String = "", app: Application)
        async throws -> (created: Int, existing: Int)
    {
        var sensors: [Sensor] = []
        for site in sites {
            let input = sensorInput(site, idPrefix: idPrefix, nameSuffix: nameSuffix, reference: app.reference)
            do {
                sensors.append(try SensorRegistry.validate(input, reference: app.reference))
            } catch {
                throw CommandFailure("sensor \(input.id) cannot be registered: \(error.code): \(error.message)")
            }
        }
        let taken = try await SensorRegistry.insert(sensors, now: app.clock.now(), gate: app.writeGate)
        return (sensors.count - taken.count, taken.count)
    }

    /// Replays `data`: registers its sites and ingests its readings in observed-time order.
    /// - Parameters:
    ///   - speed: data hours per real second (`--speed N`); nil sends as fast as ingestion takes them.
    ///   - sleep: waits a duration (injected so tests do not wait).
    ///   - progress: called after every ingestion call with the figures so far.
    /// - Returns: the figures (``Report``).
    /// - Throws: ``CommandFailure`` when a site cannot be registered; database errors.
    static func run(
        _ data: ReplayData, app: Application, speed: Double?,
        sleep: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        progress: (Report) -> Void = { _ in }
    ) async throws -> Report {
        try await run(data, to: .local(app), speed: speed, sleep: sleep, progress: progress)
    }

    /// The same into any ``Target``.
    static func run(
        _ data: ReplayData, to target: Target, speed: Double?,
        sleep: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        progress: (Report) -> Void = { _ in }
    ) async throws -> Report {
        var report = Report()
        (report.sensorsCreated, report.sensorsExisting) = try await target.register(data.sites)
        report.gaps = data.gaps
        report.badLines = data.problems.count
        let ids = data.sites.map(\.id)
        let alarmsBefore = try await target.alarmCount(ids)
        let started = ContinuousClock.now
        let first = data.readings.first?.observed
        var batch: [ReadingInput] = []
        var index = 0
        while index < data.readings.count {
            let observed = data.readings[index].observed
            if let speed, let first {
                let due = started + .seconds(observed.timeIntervalSince(first) / 3600 / speed)
                if due > ContinuousClock.now {
                    try await flush(&batch, to: target, report: &report)
                    progress(report)
                    try await sleep(due - ContinuousClock.now)
                }
            }
            while index < data.readings.count, data.readings[index].observed == observed {
                let reading = data.readings[index]
                batch.append(
                    ReadingInput(
                        sensorID: reading.sensorID, attribute: reading.attribute, value: .number(reading.value),
                        unit: nil, observedAt: reading.observed.ISO8601Format()))
                index += 1
            }
            if batch.count >= batchSize {
                try await flush(&batch, to: target, report: &report)
                progress(report)
            }
        }
        try await flush(&batch, to: target, report: &report)
        if let before = alarmsBefore, let after = try await target.alarmCount(ids) {
            report.alarmsRaised = after - before
        } else {
            report.alarmsRaised = nil
        }
        progress(report)
        return report
    }

    /// Ingests the batch and adds its outcomes to the report.
    static func flush(_ batch: inout [ReadingInput], to target: Target, report: inout Report) async throws {
        guard !batch.isEmpty else { return }
        let outcomes = try await target.ingest(batch)
        batch.removeAll(keepingCapacity: true)
        for outcome in outcomes {
            switch outcome {
            case "accepted": report.accepted += 1
            case "duplicate": report.duplicates += 1
            default: report.errors[outcome, default: 0] += 1
            }
        }
    }

    /// Alarms ever raised for these sensors.
    static func alarmCount(sensorIDs: [String], on sql: any SQLDatabase) async throws -> Int {
        guard !sensorIDs.isEmpty else { return 0 }
        let row = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("alarms")
            .where("sensor_id", .in, sensorIDs).first()
        return Int(try row?.decode(column: "n", as: Int64.self) ?? 0)
    }
}
