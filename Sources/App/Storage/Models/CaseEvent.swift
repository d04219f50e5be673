import CityDomain
import Fluent
import Foundation

/// One entry of a case's append-only audit trail: who did what, when, from which state to which.
/// Rows are only ever inserted; nothing updates or deletes them.
// @unchecked Sendable: Fluent models are mutable reference types; each instance is used by one task at a time.
final class CaseEvent: Model, @unchecked Sendable {
    static let schema = "case_events"

    @ID(custom: .id, generatedBy: .database) var id: Int?
    @Field(key: "case_id") var caseID: Int
    @Field(key: "at") var at: Date
    /// A workflow action, or a system step (`accept`, `merge_report`, `split_report`, `time_limit`).
    @Field(key: "action") var action: CaseEventAction
    @OptionalField(key: "from_state") var fromState: CaseState?
    @Field(key: "to_state") var toState: CaseState
    /// The operator's username, `open311:<key name>`, or `system`.
    @Field(key: "actor") var actor: String
    @OptionalField(key: "actor_unit_code") var actorUnitCode: String?
    /// The unit responsible after this step.
    @OptionalField(key: "unit_code") var unitCode: String?
    @OptionalField(key: "note") var note: String?
    /// What a `callback` found (``CallbackResult``'s code, rendered in the reader's language); nil for other steps.
    @OptionalField(key: "outcome") var outcome: String?
    /// The note's parts as codes and parameters (JSON, ``MessageNote``) when the system wrote some of it; nil when
    /// the note is a person's words only, or the event predates it.
    @OptionalField(key: "note_parts") var noteParts: String?

    init() {}

    init(
        caseID: Int, at: Date, action: CaseEventAction, from: CaseState?, to: CaseState, actor: String,
        actorUnitCode: String?,
        unitCode: String?, note: String?, outcome: String? = nil, parts: [Message]? = nil
    ) {
        self.caseID = caseID
        self.at = at
        self.action = action
        self.fromState = from
        self.toState = to
        self.actor = actor
        self.actorUnitCode = actorUnitCode
        self.unitCode = unitCode
        self.note = note
        self.outcome = outcome
        self.noteParts = parts.flatMap(MessageNote.stored)
    }
}
