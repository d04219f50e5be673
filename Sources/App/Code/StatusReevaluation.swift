import CityDomain
import Fluent
import Foundation
import SQLKit

/// Re-evaluates everyone after a rule change (issue #16 §1), in batches of subjects taken in order, each batch one
/// transaction that also moves the run's cursor (`status_reevaluations.after_subject`): a run stopped anywhere
/// resumes after the last batch committed, and evaluating a subject twice stores nothing new. Everyone with a fact
/// is re-evaluated; a person with no facts gets the new default when their status is next read
/// (``StatusStore/current(of:db:gate:now:)`` re-evaluates a decision made by an older version).
enum StatusReevaluation {
    /// Runs (or resumes) the re-evaluation for the current rule set version.
    /// - Parameters:
    ///   - batchSize: subjects per batch (one read of their facts and decisions, one write).
    ///   - maxBatches: stop after this many batches (nil: to the end); call again to continue.
    /// - Returns: the run's progress.
    static func run(
        batchSize: Int = 1000, maxBatches: Int? = nil, db: any Database, gate: WriteGate, now: Date
    ) async throws -> StatusReevaluationRow {
        let (version, rules) = try await StatusStore.currentRules(db: db, gate: gate, now: now)
        let run: StatusReevaluationRow
        if let existing = try await StatusReevaluationRow.query(on: db).filter(\.$ruleSetVersion == version).first() {
            run = existing
        } else {
            run = StatusReevaluationRow()
            run.id = UUID()
            run.ruleSetVersion = version
            run.evaluated = 0
            run.changed = 0
            run.startedAt = now
            try await gate.exclusive { [run] db in try await run.create(on: db) }
        }
        var batches = 0
        while run.finishedAt == nil, maxBatches.map({ batches < $0 }) ?? true {
            try await step(run, rules: rules, batchSize: batchSize, db: db, gate: gate, now: now)
            batches += 1
        }
        return run
    }

    /// One batch: the next `batchSize` subjects after the cursor.
    static func step(
        _ run: StatusReevaluationRow, rules: StatusRuleSet, batchSize: Int, db: any Database, gate: WriteGate,
        now: Date
    ) async throws {
        let sql = try db.sql()
        var query = sql.select().distinct().column("subject").from("status_facts")
        if let after = run.afterSubject { query = query.where("subject", .greaterThan, after) }
        let subjects = try await query.orderBy("subject").limit(batchSize).all()
            .map { try $0.decode(column: "subject", as: String.self) }
        guard let last = subjects.last else {
            run.finishedAt = now
            try await gate.exclusive { [run] db in try await run.update(on: db) }
            return
        }
        let (decisions, changedCategory) = try await evaluate(
            subjects, rules: rules, version: run.ruleSetVersion, db: db, now: now)
        run.afterSubject = last
        run.evaluated += subjects.count
        run.changed += changedCategory.count
        if subjects.count < batchSize { run.finishedAt = now }
        try await gate.exclusive { [run] db in
            if !decisions.isEmpty { try await decisions.create(on: db) }
            for subject in changedCategory { try await StatusStore.revokeCodes(of: subject, at: now, on: db) }
            try await run.update(on: db)
        }
    }

    /// Evaluates `subjects` with one read of their facts and one of their decisions (SQLKit rows, not models: this
    /// runs for every person of the city after a rule change).
    /// - Returns: the decisions to store (those that differ from the latest) and the subjects whose category
    ///   changed.
    static func evaluate(_ subjects: [String], rules: StatusRuleSet, version: Int, db: any Database, now: Date)
        async throws -> (decisions: [StatusDecisionRow], changedCategory: [String])
    {
        let sql = try db.sql()
        var facts: [String: [StatusFact]] = [:]
        for row in try await sql.select().columns(
            "id", "subject", "source", "kind", "value", "observed_at", "expires_at"
        )
        .from("status_facts").where("subject", .in, subjects).all() {
            guard let source = FactSource(rawValue: try row.decode(column: "source", as: String.self)) else { continue }
            let fact = StatusFact(
                id: try row.decode(column: "id", as: UUID.self).uuidString.lowercased(), source: source,
                kind: try row.decode(column: "kind", as: String.self),
                value: try row.decode(column: "value", as: String.self),
                observedAt: Int64(try row.decode(column: "observed_at", as: Date.self).timeIntervalSince1970),
                expiresAt: try row.decode(column: "expires_at", as: Date?.self).map { Int64($0.timeIntervalSince1970) })
            facts[try row.decode(column: "subject", as: String.self), default: []].append(fact)
        }
        var latest: [String: Latest] = [:]
        for row in try await sql.select()
            .columns("subject", "category", "reason_code", "fact_ids", "evaluated_at", "expires_at", "rule_set_version")
            .from("status_decisions").where("subject", .in, subjects).all()
        {
            let decision = Latest(
                category: try row.decode(column: "category", as: String.self),
                reasonCode: try row.decode(column: "reason_code", as: String.self),
                factIDs: try row.decode(column: "fact_ids", as: String.self),
                evaluatedAt: try row.decode(column: "evaluated_at", as: Date.self),
                expiresAt: try row.decode(column: "expires_at", as: Date.self),
                version: try row.decode(column: "rule_set_version", as: Int.self))
            let subject = try row.decode(column: "subject", as: String.self)
            if latest[subject].map({ $0.evaluatedAt < decision.evaluatedAt }) ?? true { latest[subject] = decision }
        }
        let seconds = Int64(now.timeIntervalSince1970)
        var decisions: [StatusDecisionRow] = []
        var changed: [String] = []
        for subject in subjects {
            let decision = rules.evaluate(facts[subject] ?? [], now: seconds, version: version)
            let previous = latest[subject]
            if let previous, previous.expiresAt > now, previous.same(as: decision) { continue }
            decisions.append(try StatusStore.decisionRow(subject, decision))
            if let previous, previous.category != decision.category { changed.append(subject) }
        }
        return (decisions, changed)
    }

    /// The fields of a stored decision that tell whether a new one differs.
    struct Latest {
        var category: String
        var reasonCode: String
        var factIDs: String
        var evaluatedAt: Date
        var expiresAt: Date
        var version: Int

        func same(as decision: StatusDecision) -> Bool {
            category == decision.category && reasonCode == decision.reasonCode
                && version == decision.ruleSetVersion && factIDs == (try? StatusStore.encodeFacts(decision.factIDs))
                && Int64(expiresAt.timeIntervalSince1970) == decision.expiresAt
        }
    }
}
