import Fluent
import SQLKit
import Vapor

/// Inserts for the submission hot path through SQLKit: explicit columns and binds, no model reflection (as
/// ``IntakeRows`` does for cases). Columns match the Fluent models in `GovModels.swift` exactly; dates are stored at
/// whole microseconds, as Fluent's writes store them (``Timestamps/stored(_:)``).
enum GovSubmissionRows {
    /// One new application's rows: the application, its materials, its audit event, its outbox notice and the
    /// citizen's access-log entry.
    struct RowSet: Sendable {
        let application: GovApplication
        let materials: [GovMaterial]
        let event: GovApplicationEvent
        let notice: GovNotification
        let access: GovAccessEntry?
    }

    /// The rows of one new application as a batch for ``WriteGate/insert(_:)``.
    static func batch(_ set: RowSet) -> RowBatch {
        var batch = RowBatch()
        batch.add(GovApplication.schema, [values(set.application)])
        batch.add(GovMaterial.schema, set.materials.map(values))
        batch.add(GovApplicationEvent.schema, [values(set.event)])
        batch.add(GovNotification.schema, [values(set.notice)])
        batch.add(GovAccessEntry.schema, set.access.map { [values($0)] } ?? [])
        return batch
    }

    private static func b<Value: Encodable & Sendable>(_ value: Value?) -> any SQLExpression { IntakeRows.b(value) }
    private static func b(_ value: Date?) -> any SQLExpression { IntakeRows.b(value) }

    static func values(_ row: GovApplication) -> [(String, any SQLExpression)] {
        [
            ("id", b(row.id)), ("citizen_id", b(row.citizenID)), ("item_code", b(row.itemCode)),
            ("unit_code", b(row.unitCode)), ("region_code", b(row.regionCode)), ("state", b(row.state.rawValue)),
            ("client_token", b(row.clientToken)), ("submitted_at", b(row.submittedAt)),
            ("accepted_at", b(row.acceptedAt)), ("was_accepted", b(row.wasAccepted)),
            ("clock_stops", b(row.clockStops)), ("stopped_since", b(row.stoppedSince)),
            ("promised_due_at", b(row.promisedDueAt)), ("legal_due_at", b(row.legalDueAt)),
            ("time_limit_problem", b(row.timeLimitProblem)), ("reason", b(row.reason)),
            ("escalated_to", b(row.escalatedTo)), ("escalated_at", b(row.escalatedAt)),
            ("updated_at", b(row.updatedAt)), ("version", b(row.version)),
        ]
    }

    static func values(_ row: GovMaterial) -> [(String, any SQLExpression)] {
        [
            ("id", b(row.id)), ("application_id", b(row.applicationID)), ("material_code", b(row.materialCode)),
            ("round", b(row.round)), ("supply", b(row.supply)), ("file_name", b(row.fileName)),
            ("content_type", b(row.contentType)), ("byte_count", b(row.byteCount)), ("sha256", b(row.sha256)),
            ("data", b(row.data)), ("elicence", b(row.elicence)), ("created_at", b(row.createdAt)),
            ("licence_id", b(row.licenceID)), ("consented_at", b(row.consentedAt)),
        ]
    }

    static func values(_ row: GovApplicationEvent) -> [(String, any SQLExpression)] {
        [
            ("id", b(row.id)), ("application_id", b(row.applicationID)), ("at", b(row.at)),
            ("action", b(row.action)), ("from_state", b(row.fromState?.rawValue)),
            ("to_state", b(row.toState.rawValue)), ("actor", b(row.actor)), ("unit_code", b(row.unitCode)),
            ("note", b(row.note)),
        ]
    }

    static func values(_ row: GovNotification) -> [(String, any SQLExpression)] {
        [
            ("id", b(row.id)), ("citizen_id", b(row.citizenID)), ("application_id", b(row.applicationID)),
            ("at", b(row.at)), ("kind", b(row.kind)), ("state", b(row.state?.rawValue)), ("note", b(row.note)),
            ("delivered_at", b(row.deliveredAt)), ("shown_at", b(row.shownAt)),
        ]
    }

    static func values(_ row: GovAccessEntry) -> [(String, any SQLExpression)] {
        [
            ("id", b(row.id)), ("citizen_id", b(row.citizenID)), ("at", b(row.at)), ("action", b(row.action)),
            ("target", b(row.target)), ("outcome", b(row.outcome)), ("client_address", b(row.clientAddress)),
            ("reader", b(row.reader)), ("reader_unit", b(row.readerUnit)), ("application_id", b(row.applicationID)),
        ]
    }
}
