import CityDomain
import Fluent
import Foundation

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
    static func putRules(_ set: StatusRuleSet, by actor: String, db: any Database, gate: WriteGate, now: Date)
        async throws -> Int
    {
        let (current, _) = try await currentRules(db: db, gate: gate, now: now)
        let row = try ruleRow(set, version: current + 1, by: actor, now: now)
        try await gate.exclusive { db in try await row.create(on: db) }
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

    /// The latest stored decision of `subject`, or nil.
    static func latest(of subject: String, db: any Database) async throws -> StatusDecisionRow? {
        try await StatusDecisionRow.query(on: db).filter(\.$subject == subject).sort(\.$evaluatedAt, .descending)
            .first()
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

    /// Evaluates `subject` with `rules` and stores the decision when it differs from the latest one (category,
    /// reason, facts or version) or that one has expired; a changed category revokes the subject's live codes.
    /// - Returns: the current decision row and whether the category changed.
    @discardableResult
    static func evaluate(
        _ subject: String, rules: StatusRuleSet, version: Int, db: any Database, gate: WriteGate, now: Date
    ) async throws -> (row: StatusDecisionRow, categoryChanged: Bool) {
        let facts = try await facts(of: subject, db: db).compactMap(domainFact)
        let decision = rules.evaluate(facts, now: Int64(now.timeIntervalSince1970), version: version)
        let latest = try await latest(of: subject, db: db)
        if let latest, latest.expiresAt > now, same(latest, decision) { return (latest, false) }
        let row = try decisionRow(subject, decision)
        let changed = latest.map { $0.category != decision.category } ?? false
        try await gate.exclusive { db in
            try await row.create(on: db)
            if changed { try await revokeCodes(of: subject, at: now, on: db) }
        }
        return (row, changed)
    }

    static func same(_ row: StatusDecisionRow, _ decision: StatusDecision) -> Bool {
        row.category == decision.category && row.reasonCode == decision.reasonCode
            && row.ruleSetVersion == decision.ruleSetVersion
            && row.factIDs == (try? encodeFacts(decision.factIDs))
            && Int64(row.expiresAt.timeIntervalSince1970) == decision.expiresAt
    }

    static func encodeFacts(_ ids: [String]) throws -> String {
        String(decoding: try JSONEncoder().encode(ids), as: UTF8.self)
    }

    static func decisionRow(_ subject: String, _ decision: StatusDecision) throws -> StatusDecisionRow {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let row = StatusDecisionRow()
        row.id = UUID()
        row.subject = subject
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
