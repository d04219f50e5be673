import CityDomain
import Fluent
import Foundation
import SQLKit
import Vapor

/// Loads facts and rule sets, stores decisions (CityNet issue #16 §1). The rules are the domain's
/// (``CityDomain/StatusRuleSet/evaluate(_:now:version:)``); this stores what they decide, with the version that
/// decided, and revokes a subject's live codes when their category changes.
enum StatusStore {
    /// The current rule set and its version; on a database with none, the bundled default is stored as version 1.
    /// - Throws: database errors; the bundled set's faults.
    static func currentRules(db: any Database, gate: WriteGate, now: Date) async throws -> (Int, StatusRuleSet) {
        if let row = try await StatusRuleSetRow.query(on: db).sort(\.$version, .descending).first() {
            return (row.version, try JSONDecoder().decode(StatusRuleSet.self, from: Data(row.rules.utf8)))
        }
        let set = try StatusRuleSet.bundled()
        let row = try ruleRow(set, version: 1, by: "system", now: now)
        do {
            try await gate.exclusive { db in try await row.create(on: db) }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return try await currentRules(db: db, gate: gate, now: now)  // another request stored it first
        }
        return (1, set)
    }

    /// Stores `set` as the next version.
    /// - Precondition: `set.problems()` is empty.
    /// - Returns: the new version.
    /// - Throws: 409 when another change was stored as that version at the same moment (the caller reads it and
    ///   sends theirs again, rather than overwrite a change they have not seen); database errors.
    static func putRules(_ set: StatusRuleSet, by actor: String, db: any Database, gate: WriteGate, now: Date)
        async throws -> Int
    {
        let (current, _) = try await currentRules(db: db, gate: gate, now: now)
        let row = try ruleRow(set, version: current + 1, by: actor, now: now)
        do {
            try await gate.exclusive { db in try await row.create(on: db) }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw Abort(
                .conflict,
                reason: "another change was stored as status rule set version \(current + 1) at the same moment; "
                    + "read it (GET /api/v1/status-rules) and send yours again")
        }
        return current + 1
    }

    static func ruleRow(_ set: StatusRuleSet, version: Int, by actor: String, now: Date) throws -> StatusRuleSetRow {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let row = StatusRuleSetRow()
        row.id = UUID()
        row.version = version
        row.rules = String(decoding: try encoder.encode(set), as: UTF8.self)
        row.createdAt = now
        row.createdBy = actor
        return row
    }

    /// The rule set of `version`, or nil.
    static func rules(version: Int, db: any Database) async throws -> StatusRuleSet? {
        guard let row = try await StatusRuleSetRow.query(on: db).filter(\.$version == version).first() else {
            return nil
        }
        return try JSONDecoder().decode(StatusRuleSet.self, from: Data(row.rules.utf8))
    }

    /// The subject's facts, with the stored rows (for the sources a page shows).
    static func facts(of subject: String, db: any Database) async throws -> [StatusFactRow] {
        try await StatusFactRow.query(on: db).filter(\.$subject == subject).all()
    }

    static func domainFact(_ row: StatusFactRow) -> StatusFact? {
        guard let id = row.id, let source = FactSource(rawValue: row.source) else { return nil }
        return StatusFact(
            id: id.uuidString.lowercased(), source: source, kind: row.kind, value: row.value,
            observedAt: Int64(row.observedAt.timeIntervalSince1970),
            expiresAt: row.expiresAt.map { Int64($0.timeIntervalSince1970) })
    }

    /// The latest stored decision of `subject` (highest sequence), or nil.
    static func latest(of subject: String, db: any Database) async throws -> StatusDecisionRow? {
        try await StatusDecisionRow.query(on: db).filter(\.$subject == subject).sort(\.$sequence, .descending).first()
    }

    /// Locks the decision rows `ids` for the rest of the transaction (`FOR UPDATE` on PostgreSQL; SQLite's writes
    /// run one at a time through the ``WriteGate`` anyway). Whoever stores a decision after one locks that one first,
    /// and whoever issues a code from a decision locks it and then checks it is still the latest: so a code is
    /// either refused as issued from a replaced decision or committed before the replacing transaction revokes the
    /// subject's codes.
    static func lock(decisions ids: [UUID], on db: any Database) async throws {
        guard !ids.isEmpty else { return }
        _ = try await db.sql().select().column("id").from(StatusDecisionRow.schema).where("id", .in, ids)
            .for(.update).all()
    }

    /// The subject's current decision: the latest stored one while it stands (not expired, made by the current
    /// version), else a new evaluation, stored.
    static func current(of subject: String, db: any Database, gate: WriteGate, now: Date) async throws
        -> StatusDecisionRow
    {
        let (version, rules) = try await currentRules(db: db, gate: gate, now: now)
        if let latest = try await latest(of: subject, db: db), latest.ruleSetVersion == version,
            latest.expiresAt > now
        {
            return latest
        }
        return try await evaluate(subject, rules: rules, version: version, db: db, gate: gate, now: now).row
    }

    /// How often a write that lost a race with another write of the same subject is tried again from a fresh read.
    static let attempts = 3

    /// Evaluates `subject` with `rules` and stores the decision when it differs from the latest one (category,
    /// reason, facts or version) or that one has expired; a changed category revokes the subject's live codes.
    /// Two evaluations of one subject at once store one decision each in turn, never two with one sequence: the
    /// loser reads again and decides on what is stored then.
    /// - Returns: the current decision row and whether the category changed.
    /// - Throws: ``StatusBusy`` (409) after losing ``attempts`` races in a row; database errors.
    @discardableResult
    static func evaluate(
        _ subject: String, rules: StatusRuleSet, version: Int, db: any Database, gate: WriteGate, now: Date
    ) async throws -> (row: StatusDecisionRow, categoryChanged: Bool) {
        var attempt = 0
        while true {
            attempt += 1
            // The latest decision first, then the facts: a decision stored after this read (from facts newer than
            // the ones read here) takes the sequence this one would get, and this one is decided again.
            let latest = try await latest(of: subject, db: db)
            let facts = try await facts(of: subject, db: db).compactMap(domainFact)
            let decision = rules.evaluate(facts, now: Int64(now.timeIntervalSince1970), version: version)
            let stored = try latest.map(Stored.init)
            if let latest, let stored, stored.stands(as: decision, at: now) { return (latest, false) }
            let row = try decisionRow(subject, decision, after: stored)
            let changed = stored.map { $0.category != decision.category } ?? false
            do {
                try await gate.exclusive { db in
                    try await lock(decisions: stored.map { [$0.id] } ?? [], on: db)
                    try await row.create(on: db)
                    if changed { try await revokeCodes(of: subject, at: now, on: db) }
                }
                return (row, changed)
            } catch let error as any DatabaseError where error.isConstraintFailure {
                // Another evaluation stored this subject's next decision first.
                guard attempt < attempts else { throw StatusBusy() }
            }
        }
    }

    /// The fields of a stored decision that tell whether a new one differs: the one comparison for single
    /// evaluations and re-evaluation batches.
    struct Stored {
        static let columns = [
            "id", "subject", "sequence", "category", "reason_code", "fact_ids", "expires_at", "rule_set_version",
        ]
        var id: UUID
        var subject: String
        var sequence: Int64
        var category: String
        var reasonCode: String
        /// The JSON array as stored.
        var factIDs: String
        var expiresAt: Date
        var version: Int

        init(_ row: StatusDecisionRow) throws {
            (id, subject, sequence, category) = (try row.requireID(), row.subject, row.sequence, row.category)
            (reasonCode, factIDs, expiresAt, version) = (row.reasonCode, row.factIDs, row.expiresAt, row.ruleSetVersion)
        }

        /// A row selected with ``columns``.
        init(_ row: any SQLRow) throws {
            id = try row.decode(column: "id", as: UUID.self)
            subject = try row.decode(column: "subject", as: String.self)
            sequence = try row.decode(column: "sequence", as: Int64.self)
            category = try row.decode(column: "category", as: String.self)
            reasonCode = try row.decode(column: "reason_code", as: String.self)
            factIDs = try row.decode(column: "fact_ids", as: String.self)
            expiresAt = try row.decode(column: "expires_at", as: Date.self)
            version = try row.decode(column: "rule_set_version", as: Int.self)
        }

        /// True when this decision has not expired at `now` and `decision` says the same (category, reason, rule
        /// set version, facts, expiry): there is nothing new to store.
        func stands(as decision: StatusDecision, at now: Date) -> Bool {
            expiresAt > now && category == decision.category && reasonCode == decision.reasonCode
                && version == decision.ruleSetVersion && factIDs == (try? encodeFacts(decision.factIDs))
                && Int64(expiresAt.timeIntervalSince1970) == decision.expiresAt
        }
    }

    static func encodeFacts(_ ids: [String]) throws -> String {
        String(decoding: try JSONEncoder().encode(ids), as: UTF8.self)
    }

    /// The row of a new decision of `subject`, numbered after `previous` (1 when there is none).
    static func decisionRow(_ subject: String, _ decision: StatusDecision, after previous: Stored?) throws
        -> StatusDecisionRow
    {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let row = StatusDecisionRow()
        row.id = UUID()
        row.subject = subject
        row.sequence = (previous?.sequence ?? 0) + 1
        row.category = decision.category
        row.reasonCode = decision.reasonCode
        row.reasonParams = String(decoding: try encoder.encode(decision.reasonParams), as: UTF8.self)
        row.factIDs = try encodeFacts(decision.factIDs)
        row.evaluatedAt = Date(timeIntervalSince1970: TimeInterval(decision.evaluatedAt))
        row.expiresAt = Date(timeIntervalSince1970: TimeInterval(decision.expiresAt))
        row.ruleSetVersion = decision.ruleSetVersion
        return row
    }

    /// The domain decision of a stored row.
    static func decision(_ row: StatusDecisionRow) -> StatusDecision {
        StatusDecision(
            category: row.category, reasonCode: row.reasonCode,
            reasonParams: (try? JSONDecoder().decode([String: String].self, from: Data(row.reasonParams.utf8))) ?? [:],
            factIDs: (try? JSONDecoder().decode([String].self, from: Data(row.factIDs.utf8))) ?? [],
            expiresAt: Int64(row.expiresAt.timeIntervalSince1970),
            evaluatedAt: Int64(row.evaluatedAt.timeIntervalSince1970), ruleSetVersion: row.ruleSetVersion)
    }

    /// Revokes every code of `subject` not yet expired (they then appear on the revocation list until they expire).
    static func revokeCodes(of subject: String, at now: Date, on db: any Database) async throws {
        try await StatusCodeRow.query(on: db).filter(\.$subject == subject).filter(\.$revokedAt == nil)
            .filter(\.$expiresAt > now).set(\.$revokedAt, to: now).update()
    }
}

/// A write about one person lost ``StatusStore/attempts`` races in a row to other writes about the same person
/// (409: the caller tries again; nothing was stored by this request).
struct StatusBusy: AbortError {
    var status: HTTPResponseStatus { .conflict }
    var reason: String { "this person's status changed several times at the same moment; send the request again" }
}
