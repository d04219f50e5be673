import CityDomain
import Foundation
import SQLKit
import Vapor

/// The seed's story (issue 15): on 30 April a sudden gale stopped the ferries to 崇明 and passengers were stranded
/// at the 申崇线 terminal on 五洲大道 (Pudong); almost 100 buses took them away, and from first report to the last
/// bus leaving took 1 h 50 min. Replayed on the live system through the product's own write paths: the wind
/// readings go through ingestion and raise the gale alarm, the city operator declares the incident from it and
/// starts the ferry plan in one action (100 buses requested nearest first), each unit accepts and signs off its own
/// tasks, the buses are dispatched in waves and arrive after their straight-line distance at 30 km/h, the
/// meteorological service posts forecast updates, the passengers are cleared, the buses released and the incident
/// closed.
///
/// Story times are minutes from the alarm (the story's first report), placed so that the whole story lies before
/// `now` (start = now − 2 h); the terminal's position is approximate.
enum FerrySimulation {
    /// The terminal of the 申崇线 buses on 五洲大道, approximate (WGS84).
    static let terminal = (lat: 31.3520, long: 121.6000)
    /// Average bus speed over the straight-line distance: 30 km/h.
    static let busMetersPerMinute = 30_000.0 / 60

    /// The actors of the story: one per unit, as the timeline attributes them.
    static let city = CaseActor(name: "sim.city", unitCode: "310000.operations_centre", role: .cityOperator)
    static func actor(_ unit: String) -> CaseActor {
        CaseActor(name: "sim.\(unit.split(separator: ".").last ?? "")", unitCode: unit, role: .caseworker)
    }

    /// What the replay did and measured.
    struct Report: Sendable {
        var incidentID: Int
        var alarmID: Int
        var busesRequested: Int
        var busesArrived: Int
        var metrics: IncidentMetricsDTO
        var lastBusMinute: Double
        /// From the first report (the gale alarm's reading) to the close.
        var firstReportToCloseSeconds: Double

        var lines: [String] {
            func clock(_ seconds: Double?) -> String {
                guard let seconds else { return "-" }
                let minutes = Int((seconds / 60).rounded())
                return minutes >= 60 ? "\(minutes / 60) h \(minutes % 60) min" : "\(minutes) min"
            }
            var lines = [
                "ferry story: incident #\(incidentID) declared from gale alarm #\(alarmID) at 五洲大道",
                "buses: \(busesRequested) requested nearest first, \(busesArrived) arrived",
                "(times from the declaration, 3 min after the alarm)",
                "time to first response:      \(clock(metrics.firstResponseSeconds))",
                "time to all tasks accepted:  \(clock(metrics.allAcceptedSeconds))",
                "time to all buses arrived:   \(clock(metrics.allResourcesArrivedSeconds))",
                "time to resolution (closed): \(clock(metrics.resolutionSeconds))",
                "first report (alarm) to the last bus leaving: \(clock(firstReportToCloseSeconds))",
                "per unit (first response / all accepted / all done):",
            ]
            for unit in metrics.units {
                lines.append(
                    "  \(unit.unitCode): \(clock(unit.firstResponseSeconds)) / \(clock(unit.allAcceptedSeconds)) / "
                        + clock(unit.allDoneSeconds))
            }
            return lines
        }
    }

    /// Runs the story on `app`'s database.
    /// - Parameter now: the real time; the story ends before it.
    /// - Throws: ``CommandFailure`` when a step of the story is refused (the message names it); database errors.
    static func run(app: Application, now: Date) async throws -> Report {
        let start = now.addingTimeInterval(-120 * 60)
        @Sendable func at(_ minutes: Double) -> Int64 { VitalsTime.ms(start.addingTimeInterval(minutes * 60)) }
        let reference = app.reference

        // 1. A weather station at the terminal reports the gale through ingestion; the gale rule raises the alarm.
        let sensorID = "sim-wuzhou-wind-\(VitalsTime.ms(now))"
        let input = SensorInput(
            id: sensorID, kind: "weather", name: "五洲大道申崇线码头风速站（模拟）", lat: terminal.lat, long: terminal.long,
            address: "浦东新区五洲大道", regionCode: "310115", unitCode: "310000.meteorology",
            attributes: [.init(name: "windSpeed", unit: "MTS")])
        let sensor: Sensor
        do { sensor = try SensorRegistry.validate(input, reference: reference) } catch {
            throw CommandFailure("the wind sensor was refused: \(error.message)")
        }
        _ = try await SensorRegistry.insert([sensor], now: now, gate: app.writeGate)
        let readings = [(-2.0, 15.1), (-1.0, 16.8), (0.0, 18.3)].map { minute, speed in
            ReadingInput(
                sensorID: sensorID, attribute: "windSpeed", value: .number(speed), unit: "MTS",
                observedAt: Timestamps.format(start.addingTimeInterval(minute * 60)))
        }
        let outcomes = try await ReadingIngest.ingest(readings, app: app, now: now)
        guard outcomes.allSatisfy({ $0 == .accepted }) else {
            throw CommandFailure("the wind readings were refused: \(outcomes)")
        }
        let sql = try app.db.sql()
        guard
            let alarmRow = try await sql.select().column("id").from("alarms").where("sensor_id", .equal, sensorID)
                .where("rule_code", .equal, DefaultAlarmRules.gale.code).first()
        else { throw CommandFailure("the gale alarm was not raised (is the rule gale_force_8 enabled?)") }
        let alarmID = try alarmRow.decode(column: "id", as: Int.self)

        // 2. The city operations centre declares a 较大 (III) incident from the alarm, led by Pudong's centre.
        let declaration = IncidentStore.Declaration(
            type: .ferrySuspension, level: .larger, title: "大风致申崇线停航，五洲大道码头旅客滞留（模拟）", source: .alarm,
            area: IncidentArea(
                regionCodes: ["310115"], center: try GeoPoint(latitude: terminal.lat, longitude: terminal.long),
                radiusMeters: 3000),
            categoryCodes: IncidentType.ferrySuspension.categoryCodes, leadUnitCode: "310115.operations_centre",
            assistingUnitCodes: [], caseID: nil, alarmID: alarmID)
        let incidentID = try await app.writeGate.exclusive { db in
            try await IncidentStore(sql: try db.sql()).declare(declaration, by: city, atMS: at(3))
        }
        let store = IncidentStore(sql: sql)
        guard let incident = try await store.incident(incidentID) else { throw CommandFailure("incident not stored") }

        // 3. The ferry plan, one action: units notified, tasks created, 100 buses requested nearest first.
        guard let plan = app.bundledResponsePlans.first(where: { $0.applies(to: .ferrySuspension, level: .larger) })
        else { throw CommandFailure("no ferry_suspension plan for level III") }
        let outcome = try await app.writeGate.exclusive { db in
            try await PlanStart.start(
                plan, incident: incident, reference: reference, actor: city, atMS: at(5), on: try db.sql())
        }
        let buses = outcome.assignments.filter { $0.kind == .bus }.flatMap(\.assigned)

        // 4. Each unit accepts its own tasks.
        let tasks = try await store.tasks(incidentID)
        func task(_ code: String) throws -> IncidentTaskRow {
            guard let row = tasks.first(where: { $0.taskCode == code }) else {
                throw CommandFailure("the plan made no task \(code)")
            }
            return row
        }
        func step(_ code: String, _ next: IncidentTaskState, _ minute: Double, note: String? = nil) async throws {
            let row = try task(code)
            try await app.writeGate.exclusive { db in
                let store = IncidentStore(sql: try db.sql())
                guard let current = try await store.task(row.id, incidentID: incidentID) else { return }
                try await store.step(
                    task: current, to: next, actor: actor(row.unitCode), atMS: at(minute), note: note)
            }
        }
        try await step("onsite_order", .accepted, 8)
        try await step("clear_passengers", .accepted, 8)
        try await step("traffic_control", .accepted, 9)
        try await step("dispatch_buses", .accepted, 10)
        try await step("forecast_updates", .accepted, 12)

        // 5. Buses dispatched in five waves of the nearest first, arriving after distance at 30 km/h (≥ 10 min).
        let transport = actor(buses.first?.unitCode ?? "310115.transport")
        var arrivals: [Double: [Int]] = [:]
        for (wave, group) in stride(from: 0, to: buses.count, by: 20).map({
            Array(buses[$0..<min($0 + 20, buses.count)])
        })
        .enumerated() {
            let minute = 10 + Double(wave) * 5
            _ = try await app.writeGate.exclusive { db in
                try await ResourcePool(sql: try db.sql()).step(
                    group.map(\.id), of: incidentID, to: .dispatched, actor: transport, atMS: at(minute))
            }
            for bus in group {
                let arrive = (minute + max(10, bus.distanceM / busMetersPerMinute)).rounded(.up)
                arrivals[arrive, default: []].append(bus.id)
            }
        }
        for (minute, ids) in arrivals.sorted(by: { $0.key < $1.key }) {
            _ = try await app.writeGate.exclusive { db in
                try await ResourcePool(sql: try db.sql()).step(
                    ids, of: incidentID, to: .arrived, actor: transport, atMS: at(minute))
            }
        }
        let lastArrival = arrivals.keys.max() ?? 0

        // 6. Forecast updates every 30 minutes on the shared timeline.
        let weather = actor("310000.meteorology")
        for (minute, text) in [
            (30.0, "长江口阵风9级，预计2小时内不减弱，轮渡继续停航"), (60.0, "风力减弱至7级，仍高于复航条件"), (90.0, "预计傍晚风力降至6级以下"),
        ] {
            try await app.writeGate.exclusive { db in
                try await IncidentStore(sql: try db.sql()).event(
                    incidentID, atMS: at(minute), kind: .message, action: "message", actor: weather,
                    unitCode: weather.unitCode, note: text)
            }
        }

        // 7. Sign-offs, the last bus leaves with the last passengers, buses released, incident closed at 1 h 50 min.
        try await step("dispatch_buses", .done, lastArrival, note: "\(buses.count) 辆公交车已到达码头")
        try await step("forecast_updates", .done, 100)
        try await step("traffic_control", .done, 105)
        try await step("onsite_order", .done, 108)
        try await step("clear_passengers", .done, 110, note: "末班车已驶离码头，无滞留旅客")
        _ = try await app.writeGate.exclusive { db in
            try await ResourcePool(sql: try db.sql()).step(
                buses.map(\.id), of: incidentID, to: .released, actor: transport, atMS: at(110))
        }
        try await app.writeGate.exclusive { db in
            let store = IncidentStore(sql: try db.sql())
            guard let current = try await store.incident(incidentID) else { return }
            try await store.close(
                current, actor: city, atMS: at(110), note: "滞留旅客已全部疏散", override: nil)
        }
        guard let closed = try await store.incident(incidentID) else { throw CommandFailure("incident vanished") }
        let metrics = try await IncidentMetricsDTO.measure(closed, store: store)
        let arrived = try await store.assignments(incidentID).filter { $0.arrivedAtMs != nil }.count
        return Report(
            incidentID: incidentID, alarmID: alarmID, busesRequested: buses.count, busesArrived: arrived,
            metrics: metrics, lastBusMinute: lastArrival, firstReportToCloseSeconds: Double(at(110) - at(0)) / 1000)
    }
}
