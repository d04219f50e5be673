import CityDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

@Suite struct StatusRulesAPITests {
    static func put(_ app: Application, token: String, _ body: Data) async throws -> (HTTPStatus, String) {
        var out: (HTTPStatus, String) = (.ok, "")
        try await app.testing().test(
            .PUT, "/api/v1/status-rules", headers: .bearer(token),
            beforeRequest: { req in
                req.headers.contentType = .json
                req.body = ByteBuffer(data: body)
            },
            afterResponse: { res in out = (res.status, res.body.string) })
        return out
    }

    @Test func aRuleChangeAppliesToNewEvaluationsAndEveryDecisionKeepsItsVersion() async throws {
        try await TestApp.withApp { app, clock in
            let token = try await GovFixtures.citizen(app)
            let keys = try await StatusFixtures.sourceKeys(app)
            let city = try await TestApp.login(
                app, username: "city-op", unit: "310000.operations_centre", role: .cityOperator)
            try await StatusFixtures.send(
                app, .transit, key: keys[.transit],
                [StatusFixtures.fact("t-1", kind: "trip", value: "exposed", ago: 600, now: clock.now)])
            let before = try await StatusFixtures.status(app, token: token)
            #expect(before.category == "yellow" && before.ruleSetVersion == 1)
            let code = try await StatusFixtures.code(app, token: token)

            var current: StatusRulesDTO?
            try await app.testing().test(
                .GET, "/api/v1/status-rules", headers: .bearer(city),
                afterResponse: { res in current = try res.content.decode(StatusRulesDTO.self) })
            var rules = try #require(current).rules
            #expect(current?.version == 1 && current?.createdBy == "system")
            rules.rules.removeAll { $0.id == "trip_exposure" }
            let (status, body) = try await Self.put(app, token: city, try JSONEncoder().encode(rules))
            #expect(status == .ok, "\(body)")
            #expect(body.contains("\"version\":2"))

            clock.advance(by: 60)
            let after = try await StatusFixtures.status(app, token: token)
            #expect(after.category == "green" && after.ruleSetVersion == 2 && after.reasonCode == "default")
            let versions = try await StatusDecisionRow.query(on: app.db).sort(\.$evaluatedAt).all()
            #expect(versions.map(\.ruleSetVersion) == [1, 2])
            #expect(versions.map(\.category) == ["yellow", "green"])
            // The yellow code was revoked when the category changed.
            let checkpoint = try await StatusFixtures.checkpoint(app)
            let check = await checkpoint.check(code.code, now: Int64(clock.now.timeIntervalSince1970))
            #expect(check.outcome == .revoked)

            var listed: [StatusRuleVersionDTO] = []
            try await app.testing().test(
                .GET, "/api/v1/status-rules/versions", headers: .bearer(city),
                afterResponse: { res in listed = try res.content.decode([StatusRuleVersionDTO].self) })
            #expect(listed.map(\.version) == [1, 2] && listed.last?.createdBy == "city-op")
            try await app.testing().test(
                .GET, "/api/v1/status-rules/versions/1", headers: .bearer(city),
                afterResponse: { res in
                    let old = try res.content.decode(StatusRulesDTO.self)
                    #expect(old.rules.rules.contains { $0.id == "trip_exposure" })
                })
        }
    }

    @Test func aBadRuleSetIsRefusedWithEveryFieldError() async throws {
        try await TestApp.withApp { app, _ in
            let city = try await TestApp.login(
                app, username: "city-op", unit: "310000.operations_centre", role: .cityOperator)
            let body = Data(
                ##"{"categories":[{"code":"green","rank":0,"name_zh":"绿","name_en":"Green","colour":"#00aa00"}],"default":{"category":"green","reason":{"zh":"无","en":"none"}},"max_validity_seconds":3600,"appeal":{"unit_kind":"health","days":3},"rules":[{"id":"r1","category":"red","kind":"presence","reason":{"zh":"{where}","en":"x"},"origin":"demo: t"}]}"##
                    .utf8)
            let (status, text) = try await Self.put(app, token: city, body)
            #expect(status == .unprocessableEntity)
            let errors = try JSONDecoder().decode(StatusRuleErrorsDTO.self, from: Data(text.utf8)).errors
            #expect(errors.map(\.field) == ["rules[0].category", "rules[0].reason.zh"])
            #expect(errors.map(\.code) == ["unknown_category", "unknown_placeholder"])
            let worker = try await TestApp.login(
                app, username: "caseworker", unit: "310115.urban_management", role: .caseworker)
            #expect(try await Self.put(app, token: worker, body).0 == .forbidden)
            // The re-evaluation's batch count is refused outside 1…1000 (schemathesis found 1001 accepted).
            for bad in ["0", "1001", "ten"] {
                try await app.testing().test(
                    .POST, "/api/v1/status-reevaluations?batches=\(bad)", headers: .bearer(city)
                ) { res in
                    #expect(res.status == .badRequest, "batches=\(bad)")
                    #expect(res.body.string.contains("batches must be a whole number from 1 to 1000"))
                }
            }
            try await app.testing().test(.POST, "/api/v1/status-reevaluations?batches=1000", headers: .bearer(city)) {
                res in
                #expect(res.status == .ok)
            }
        }
    }

    @Test func reEvaluationAfterARuleChangeIsBatchedAndResumable() async throws {
        try await TestApp.withApp { app, clock in
            let keys = try await StatusFixtures.sourceKeys(app)
            let facts = (1...5).map { index in
                StatusFixtures.fact(
                    "t-\(index)", number: GovFixtures.identityNumber(sequence: String(format: "%03d", index)),
                    kind: "trip", value: "exposed", ago: 600, now: clock.now)
            }
            try await StatusFixtures.send(app, .transit, key: keys[.transit], facts)
            #expect(try await StatusDecisionRow.query(on: app.db).count() == 5)
            var rules = try StatusRuleSet.bundled()
            rules.rules.removeAll { $0.id == "trip_exposure" }
            _ = try await StatusStore.putRules(
                rules, by: "test", db: app.db, gate: app.writeGate, now: clock.now)
            let first = try await StatusReevaluation.run(
                batchSize: 2, maxBatches: 2, db: app.db, gate: app.writeGate, now: clock.now)
            #expect(first.evaluated == 4 && first.finishedAt == nil)
            // Resumed (as after a stop): the remaining subject, then done.
            let second = try await StatusReevaluation.run(
                batchSize: 2, db: app.db, gate: app.writeGate, now: clock.now)
            #expect(second.evaluated == 5 && second.changed == 5 && second.finishedAt != nil)
            let latest = try await StatusDecisionRow.query(on: app.db).filter(\.$ruleSetVersion == 2).all()
            #expect(latest.count == 5 && latest.allSatisfy { $0.category == "green" })
            // Running again finds nothing to do.
            let again = try await StatusReevaluation.run(db: app.db, gate: app.writeGate, now: clock.now)
            #expect(again.evaluated == 5)
            #expect(try await StatusDecisionRow.query(on: app.db).count() == 10)
        }
    }
}
