import CityDomain
import Fluent
import Open311
import Testing
import Vapor

@testable import App

/// The Open311 GET reads called directly (no HTTP): only Open311 reports, status filter, ids, updates.
@Suite struct Open311QueriesTests {
    static func report(_ app: Application, category: String, key: APIKey) async throws -> (report: Int, case: Int) {
        let intake = IntakeReport(
            source: .open311, categoryCode: category, description: "积水",
            point: try GeoPoint(latitude: 31.2304, longitude: 121.4737), apiKeyID: key.id, actor: "open311:\(key.name)")
        let stored = try await CaseIntake.register(
            intake, reference: app.reference, gate: app.writeGate, now: app.clock.now(), logger: app.logger)
        return (try stored.report.requireID(), try stored.case.requireID())
    }

    @Test func requestsListOnlyOpen311ReportsNewestFirstByStatus() async throws {
        try await TestApp.withApp { app, clock in
            let (key, _) = try await Access.createAPIKey(
                name: "client", scopes: [.open311], on: app.db, now: clock.now)
            let first = try await Self.report(app, category: "road.ponding", key: key)
            clock.advance(by: 60)
            let second = try await Self.report(app, category: "road.damaged", key: key)
            _ = try await CaseWorkflowAPITests.register(app, category: "road.ponding", lat: 31.2304, long: 121.4737)
            for action in [CaseAction.start, .resolve, .verify, .close] {
                try await CaseActions.perform(
                    .init(action: action, note: "x"), on: first.case, by: .system, reference: app.reference,
                    on: app.db, gate: app.writeGate, now: clock.now)
            }
            let window = Open311DateWindow(
                start: clock.now.addingTimeInterval(-86_400), end: clock.now.addingTimeInterval(1))
            func ids(_ query: Open311RequestQuery, extensions: Bool = false) async throws -> [String] {
                try await Open311Queries.requests(query, extensions: extensions, reference: app.reference, on: app.db)
                    .map(\.serviceRequestID)
            }
            #expect(try await ids(Open311RequestQuery(window: window)) == ["\(second.report)", "\(first.report)"])
            #expect(try await ids(Open311RequestQuery(statuses: [.closed], window: window)) == ["\(first.report)"])
            #expect(try await ids(Open311RequestQuery(statuses: [.open], window: window)) == ["\(second.report)"])
            #expect(
                try await ids(Open311RequestQuery(serviceCodes: ["road.damaged"], window: window)) == [
                    "\(second.report)"
                ])
            #expect(
                try await ids(Open311RequestQuery(serviceRequestIDs: ["\(first.report)"], window: nil)) == [
                    "\(first.report)"
                ])
            let one = try await Open311Queries.requests(
                Open311RequestQuery(serviceRequestIDs: ["\(second.report)"], window: nil), extensions: true,
                reference: app.reference, on: app.db)
            #expect(one.first?.extendedAttributes?.caseID == "\(second.case)")
            #expect(one.first?.status == .open)

            let updates = try await Open311Queries.updates(Open311UpdatesQuery(window: window), on: app.db)
            #expect(Set(updates.map(\.serviceRequestID)) == ["\(first.report)", "\(second.report)"])
            #expect(updates.last?.status == .closed)
            #expect(updates.last?.serviceRequestID == "\(first.report)")
        }
    }
}
