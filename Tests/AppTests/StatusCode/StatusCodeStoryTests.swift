import CityDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

@Suite struct StatusCodeStoryTests {
    /// Issue #16's "done when": facts from three sources become a status with its reason, a signed code is shown,
    /// verified offline, revoked and refused.
    @Test func threeSourcesGiveAStatusWhoseCodeVerifiesOfflineUntilItIsRevoked() async throws {
        try await TestApp.withApp { app, clock in
            let token = try await GovFixtures.citizen(app)
            let keys = try await StatusFixtures.sourceKeys(app)
            let now = clock.now
            let carrier = StatusFixtures.fact("c-1", kind: "presence", value: "high_risk_area", ago: 86_400, now: now)
            var (status, result) = try await StatusFixtures.send(app, .carrier, key: keys[.carrier], [carrier])
            #expect(status == .ok && result?.accepted == 1)
            (status, result) = try await StatusFixtures.send(
                app, .transit, key: keys[.transit],
                [StatusFixtures.fact("t-1", kind: "trip", value: "ordinary", ago: 3600, now: now)])
            #expect(result?.accepted == 1)
            (status, result) = try await StatusFixtures.send(
                app, .govRegister, key: keys[.govRegister],
                [StatusFixtures.fact("g-1", kind: "nucleic_acid_test", value: "negative", ago: 7200, now: now)])
            #expect(result?.accepted == 1)

            let yellow = try await StatusFixtures.status(app, token: token)
            #expect(yellow.category == "yellow")
            #expect(yellow.reasonCode == "presence_risk_area")
            #expect(yellow.reasonZh.contains("高风险地区"))
            // The carrier fact leaves its 7-day window in 6 days; the default rules' maximum validity is a day.
            #expect(yellow.until == now.addingTimeInterval(86_400))
            #expect(yellow.sources.map(\.source) == ["gov_register", "carrier", "transit"])
            #expect(yellow.sources.filter(\.used).map(\.source) == ["carrier"])
            let reads = try await GovAccessEntry.query(on: app.db).filter(\.$action == "status_source_read").all()
            #expect(Set(reads.compactMap(\.target)) == ["gov_register", "carrier", "transit"])

            let code = try await StatusFixtures.code(app, token: token)
            #expect(code.category == "yellow")
            var checkpoint = try await StatusFixtures.checkpoint(app)
            let seconds = Int64(clock.now.timeIntervalSince1970)
            let valid = await checkpoint.check(code.code, now: seconds)
            #expect(valid.outcome == .valid)
            #expect(valid.claims?.category == "yellow")
            #expect(valid.revocation == .checked)

            // A quarantine order arrives: red, and the yellow code is revoked.
            (status, result) = try await StatusFixtures.send(
                app, .govRegister, key: keys[.govRegister],
                [StatusFixtures.fact("g-2", kind: "quarantine_order", value: "active", ago: 60, now: now)])
            #expect(result?.accepted == 1)
            #expect(try await StatusFixtures.status(app, token: token).category == "red")
            checkpoint = try await StatusFixtures.checkpoint(app)
            let revoked = await checkpoint.check(code.code, now: seconds)
            #expect(revoked.outcome == .revoked)
            #expect(revoked.reasonZh.contains("撤销"))
            // The new code says red and passes.
            let red = try await StatusFixtures.code(app, token: token)
            #expect(await checkpoint.check(red.code, now: seconds).outcome == .valid)
            #expect(await checkpoint.check(red.code, now: seconds).claims?.category == "red")
        }
    }

    @Test func factsAreIdempotentBySourceIDAndCheckedPerItem() async throws {
        try await TestApp.withApp { app, clock in
            let keys = try await StatusFixtures.sourceKeys(app)
            let now = clock.now
            let fact = StatusFixtures.fact("c-9", kind: "presence", value: "high_risk_area", ago: 60, now: now)
            var (_, result) = try await StatusFixtures.send(app, .carrier, key: keys[.carrier], [fact])
            #expect(result?.accepted == 1)
            var changed = fact
            changed["value"] = "low_risk_area"
            var missing = fact
            missing["source_id"] = "c-10"
            missing["identity_number"] = nil
            var future = fact
            future["source_id"] = "c-11"
            future["observed_at"] = Timestamps.format(now.addingTimeInterval(3600))
            var badNumber = fact
            badNumber["source_id"] = "c-12"
            badNumber["identity_number"] = "310115199003071230"
            (_, result) = try await StatusFixtures.send(
                app, .carrier, key: keys[.carrier], [fact, missing, future, badNumber, fact])
            #expect(result?.items.map(\.status) == ["duplicate", "error", "error", "error", "error"])
            #expect(
                result?.items.compactMap(\.error?.code) == [
                    "missing_field", "observed_in_future", "invalid_subject", "duplicate_in_batch",
                ])
            // Another value under a stored source id; every item failed: 422 with the list.
            let (status, conflict) = try await StatusFixtures.send(app, .carrier, key: keys[.carrier], [changed])
            #expect(status == .unprocessableEntity)
            #expect(conflict?.items.first?.error?.code == "conflicts_with_stored")
            #expect(try await StatusFactRow.query(on: app.db).count() == 1)
        }
    }

    @Test func eachSourceNeedsItsOwnKeyScope() async throws {
        try await TestApp.withApp { app, clock in
            let keys = try await StatusFixtures.sourceKeys(app)
            let fact = StatusFixtures.fact("x-1", kind: "trip", value: "exposed", ago: 60, now: clock.now)
            #expect(try await StatusFixtures.send(app, .transit, key: keys[.carrier], [fact]).0 == .forbidden)
            #expect(try await StatusFixtures.send(app, .transit, key: nil, [fact]).0 == .unauthorized)
            #expect(try await StatusFixtures.send(app, .selfDeclaration, key: keys[.transit], [fact]).0 == .notFound)
            #expect(try await StatusFixtures.send(app, .transit, key: keys[.transit], [fact]).0 == .ok)
        }
    }

    @Test func aCitizenDeclaresThroughTheirOwnSession() async throws {
        try await TestApp.withApp { app, clock in
            let token = try await GovFixtures.citizen(app)
            let body: [String: Any] = [
                "source_id": "d-1", "kind": "symptoms", "value": "fever",
                "observed_at": Timestamps.format(clock.now.addingTimeInterval(-600)),
            ]
            for expected in [HTTPStatus.created, .ok] {
                try await app.testing().test(
                    .POST, "/api/v1/me/status-declarations", headers: .bearer(token),
                    beforeRequest: { req in
                        req.headers.contentType = .json
                        req.body = try GovFixtures.json(body)
                    },
                    afterResponse: { res in #expect(res.status == expected, "\(res.body.string)") })
            }
            let status = try await StatusFixtures.status(app, token: token)
            #expect(status.category == "yellow")
            #expect(status.reasonCode == "declared_symptoms")
            #expect(status.sources.map(\.source) == ["self_declaration"])
        }
    }

    @Test func anAppealOpensACaseForTheHealthCommissionWithATimeLimit() async throws {
        try await TestApp.withApp { app, clock in
            let token = try await GovFixtures.citizen(app)
            let keys = try await StatusFixtures.sourceKeys(app)
            try await StatusFixtures.send(
                app, .govRegister, key: keys[.govRegister],
                [StatusFixtures.fact("g-1", kind: "quarantine_order", value: "active", ago: 60, now: clock.now)])
            var appeal: StatusAppealDTO?
            for expected in [HTTPStatus.created, .conflict] {
                try await app.testing().test(
                    .POST, "/api/v1/me/status/appeal", headers: .bearer(token),
                    beforeRequest: { req in try req.content.encode(["statement": "我已解除隔离，请核实"]) },
                    afterResponse: { res in
                        #expect(res.status == expected, "\(res.body.string)")
                        if expected == .created { appeal = try res.content.decode(StatusAppealDTO.self) }
                    })
            }
            let stored = try #require(appeal)
            let record = try #require(try await Case.find(stored.caseId, on: app.db))
            #expect(record.unitCode == "310000.health")
            #expect(record.categoryCode == "statuscode.appeal")
            // Friday 2024-09-27 + 4 working days (3 to handle, 1 to verify) over the 调休 weekend → 10-08 24:00.
            #expect(stored.dueAt == record.dueAt)
            #expect(stored.dueAt != nil)
            #expect(try await StatusFixtures.status(app, token: token).appeal?.caseId == stored.caseId)
            try await app.testing().test(
                .POST, "/api/v1/me/status/appeal", headers: .bearer(token),
                beforeRequest: { req in try req.content.encode(["statement": ""]) },
                afterResponse: { res in #expect(res.status == .badRequest || res.status == .conflict) })
        }
    }
}
