import Fluent
import Foundation

// @unchecked Sendable on every model here: Fluent models are mutable reference types; each instance is used by one
// task at a time.

/// One fact from a source (``CityDomain/StatusFact``); `subject` is the identity number's keyed hash.
final class StatusFactRow: Model, @unchecked Sendable {
    static let schema = "status_facts"
    @ID(key: .id) var id: UUID?
    @Field(key: "source") var source: String
    @Field(key: "source_id") var sourceID: String
    @Field(key: "subject") var subject: String
    @Field(key: "kind") var kind: String
    @Field(key: "value") var value: String
    @Field(key: "observed_at") var observedAt: Date
    @OptionalField(key: "expires_at") var expiresAt: Date?
    @Field(key: "received_at") var receivedAt: Date
    init() {}
}

/// A version of the status rule set, stored whole as JSON.
final class StatusRuleSetRow: Model, @unchecked Sendable {
    static let schema = "status_rule_sets"
    @ID(key: .id) var id: UUID?
    @Field(key: "version") var version: Int
    @Field(key: "rules") var rules: String
    @Field(key: "created_at") var createdAt: Date
    /// `system` for the bundled default, else the operator's username.
    @Field(key: "created_by") var createdBy: String
    init() {}
}

/// One stored decision (``CityDomain/StatusDecision``); the one with the highest `sequence` per subject is the
/// current status.
final class StatusDecisionRow: Model, @unchecked Sendable {
    static let schema = "status_decisions"
    @ID(key: .id) var id: UUID?
    @Field(key: "subject") var subject: String
    /// 1, 2, 3 … per subject, unique with it: the order of the subject's decisions (`evaluated_at` has whole seconds
    /// and may tie).
    @Field(key: "sequence") var sequence: Int64
    @Field(key: "category") var category: String
    @Field(key: "reason_code") var reasonCode: String
    /// JSON object of strings.
    @Field(key: "reason_params") var reasonParams: String
    /// JSON array of fact ids.
    @Field(key: "fact_ids") var factIDs: String
    @Field(key: "evaluated_at") var evaluatedAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    @Field(key: "rule_set_version") var ruleSetVersion: Int
    init() {}
}

/// A status code issued: its id is the per-code pseudonym the payload carries (and the revocation list names).
final class StatusCodeRow: Model, @unchecked Sendable {
    static let schema = "status_codes"
    @ID(custom: "id", generatedBy: .user) var id: String?
    @Field(key: "subject") var subject: String
    @Field(key: "category") var category: String
    @Field(key: "key_id") var keyID: String
    @Field(key: "issued_at") var issuedAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    init() {}
}

/// A citizen's appeal of a decision, and the case it opened.
final class StatusAppealRow: Model, @unchecked Sendable {
    static let schema = "status_appeals"
    @ID(key: .id) var id: UUID?
    @Field(key: "citizen_id") var citizenID: UUID
    @Field(key: "decision_id") var decisionID: UUID
    @Field(key: "statement") var statement: String
    @Field(key: "case_id") var caseID: Int
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "due_at") var dueAt: Date?
    init() {}
}

/// The progress of re-evaluating everyone after a rule change: subjects are taken in order, `after_subject` is the
/// last one done, so a stopped run resumes where it stopped.
final class StatusReevaluationRow: Model, @unchecked Sendable {
    static let schema = "status_reevaluations"
    @ID(key: .id) var id: UUID?
    @Field(key: "rule_set_version") var ruleSetVersion: Int
    @OptionalField(key: "after_subject") var afterSubject: String?
    @Field(key: "evaluated") var evaluated: Int
    @Field(key: "changed") var changed: Int
    @Field(key: "started_at") var startedAt: Date
    @OptionalField(key: "finished_at") var finishedAt: Date?
    init() {}
}
