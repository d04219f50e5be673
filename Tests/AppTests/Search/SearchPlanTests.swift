import CityDomain
import Fluent
import SQLKit
import Testing
import Vapor

@testable import App

/// Every search statement reads through an index and never walks the history: checked with the database's own
/// planner (as ``QueryPlanTests``), for each kind of query and each filter.
@Suite struct SearchPlanTests {
    /// Whether `plan` reads a table of history other than through an index.
    static func scansHistory(_ plan: String) -> Bool {
        plan.split(separator: "\n").contains { line in
            ["reports", "cases", "search_grams", "search_texts", "d", "o", "t"].contains { table in
                (line.contains("SCAN \(table)") && !line.contains("INDEX")) || line.contains("Seq Scan on \(table)")
            }
        }
    }

    /// The plan of `statement`; on PostgreSQL with sequential and bitmap scans priced out, as on a table of millions
    /// of postings (on a test table of a few thousand rows a bitmap scan and a sort are cheaper than reading the
    /// index in order, and the planner would pick them).
    static func plan(_ statement: SQLQueryString, on app: Application) async throws -> String {
        let sql = try app.db.sql()
        guard sql.dialect.name != "sqlite" else { return try await QueryPlanTests.plan(statement, on: app) }
        return try await app.db.transaction { tx in
            let sql = try tx.sql()
            try await sql.raw("SET LOCAL enable_seqscan = off").run()
            try await sql.raw("SET LOCAL enable_bitmapscan = off").run()
            let rows = try await sql.raw("EXPLAIN \(statement)").all()
            return try rows.map { try $0.decode(column: "QUERY PLAN", as: String.self) }.joined(separator: "\n")
        }
    }

    @Test func everyQueryAndFilterReadsThroughAnIndex() async throws {
        try await TestApp.withApp { app, clock in
            _ = try await HistorySeed.run(
                cases: 300, days: 60, reference: app.reference, gate: app.writeGate, now: clock.now)
            let district = try QueryPlanTests.district(app)
            let city = try CaseQueriesTests.city(app)
            let street = try #require(
                app.reference.hierarchy.children(of: "310115").first { $0.level == .street }?.code)
            let queries: [(String, OperatorScope, (inout SearchRequest.Parameters) -> Void)] = [
                ("处理", district, { _ in }), ("处", district, { _ in }), ("请尽快处理", district, { _ in }),
                ("人民路12号", city, { _ in }), ("13800000001", city, { _ in }), ("99999", district, { _ in }),
                ("处理", district, { $0.street = street }), ("处理", city, { $0.district = "310115" }),
                ("处理", district, { $0.unit = "310115.operations_centre" }),
                ("处理", district, { $0.category = "road" }), ("处理", district, { $0.state = "closed" }),
                ("处理", district, { $0.overdue = "true" }), ("处理", district, { $0.channel = "hotline" }),
                (
                    "处理", district,
                    {
                        $0.from = "2026-01-01"; $0.to = "2026-12-31"
                    }
                ),
                ("处理", district, { $0.cursor = "150" }),
            ]
            for (q, scope, edit) in queries {
                var parameters = SearchRequest.Parameters(q: q)
                edit(&parameters)
                let request = try SearchRequest(parameters, scope: scope, reference: app.reference)
                let recorder = SearchQueries.Recorder()
                _ = try await SearchQueries.search(
                    request, scope: scope, reference: app.reference, on: app.db, now: clock.now, recorder: recorder)
                #expect(!recorder.statements.isEmpty)
                for statement in recorder.statements {
                    let plan = try await Self.plan(statement, on: app)
                    #expect(!Self.scansHistory(plan), "\(q) \(parameters): \(plan)")
                    // SQLite also reads every page in index order (no sort). PostgreSQL's planner, on a test table of
                    // a few hundred rows, may hash-join and sort instead; only its scans are checked here.
                    if try app.db.sql().dialect.name == "sqlite" {
                        #expect(!plan.contains("TEMP B-TREE"), "\(q) \(parameters): \(plan)")
                    }
                }
            }
        }
    }
}
