import CityDomain
import Fluent
import SQLKit
import Testing
import Vapor

@testable import App

/// One definition of "closed on time" (按期结案): the domain rule in Swift and its SQL form pick the same cases, on
/// SQLite and (with `TEST_DATABASE_URL`) PostgreSQL.
@Suite struct CaseOnTimeTests {
    @Test func theSwiftRuleAndTheSQLAgreeOnEveryBoundary() async throws {
        try await TestApp.withApp { app, clock in
            let now = clock.now
            // (closed, due) relative to now; nil: not closed / no limit.
            let boundaries: [(closed: TimeInterval?, due: TimeInterval?, onTime: Bool)] = [
                (-60, 0, true), (0, 0, true), (1, 0, false), (-60, nil, true), (nil, nil, false), (nil, -60, false),
            ]
            var expected: [Int: Bool] = [:]
            for boundary in boundaries {
                let id = try await CaseWorkflowAPITests.register(
                    app, category: "road.ponding", lat: 31.2304, long: 121.4737)
                try await Case.query(on: app.db).filter(\.$id == id)
                    .set(\.$state, to: boundary.closed == nil ? .handling : .closed)
                    .set(\.$closedAt, to: boundary.closed.map(now.addingTimeInterval))
                    .set(\.$dueAt, to: boundary.due.map(now.addingTimeInterval))
                    .update()
                expected[id] = boundary.onTime
                let closedAt = boundary.closed.map(now.addingTimeInterval)
                #expect(
                    CaseWorkflow.isClosedOnTime(closedAt: closedAt, dueAt: boundary.due.map(now.addingTimeInterval))
                        == boundary.onTime, "\(boundary)")
            }
            struct Row: Decodable { var id: Int }
            let sql = try #require(app.db as? any SQLDatabase)
            let picked = try await sql.raw(
                "SELECT \"id\" FROM \"cases\" WHERE \(CaseOnTime.sqlExpression())"
            ).all(decoding: Row.self)
            #expect(Set(picked.map(\.id)) == Set(expected.filter(\.value).keys))
        }
    }
}
