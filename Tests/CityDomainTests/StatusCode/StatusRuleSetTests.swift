import Foundation
import Testing

@testable import CityDomain

@Suite struct StatusRuleSetTests {
    let now: Int64 = 1_796_000_000
    let day: Int64 = 86_400

    func fact(_ id: String, _ source: FactSource, _ kind: String, _ value: String, ago: Int64, expires: Int64? = nil)
        -> StatusFact
    {
        StatusFact(id: id, source: source, kind: kind, value: value, observedAt: now - ago, expiresAt: expires)
    }

    @Test func bundledRulesAreValidAndEachNamesItsOrigin() throws {
        let rules = try StatusRuleSet.bundled()
        #expect(rules.problems().isEmpty)
        #expect(rules.categories.map(\.code) == ["green", "yellow", "red"])
        #expect(rules.rules.allSatisfy { $0.origin.hasPrefix("demo:") })
    }

    @Test func noFactsGiveTheDefaultForAtMostTheMaximumValidity() throws {
        let rules = try StatusRuleSet.bundled()
        let decision = rules.evaluate([], now: now, version: 3)
        #expect(decision.category == "green")
        #expect(decision.reasonCode == "default")
        #expect(decision.expiresAt == now + rules.maxValiditySeconds)
        #expect(decision.ruleSetVersion == 3)
        #expect(rules.reason(of: decision, zh: false) == "no record calls for another status")
    }

    @Test func threeSourcesTheMostRestrictiveCategoryWinsAndExpiryIsTheEarliestChange() throws {
        var rules = try StatusRuleSet.bundled()
        rules.maxValiditySeconds = 7 * day
        let facts = [
            fact("carrier:1", .carrier, "presence", "high_risk_area", ago: 2 * day),
            fact("transit:9", .transit, "trip", "exposed", ago: 1 * day),
            fact("gov:5", .govRegister, "quarantine_order", "active", ago: 3600, expires: now + 10 * day),
            fact("gov:6", .govRegister, "nucleic_acid_test", "negative", ago: 3600),
        ]
        let decision = rules.evaluate(facts, now: now, version: 1)
        #expect(decision.category == "red")
        #expect(decision.reasonCode == "quarantine_order")
        #expect(decision.factIDs == ["gov:5"])
        // The carrier fact leaves its 7-day window first (5 days from now): the decision can change then.
        #expect(decision.expiresAt == now + 5 * day)
        #expect(rules.reason(of: decision, zh: true).contains("隔离令"))
        #expect(rules.reason(of: decision, zh: false).contains("government register"))
        // Without a sooner change, the decision stands for at most max_validity_seconds.
        rules.maxValiditySeconds = day
        #expect(rules.evaluate(facts, now: now, version: 1).expiresAt == now + day)
    }

    @Test func expiredFactsAndFactsOutsideTheWindowDoNotCount() throws {
        let rules = try StatusRuleSet.bundled()
        let facts = [
            fact("gov:1", .govRegister, "quarantine_order", "active", ago: 20 * day, expires: now - 1),
            fact("carrier:1", .carrier, "presence", "high_risk_area", ago: 8 * day),
            fact("self:1", .selfDeclaration, "symptoms", "fever", ago: 2 * day),
        ]
        let decision = rules.evaluate(facts, now: now, version: 1)
        #expect(decision.category == "yellow")
        #expect(decision.reasonCode == "declared_symptoms")
        #expect(decision.expiresAt == now + day)
        // A source other than the rule's does not match: symptoms reported by a carrier count for nothing.
        let wrongSource = rules.evaluate(
            [fact("carrier:2", .carrier, "symptoms", "fever", ago: 60)], now: now, version: 1)
        #expect(wrongSource.category == "green")
    }

    @Test func aRuleChangeChangesNewDecisionsOnly() throws {
        var rules = try StatusRuleSet.bundled()
        let facts = [fact("transit:1", .transit, "trip", "exposed", ago: day)]
        let before = rules.evaluate(facts, now: now, version: 1)
        rules.rules.removeAll { $0.id == "trip_exposure" }
        let after = rules.evaluate(facts, now: now, version: 2)
        #expect(before.category == "yellow" && before.ruleSetVersion == 1)
        #expect(after.category == "green" && after.ruleSetVersion == 2)
    }

    @Test func aBadRuleSetNamesEveryFaultByField() throws {
        let json = """
            {"categories": [{"code": "green", "rank": 0, "name_zh": "绿", "name_en": "Green", "colour": "#00ff00"},
                            {"code": "Red!", "rank": 0, "name_zh": "红", "name_en": "", "colour": "red"}],
             "default": {"category": "blue", "reason": {"zh": "无", "en": "none {place}"}},
             "max_validity_seconds": 10, "appeal": {"unit_kind": "moon", "days": 0},
             "rules": [{"id": "r1", "category": "purple", "source": "satellite", "kind": "", "within_seconds": 0,
                        "reason": {"zh": "", "en": "x"}}]}
            """
        let set = try JSONDecoder().decode(StatusRuleSet.self, from: Data(json.utf8))
        let fields = set.problems().map { "\($0.field) \($0.code)" }
        #expect(
            fields == [
                "categories[1].code invalid", "categories[1].rank duplicate", "categories[1].name_en required",
                "categories[1].colour invalid", "default.category unknown_category",
                "default.reason.en unknown_placeholder", "max_validity_seconds out_of_range",
                "appeal.unit_kind unknown_unit_kind", "appeal.days out_of_range", "rules[0].category unknown_category",
                "rules[0].source unknown_source", "rules[0].kind invalid", "rules[0].within_seconds out_of_range",
                "rules[0].reason.zh required", "rules[0].origin required",
            ])
    }

    @Test func factChecksGiveTheirCodes() {
        func code(
            _ kind: String = "presence", value: String = "x", sourceID: String = "1", observed: Int64 = 0,
            expires: Int64? = nil
        ) -> String? {
            do {
                try FactRules.check(
                    kind: kind, value: value, sourceID: sourceID, observedAt: now + observed,
                    expiresAt: expires.map { now + $0 }, now: now)
                return nil
            } catch { return error.code }
        }
        #expect(code() == nil)
        #expect(code("Presence") == "invalid_kind")
        #expect(code(value: String(repeating: "x", count: 201)) == "invalid_value")
        #expect(code(sourceID: "") == "invalid_source_id")
        #expect(code(observed: 301) == "observed_in_future")
        #expect(code(expires: 0) == "expires_before_observed")
        #expect(FactRules.time("2026-12-07T10:00:00+08:00") == 1_796_608_800)
        #expect(FactRules.time("2026-12-07 10:00") == nil)
    }
}
