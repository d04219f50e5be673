import CityDomain
import Fluent
import Foundation
import SQLKit
import Vapor

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
        let run = try await start(version: version, db: db, gate: gate, now: now)
        var batches = 0
        while run.finishedAt == nil, maxBatches.map({ batches < $0 }) ?? true {
            try await step(run, rules: rules, batchSize: batchSize, db: db, gate: gate, now: now)
            batches += 1
        }
        return run
    }

    /// The run of `version`: the stored one, else a new one (if another request starts it at the same moment, that
    /// one's).
    static func start(version: Int, db: any Database, gate: WriteGate, now: Date) async throws -> StatusReevaluationRow
    {
        if let existing = try await StatusReevaluationRow.query(on: db).filter(\.$ruleSetVersion == version).first() {
            return existing
        }
        let run = StatusReevaluationRow()
        run.id = UUID()
        run.ruleSetVersion = version
        run.evaluated = 0
        run.changed = 0
        run.startedAt = now
        do {
            try await gate.exclusive { [run] db in try await run.create(on: db) }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return try await start(version: version, db: db, gate: gate, now: now)
        }
        return run
    }

    /// One batch: the next `batchSize` subjects after the cursor. The batch's transaction first moves the cursor
    /// on from where this step read it, so two runs at once never both store a batch: the second is refused with
    /// ``StatusReevaluationError/concurrentRun``. A batch that lost a race with a single evaluation of one of its
    /// subjects is read and decided again.
    /// - Throws: ``StatusReevaluationError``; database errors.
    static func step(
        _ run: StatusReevaluationRow, rules: StatusRuleSet, batchSize: Int, db: any Database, gate: WriteGate,
        now: Date
    ) async throws {
        let sql = try db.sql()
        let cursor = run.afterSubject
        var query = sql.select().distinct().column("subject").from("status_facts")
        if let cursor { query = query.where("subject", .greaterThan, cursor) }
        let subjects = try await query.orderBy("subject").limit(batchSize).all()
            .map { try $0.decode(column: "subject", as: String.self) }
        let finished = subjects.count < batchSize
        var attempt = 0
        while true {
            attempt += 1
            let batch =
                subjects.isEmpty
                ? (decisions: [], replaced: [], changedCategory: [])
                : try await evaluate(subjects, rules: rules, version: run.ruleSetVersion, db: db, now: now)
            let runID = try run.requireID()
            do {
                try await gate.exclusive { db in
                    try await moveCursor(
                        runID, from: cursor, to: subjects.last ?? cursor, evaluated: subjects.count,
                        changed: batch.changedCategory.count, finishedAt: finished ? now : nil, on: db)
                    try await StatusStore.lock(decisions: batch.replaced, on: db)
                    if !batch.decisions.isEmpty { try await batch.decisions.create(on: db) }
                    for subject in batch.changedCategory {
                        try await StatusStore.revokeCodes(of: subject, at: now, on: db)
                    }
                }
            } catch let error as any DatabaseError where error.isConstraintFailure {
                // A single evaluation stored the next decision of a subject of this batch first.
                guard attempt < StatusStore.attempts else { throw StatusBusy() }
                continue
            }
            run.afterSubject = subjects.last ?? cursor
            run.evaluated += subjects.count
            run.changed += batch.changedCategory.count
            if finished { run.finishedAt = now }
            return
        }
    }

    /// Moves the run's cursor from `from` to `to` and adds the batch's counts, only if the cursor is still at `from`
    /// and the run's version is still the current one.
    /// - Throws: ``StatusReevaluationError/concurrentRun`` when another run moved it meanwhile or the rules changed.
    static func moveCursor(
        _ id: UUID, from: String?, to: String?, evaluated: Int, changed: Int, finishedAt: Date?, on db: any Database
    ) async throws {
        let sql = try db.sql()
        var update = sql.update(StatusReevaluationRow.schema).set("after_subject", to: to)
            .set(
                SQLIdentifier("evaluated"),
                to: SQLBinaryExpression(SQLIdentifier("evaluated"), .add, SQLBind(evaluated))
            )
            .set(SQLIdentifier("changed"), to: SQLBinaryExpression(SQLIdentifier("changed"), .add, SQLBind(changed)))
            .set("finished_at", to: finishedAt)
            .where("id", .equal, id).where("finished_at", .is, SQLLiteral.null)
            // Only the run of the current version moves: an older run still going after a rule change stops.
            .where(SQLRaw("rule_set_version = (SELECT MAX(version) FROM status_rule_sets)"))
        update =
            from.map { update.where("after_subject", .equal, $0) }
            ?? update.where("after_subject", .is, SQLLiteral.null)
        guard try await update.returning("id").first() != nil else { throw StatusReevaluationError.concurrentRun }
    }

    /// Evaluates `subjects` with one read of their facts and one of their decisions (SQLKit rows, not models: this
    /// runs for every person of the city after a rule change).
    /// - Returns: the decisions to store (those that differ from the latest, numbered after it), the ids of the
    ///   decisions they replace, and the subjects whose category changed.
    static func evaluate(_ subjects: [String], rules: StatusRuleSet, version: Int, db: any Database, now: Date)
        async throws -> (decisions: [StatusDecisionRow], replaced: [UUID], changedCategory: [String])
    {
        let sql = try db.sql()
        // Decisions first, then facts (see ``StatusStore/evaluate(_:rules:version:db:gate:now:)``).
        var latest: [String: StatusStore.Stored] = [:]
        for row in try await sql.select().columns(StatusStore.Stored.columns.map { SQLIdentifier($0) })
            .from(StatusDecisionRow.schema).where("subject", .in, subjects).all()
        {
            let decision = try StatusStore.Stored(row)
            if latest[decision.subject].map({ $0.sequence < decision.sequence }) ?? true {
                latest[decision.subject] = decision
            }
        }
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
        let seconds = Int64(now.timeIntervalSince1970)
        var decisions: [StatusDecisionRow] = []
        var replaced: [UUID] = []
        var changed: [String] = []
        for subject in subjects {
            let decision = rules.evaluate(facts[subject] ?? [], now: seconds, version: version)
            let previous = latest[subject]
            if let previous, previous.stands(as: decision, at: now) { continue }
            decisions.append(try StatusStore.decisionRow(subject, decision, after: previous))
            if let previous {
                replaced.append(previous.id)
                if previous.category != decision.category { changed.append(subject) }
            }
        }
        return (decisions, replaced, changed)
    }
}

/// Why a re-evaluation request was refused.
enum StatusReevaluationError: Error, Equatable, AbortError {
    /// Another request is moving the same run (409).
    case concurrentRun

    var status: HTTPResponseStatus { .conflict }
    var reason: String {
        "another request is re-evaluating this rule set version right now, or the rules changed since this run "
            + "started; ask again when it answers"
    }
}
