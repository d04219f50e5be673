import CityDomain
import Crypto
import Foundation
import SQLKit
import Vapor

/// `citynet bench code [--population N]` (see ``BenchCommand``; issue #16 §3), each figure beside a reference
/// taken in the same run:
/// - `code_evaluations`: status evaluations per second (the default rules over a generated population, 4 facts a
///   person from the four sources), beside a plain pass over the same facts that only counts the live ones;
/// - `code_verifications`: offline verifications per second of one signed code (``StatusCodeVerifier``: JWS
///   parsing, key lookup, EdDSA, the validity window, the revocation list), beside raw Ed25519 verification of the
///   same signing input with swift-crypto;
/// - `code_reevaluation`: a full re-evaluation after a rule change of `--population` people (default 1,000,000)
///   stored in a fresh SQLite file, with their facts (``StatusReevaluation``: read facts and decisions in batches
///   of 1,000, evaluate, write the decisions), beside raw multi-row inserts of the same number of decision rows;
///   and that time extrapolated linearly to Shanghai's 25 million residents.
struct CodeBenchmark {
    var population: Int
    static let shanghai = 25_000_000.0
    static let factsPerPerson = 4

    func run(print: (String) -> Void) async throws -> [String] {
        var lines = try await evaluations()
        lines += try await verifications()
        for line in lines { print(line) }
        let stored = try await BenchApp.run { app, database in
            try await configure(app, config: AppConfig(storage: .sqliteFile(database), escalationInterval: nil))
            return try await reevaluation(app, print: print)
        }
        for line in stored { print(line) }
        return lines + stored
    }

    /// The facts of person `index`: deterministic, so every run measures the same population.
    static func facts(of index: Int, now: Int64) -> [StatusFact] {
        let sources: [(FactSource, String, [String])] = [
            (.govRegister, "nucleic_acid_test", ["negative", "negative", "negative", "positive"]),
            (.carrier, "presence", ["low_risk_area", "low_risk_area", "high_risk_area"]),
            (.transit, "trip", ["ordinary", "ordinary", "ordinary", "exposed"]),
            (.selfDeclaration, "symptoms", ["none", "none", "none", "none", "fever"]),
        ]
        return sources.enumerated().map { offset, source in
            let (kind, values) = (source.1, source.2)
            return StatusFact(
                id: "\(index)-\(offset)", source: source.0, kind: kind,
                value: values[(index / 3 + offset) % values.count],
                observedAt: now - Int64((index * 7 + offset * 3_600) % 1_000_000), expiresAt: nil)
        }
    }

    private func evaluations() async throws -> [String] {
        let rules = try StatusRuleSet.bundled()
        let now = Int64(Date().timeIntervalSince1970)
        let people = min(population, 200_000)
        let facts = (0..<people).map { Self.facts(of: $0, now: now) }
        var categories: [String: Int] = [:]
        let start = DispatchTime.now()
        for person in facts { categories[rules.evaluate(person, now: now, version: 1).category, default: 0] += 1 }
        let seconds = Self.seconds(since: start)
        let referenceStart = DispatchTime.now()
        var live = 0
        for person in facts { live += person.filter { $0.isLive(at: now) }.count }
        let reference = Self.seconds(since: referenceStart)
        precondition(live > 0 && !categories.isEmpty)
        return [
            String(
                format: "bench code_evaluations %.0f per_s reference %.0f per_s (%d people, %d facts each; %@)",
                Double(people) / seconds, Double(people) / reference, people, Self.factsPerPerson,
                categories.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        ]
    }

    private func verifications() async throws -> [String] {
        let ring = try LicenceKeyRing.parse(LicenceKeyRing.newKeyLine(id: "b1"), source: "bench")
        let keys = try await StatusCodeKeys(ring: ring)
        let now = Int64(Date().timeIntervalSince1970)
        let token = try await keys.sign(
            StatusCodePayload(sub: StatusCodeKeys.newPseudonym(), st: "green", iat: now, exp: now + 300))
        let list = try await keys.sign(
            StatusRevocationPayload(
                iss: "bench", iat: now, exp: now + 300, revoked: (0..<1000).map { _ in StatusCodeKeys.newPseudonym() }))
        let verifier = try await StatusCodeVerifier(keys: ring.published, revocationList: list)
        let rounds = 20_000
        let start = DispatchTime.now()
        for _ in 0..<rounds {
            guard await verifier.check(token, now: now).outcome == .valid else { throw Abort(.internalServerError) }
        }
        let seconds = Self.seconds(since: start)
        let parts = token.split(separator: ".")
        let input = Array("\(parts[0]).\(parts[1])".utf8)
        let signature = Base64URL.decode(String(parts[2])) ?? []
        let key = ring.current.publicKey
        let referenceStart = DispatchTime.now()
        for _ in 0..<rounds {
            guard key.isValidSignature(signature, for: input) else { throw Abort(.internalServerError) }
        }
        let reference = Self.seconds(since: referenceStart)
        return [
            String(
                format:
                    "bench code_verifications %.0f per_s reference %.0f per_s (raw Ed25519 of the same bytes; %d-character code, 1,000 revoked ids)",
                Double(rounds) / seconds, Double(rounds) / reference, token.count)
        ]
    }

    private func reevaluation(_ app: Application, print: (String) -> Void) async throws -> [String] {
        let now = Date()
        let seconds = Int64(now.timeIntervalSince1970)
        // The population's facts, straight into the table (the ingestion API is measured by its own tests).
        let insertStart = DispatchTime.now()
        let chunk = 200
        for first in stride(from: 0, to: population, by: chunk) {
            try await app.writeGate.exclusive { db in
                let sql = try db.sql()
                var insert = sql.insert(into: "status_facts").columns(
                    "id", "source", "source_id", "subject", "kind", "value", "observed_at", "expires_at",
                    "received_at")
                for person in first..<min(first + chunk, population) {
                    for fact in Self.facts(of: person, now: seconds) {
                        insert = insert.values(
                            SQLBind(UUID()), SQLBind(fact.source.rawValue), SQLBind(fact.id),
                            SQLBind(String(format: "p%09d", person)), SQLBind(fact.kind), SQLBind(fact.value),
                            SQLBind(Date(timeIntervalSince1970: TimeInterval(fact.observedAt))),
                            SQLBind(Date?.none), SQLBind(now))
                    }
                }
                try await insert.run()
            }
        }
        let loaded = Self.seconds(since: insertStart)
        print(String(format: "bench code_population_loaded %d people %.1f s", population, loaded))
        // Version 2 drops the transit rule: everyone is evaluated again (first evaluation, then the change).
        _ = try await StatusStore.currentRules(db: app.db, gate: app.writeGate, now: now)
        let firstStart = DispatchTime.now()
        let first = try await StatusReevaluation.run(db: app.db, gate: app.writeGate, now: now)
        let firstElapsed = Self.seconds(since: firstStart)
        print(String(format: "bench code_first_evaluation %.1f s (%d people)", firstElapsed, first.evaluated))
        var rules = try StatusRuleSet.bundled()
        rules.rules.removeAll { $0.id == "trip_exposure" }
        _ = try await StatusStore.putRules(rules, by: "bench", db: app.db, gate: app.writeGate, now: now)
        let start = DispatchTime.now()
        let run = try await StatusReevaluation.run(db: app.db, gate: app.writeGate, now: now)
        let elapsed = Self.seconds(since: start)
        // Reference: the same number of decision rows, raw multi-row inserts in transactions of 1,000.
        let referenceStart = DispatchTime.now()
        for firstRow in stride(from: 0, to: population, by: 1000) {
            try await app.writeGate.exclusive { db in
                let sql = try db.sql()
                for part in stride(from: firstRow, to: min(firstRow + 1000, population), by: 100) {
                    var insert = sql.insert(into: "status_decisions").columns(
                        "id", "subject", "sequence", "category", "reason_code", "reason_params", "fact_ids",
                        "evaluated_at", "expires_at", "rule_set_version")
                    for person in part..<min(part + 100, population) {
                        insert = insert.values(
                            SQLBind(UUID()), SQLBind(String(format: "r%09d", person)), SQLBind(1), SQLBind("green"),
                            SQLBind("default"), SQLBind("{}"), SQLBind("[]"), SQLBind(now), SQLBind(now),
                            SQLBind(3))
                    }
                    try await insert.run()
                }
            }
        }
        let reference = Self.seconds(since: referenceStart)
        return [
            String(
                format:
                    "bench code_reevaluation %.1f s reference %.1f s (%d people re-evaluated, %d changed category; reference: raw inserts of as many decision rows)",
                elapsed, reference, run.evaluated, run.changed),
            String(
                format: "bench code_reevaluation_shanghai %.0f s (%.1f min) extrapolated linearly to 25,000,000 people",
                elapsed * Self.shanghai / Double(population), elapsed * Self.shanghai / Double(population) / 60),
        ]
    }

    static func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }
}
