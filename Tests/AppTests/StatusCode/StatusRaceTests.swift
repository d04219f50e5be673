import CityDomain
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import App

/// Status decisions, codes, facts, appeals and rule changes when two writes of the same thing meet (issue #16
/// defects found in review): the order of decisions made in one second, concurrent evaluations, a code issued from
/// a decision being replaced, a resent or doubled fact batch, a double-clicked appeal, rule changes and
/// re-evaluations at once. Each runs on SQLite, and on PostgreSQL with `TEST_DATABASE_URL`.
@Suite struct StatusRaceTests {
    /// Stores one fact row directly: a fact committed whose evaluation never ran (the ingest failed after it).
    static func storeFact(
        _ app: Application, subject: String, sourceID: String, kind: String = "quarantine_order",
        value: String = "active", at now: Date
    ) async throws {
        let row = StatusFactRow()
        row.id = UUID()
        (row.source, row.sourceID, row.subject) = (FactSource.govRegister.rawValue, sourceID, subject)
        (row.kind, row.value, row.observedAt, row.receivedAt) = (kind, value, now.addingTimeInterval(-60), now)
        try await app.writeGate.exclusive { db in try await row.create(on: db) }
    }

    static func evaluate(_ app: Application, _ subject: String, now: Date) async throws -> StatusDecisionRow {
        let (version, rules) = try await StatusStore.currentRules(db: app.db, gate: app.writeGate, now: now)
        return try await StatusStore.evaluate(
            subject, rules: rules, version: version, db: app.db, gate: app.writeGate, now: now
        ).row
    }

    static func count(_ app: Application, _ table: String, where column: String? = nil, is value: String = "")
        async throws -> Int
    {
        var query = try app.db.sql().select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table)
        if let column { query = query.where(SQLIdentifier(column), .equal, value) }
        return try await query.first(decodingColumn: "n", as: Int.self) ?? -1
    }

    @Test func decisionsMadeInOneSecondAreOrderedByTheirSequence() async throws {
        try await TestApp.withApp { app, clock in
            // Twelve subjects, each decided twice in the same second: ids are random, so ordering by time (whole
            // seconds) and id served the older decision about half the time.
            for n in 0..<12 {
                let subject = "race-subject-\(n)"
                let first = try await Self.evaluate(app, subject, now: clock.now)
                #expect(first.category == "green" && first.sequence == 1)
                try await Self.storeFact(app, subject: subject, sourceID: "q-\(n)", at: clock.now)
                let second = try await Self.evaluate(app, subject, now: clock.now)
                #expect(second.category == "red" && second.sequence == 2)
                let current = try await StatusStore.current(
                    of: subject, db: app.db, gate: app.writeGate, now: clock.now)
                #expect(current.id == second.id, "subject \(n): the older decision was served")
            }
        }
    }

    @Test func concurrentEvaluationsOfOneSubjectStoreOneDecision() async throws {
        try await TestApp.withApp { app, clock in
            let now = clock.now
            try await Self.storeFact(app, subject: "race-one", sourceID: "q-1", at: now)
            let rows = try await withThrowingTaskGroup(of: StatusDecisionRow.self) { group in
                for _ in 0..<8 { group.addTask { try await Self.evaluate(app, "race-one", now: now) } }
                return try await group.reduce(into: [StatusDecisionRow]()) { $0.append($1) }
            }
            #expect(rows.allSatisfy { $0.category == "red" })
            let stored = try await StatusDecisionRow.query(on: app.db).filter(\.$subject == "race-one").all()
            #expect(stored.map(\.sequence) == [1])
        }
    }

    @Test func noCodeStaysValidWithACategoryItsSubjectNoLongerHas() async throws {
        try await TestApp.withApp { app, clock in
            let now = clock.now
            let keys = app.statusCodeKeys
            for n in 0..<6 {
                let subject = "race-code-\(n)"
                _ = try await Self.evaluate(app, subject, now: now)  // green, no facts
                try await Self.storeFact(app, subject: subject, sourceID: "q-\(n)", at: now)
                // Codes issued while the evaluation that turns the subject red commits and revokes.
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<6 {
                        group.addTask {
                            _ = try await StatusCodes.issue(
                                subject: subject, keys: keys, db: app.db, gate: app.writeGate, now: now)
                        }
                    }
                    group.addTask { _ = try await Self.evaluate(app, subject, now: now) }
                    try await group.waitForAll()
                }
                let latest = try #require(try await StatusStore.latest(of: subject, db: app.db))
                #expect(latest.category == "red")
                let live = try await StatusCodeRow.query(on: app.db).filter(\.$subject == subject)
                    .filter(\.$revokedAt == nil).all()
                #expect(live.allSatisfy { $0.category == "red" }, "a green code escaped the revocation")
            }
        }
    }

    @Test func aResentBatchBringsAStatusWhoseEvaluationNeverRanUpToDate() async throws {
        try await TestApp.withApp { app, clock in
            let number = GovFixtures.identityNumber()
            let token = try await GovFixtures.citizen(app, number: number)
            let keys = try await StatusFixtures.sourceKeys(app)
            #expect(try await StatusFixtures.status(app, token: token).category == "green")
            // The register's batch was stored, then the evaluation failed: the source saw an error and resends.
            let subject = app.govServices.vault.lookup(try IdentityNumber(number))
            try await Self.storeFact(app, subject: subject, sourceID: "g-1", at: clock.now)
            #expect(try await StatusFixtures.status(app, token: token).category == "green")
            let fact = StatusFixtures.fact(
                "g-1", number: number, kind: "quarantine_order", value: "active", ago: 60, now: clock.now)
            let (status, batch) = try await StatusFixtures.send(app, .govRegister, key: keys[.govRegister], [fact])
            #expect(status == .ok)
            #expect(batch?.items.map(\.status) == ["duplicate"])
            #expect(try await StatusFixtures.status(app, token: token).category == "red")
        }
    }

    @Test func identicalBatchesAtOnceAnswerPerItem() async throws {
        try await TestApp.withApp { app, clock in
            let keys = try await StatusFixtures.sourceKeys(app)
            let key = keys[.carrier]
            let numbers = (0..<3).map { _ in GovFixtures.identityNumber() }
            let now = clock.now
            let answers = try await withThrowingTaskGroup(of: (HTTPStatus, [String]).self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        let facts = numbers.enumerated().map {
                            StatusFixtures.fact(
                                "c-\($0.offset)", number: $0.element, kind: "presence", value: "high_risk_area",
                                ago: 60, now: now)
                        }
                        let (status, batch) = try await StatusFixtures.send(app, .carrier, key: key, facts)
                        return (status, batch?.items.map(\.status) ?? [])
                    }
                }
                return try await group.reduce(into: [(HTTPStatus, [String])]()) { $0.append($1) }
            }
            #expect(answers.allSatisfy { $0.0 == .ok }, "\(answers.map(\.0))")
            for item in 0..<3 {
                let statuses = answers.map { $0.1.count == 3 ? $0.1[item] : "missing" }
                #expect(statuses.filter { $0 == "accepted" }.count == 1, "item \(item): \(statuses)")
                #expect(statuses.filter { $0 == "duplicate" }.count == 5, "item \(item): \(statuses)")
            }
            #expect(try await Self.count(app, "status_facts") == 3)
        }
    }

    @Test func aDoubleClickedAppealOpensOneCase() async throws {
        try await TestApp.withApp { app, clock in
            let token = try await GovFixtures.citizen(app)
            let keys = try await StatusFixtures.sourceKeys(app)
            try await StatusFixtures.send(
                app, .govRegister, key: keys[.govRegister],
                [StatusFixtures.fact("g-1", kind: "quarantine_order", value: "active", ago: 60, now: clock.now)])
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        var status = HTTPStatus.internalServerError
                        try await app.testing().test(
                            .POST, "/api/v1/me/status/appeal", headers: .bearer(token),
                            beforeRequest: { req in try req.content.encode(["statement": "我已解除隔离，请核实"]) },
                            afterResponse: { res in status = res.status })
                        return status
                    }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 == .conflict }.count == 5, "\(statuses)")
            #expect(try await Self.count(app, "status_appeals") == 1)
            #expect(try await Self.count(app, "cases", where: "category_code", is: "statuscode.appeal") == 1)
        }
    }

    @Test func ruleChangesAndReevaluationsAtOnceAreRefusedNotFailed() async throws {
        try await TestApp.withApp { app, clock in
            let city = try await TestApp.login(
                app, username: "city-op", unit: "310000.operations_centre", role: .cityOperator)
            for n in 0..<30 {
                try await Self.storeFact(app, subject: "race-re-\(n)", sourceID: "q-\(n)", at: clock.now)
            }
            var rules = try StatusRuleSet.bundled()
            rules.rules.removeAll { $0.id == "quarantine_order" }
            let body = try JSONEncoder().encode(rules)
            let puts = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<6 { group.addTask { try await StatusRulesAPITests.put(app, token: city, body).0 } }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(puts.allSatisfy { $0 == .ok || $0 == .conflict }, "\(puts)")
            let stored = puts.filter { $0 == .ok }.count
            #expect(stored >= 1)
            #expect(try await Self.count(app, "status_rule_sets") == stored + 1)

            let runs = try await withThrowingTaskGroup(of: (HTTPStatus, StatusReevaluationDTO?).self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        var out: (HTTPStatus, StatusReevaluationDTO?) = (.internalServerError, nil)
                        try await app.testing().test(
                            .POST, "/api/v1/status-reevaluations?batches=1000", headers: .bearer(city),
                            afterResponse: { res in
                                out = (res.status, try? res.content.decode(StatusReevaluationDTO.self))
                            })
                        return out
                    }
                }
                return try await group.reduce(into: [(HTTPStatus, StatusReevaluationDTO?)]()) { $0.append($1) }
            }
            #expect(runs.allSatisfy { $0.0 == .ok || $0.0 == .conflict }, "\(runs.map(\.0))")
            #expect(runs.contains { $0.1?.done == true && $0.1?.evaluated == 30 })
            let decisions = try await StatusDecisionRow.query(on: app.db).all()
            #expect(decisions.count == 30)
            #expect(decisions.allSatisfy { $0.category == "green" && $0.sequence == 1 })
        }
    }
}
