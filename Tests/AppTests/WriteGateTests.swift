import CityDomain
import Fluent
import Testing
import Vapor

@testable import App

/// Group commit keeps every intake whole: concurrent intakes each get their own case, report and audit events.
@Suite struct WriteGateTests {
    @Test func concurrentIntakesAreStoredWholeAndLinked() async throws {
        try await TestApp.withApp { app, clock in
            // SQLite: enough for groups of 64 to fill and split. PostgreSQL runs each intake as its own transaction
            // over the app's eight connections, on a server the whole suite's apps share: 120 at once waited out
            // the 60 s connection timeout on a loaded machine, which tests the machine rather than wholeness (40 did
            // too, once, in session 11's CI).
            let count = try app.db.sql().dialect.name == "sqlite" ? 120 : 24
            try await Self.registerConcurrently(count, app: app, now: clock.now)
        }
    }

    /// On a database file the writes go through the writer's own connection: the app's connections read them, and
    /// they are still there after a restart.
    @Test func fileDatabaseWritesAreSeenAndSurviveRestart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("citynet-gate-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("gate.sqlite").path
        try await TestApp.withApp(sqliteFile: path) { app, clock in
            try await Self.registerConcurrently(40, app: app, now: clock.now)
        }
        try await TestApp.withApp(sqliteFile: path) { app, clock in
            #expect(try await Case.query(on: app.db).count() == 40)
            try await Self.registerConcurrently(10, app: app, now: clock.now, existing: 40)
            let ids = try await Case.query(on: app.db).all().compactMap(\.id)
            #expect(Set(ids).count == 50)
        }
    }

    /// A case inserted behind the gate's back (another process) takes the id the gate has cached: the next intake
    /// fails on the duplicate id, is retried with fresh ids, and succeeds.
    @Test func anIdTakenBehindTheGatesBackIsHealed() async throws {
        try await TestApp.withApp { app, clock in
            try await Self.registerConcurrently(3, app: app, now: clock.now)
            let stray = try CaseIntake.prepare(
                IntakeReport(
                    source: .api, categoryCode: "road.ponding", description: "旁路写入",
                    point: try GeoPoint(latitude: 31.2304, longitude: 121.4737), actor: "other process"),
                reference: app.reference, now: clock.now
            ).record
            try await IntakeRows.insert(stray, on: try app.db.sql())
            try await Self.registerConcurrently(1, app: app, now: clock.now, existing: 3, extraCases: 1)
        }
    }

    /// Registers `count` intakes at once and checks each is whole: its own case, report and intake events.
    private static func registerConcurrently(
        _ count: Int, app: Application, now: Date, existing: Int = 0, extraCases: Int = 0
    ) async throws {
        let codes = ["road.ponding", "noise.dog_barking", "parking.fire_lane", "sanitation.garbage"]
        let ids = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for index in 0..<count {
                group.addTask {
                    let intake = IntakeReport(
                        source: .api, categoryCode: codes[index % codes.count], description: "并发 \(index)",
                        point: try GeoPoint(latitude: 31.2304, longitude: 121.4737), actor: "test")
                    let stored = try await CaseIntake.register(
                        intake, reference: app.reference, gate: app.writeGate, now: now, logger: app.logger)
                    return (try stored.case.requireID(), try stored.report.requireID())
                }
            }
            var all: [(Int, Int)] = []
            for try await pair in group { all.append(pair) }
            return all
        }
        #expect(Set(ids.map(\.0)).count == count)
        #expect(Set(ids.map(\.1)).count == count)
        #expect(try await Case.query(on: app.db).count() == existing + count + extraCases)
        let reports = try await Report.query(on: app.db).all()
        let byReport = Dictionary(uniqueKeysWithValues: reports.map { ($0.id!, $0) })
        for (caseID, reportID) in ids {
            #expect(byReport[reportID]?.caseID == caseID)
            #expect(byReport[reportID]?.description?.hasPrefix("并发") == true)
        }
        let events = try await CaseEvent.query(on: app.db).all()
        // accept, register, one `forward` per centre passed (city → district, → street for territorial matters;
        // none when a territorial case located only to the district stays with the district centre),
        // and exactly one `dispatch`.
        let byCase = Dictionary(grouping: events, by: \.caseID)
        #expect(byCase.count == existing + count)
        #expect(
            byCase.values.allSatisfy { trail in
                (3...5).contains(trail.count) && trail.filter { $0.action == .workflow(.dispatch) }.count == 1
            })
    }
}
