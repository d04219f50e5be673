import Fluent
import Foundation
import SQLKit
import Testing

@testable import App

/// `UpdateStatusDecisionsAddSequence`'s data steps on what the defects it fixes left behind: decisions tied within
/// one second and a decision appealed twice. On a SQLite file of its own (dropping the keys on the shared PostgreSQL
/// test database would pull them from under the suites running beside it); CI's PostgreSQL run applies the same
/// statements when it migrates.
@Suite struct StatusMigrationTests {
    @Test func existingDecisionsAreNumberedByTimeThenIdAndADoubleAppealKeepsTheFirst() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await TestApp.withApp(sqliteFile: directory.appendingPathComponent("migration.sqlite").path) { app, clock in
            _ = try await GovFixtures.citizen(app)
            let citizen = try #require(try await Citizen.query(on: app.db).first()?.id)
            // The state before the migration's data steps: no unique keys, every sequence 0.
            let sql = try app.db.sql()
            try await sql.drop(index: "status_appeals_decision_key").run()
            try await sql.drop(index: "status_decisions_subject_sequence_key").run()
            let second = clock.now
            let (early, tieA, tieB) = (
                UUID(uuidString: "f0000000-0000-0000-0000-000000000000")!,
                UUID(uuidString: "10000000-0000-0000-0000-000000000000")!,
                UUID(uuidString: "20000000-0000-0000-0000-000000000000")!
            )
            for (id, at) in [(tieB, second), (early, second.addingTimeInterval(-60)), (tieA, second)] {
                try await sql.insert(into: "status_decisions")
                    .columns(
                        "id", "subject", "sequence", "category", "reason_code", "reason_params", "fact_ids",
                        "evaluated_at", "expires_at", "rule_set_version"
                    )
                    .values(
                        SQLBind(id), SQLBind("legacy"), SQLBind(0), SQLBind("green"), SQLBind("default"), SQLBind("{}"),
                        SQLBind("[]"), SQLBind(at), SQLBind(at.addingTimeInterval(3600)), SQLBind(1)
                    ).run()
            }
            let appeals = [UUID(), UUID()]
            for (offset, id) in appeals.enumerated() {
                try await sql.insert(into: "status_appeals")
                    .columns("id", "citizen_id", "decision_id", "statement", "case_id", "created_at")
                    .values(
                        SQLBind(id), SQLBind(citizen), SQLBind(tieB), SQLBind("重复申诉"), SQLBind(1),
                        SQLBind(second.addingTimeInterval(Double(offset)))
                    ).run()
            }

            try await UpdateStatusDecisionsAddSequence.renumber(on: sql)
            try await UpdateStatusDecisionsAddSequence.createKeys(on: sql)

            let numbered = try await StatusDecisionRow.query(on: app.db).filter(\.$subject == "legacy")
                .sort(\.$sequence).all()
            #expect(numbered.map(\.id) == [early, tieA, tieB])
            #expect(numbered.map(\.sequence) == [1, 2, 3])
            #expect(try await StatusStore.latest(of: "legacy", db: app.db)?.id == tieB)
            let kept = try await StatusAppealRow.query(on: app.db).all()
            #expect(kept.map(\.id) == [appeals[0]])
            await #expect(throws: (any Error).self) {
                try await sql.insert(into: "status_appeals")
                    .columns("id", "citizen_id", "decision_id", "statement", "case_id", "created_at")
                    .values(
                        SQLBind(UUID()), SQLBind(citizen), SQLBind(tieB), SQLBind("第三次"), SQLBind(1),
                        SQLBind(second)
                    ).run()
            }
        }
    }
}
