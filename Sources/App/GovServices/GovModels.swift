import CityDomain
import Fluent
import Foundation

/// A citizen's real-name account. The identity number is stored encrypted (``IdentityVault``), with a keyed hash for
/// look-up and its masked form for display; never in clear.
// @unchecked Sendable: Fluent models are mutable reference types; each instance is used by one task at a time.
final class Citizen: Model, @unchecked Sendable {
    static let schema = "citizens"
    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    /// AES-GCM sealed box (nonce, cipher text, tag), base64.
    @Field(key: "id_cipher") var idCipher: String
    /// HMAC-SHA256 of the canonical number, hex: finds an account by number without decrypting every row.
    @Field(key: "id_hmac") var idHMAC: String
    @Field(key: "id_masked") var idMasked: String
    @Field(key: "phone") var phone: String
    /// Bcrypt (cost 12).
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "disabled") var disabled: Bool
    init() {}
}

/// A citizen's session; only the SHA-256 of the bearer token is stored.
// @unchecked Sendable: Fluent models are mutable reference types; each instance is used by one task at a time.
final class CitizenSession: Model, @unchecked Sendable {
    static let schema = "citizen_sessions"
    @ID(key: .id) var id: UUID?
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "citizen_id") var citizenID: UUID
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    init() {}
}

/// An application (办件) for one service item.
// @unchecked Sendable: Fluent models are mutable reference types; each instance is used by one task at a time.
final class GovApplication: Model, @unchecked Sendable {
    static let schema = "gov_applications"
    @ID(key: .id) var id: UUID?
    @Field(key: "citizen_id") var citizenID: UUID
    @Field(key: "item_code") var itemCode: String
    /// The department that handles it.
    @Field(key: "unit_code") var unitCode: String
    @Field(key: "region_code") var regionCode: String
    @Field(key: "state") var state: ApplicationState
    /// The client's idempotency token: one application per (citizen, token).
    @Field(key: "client_token") var clientToken: String
    @Field(key: "submitted_at") var submittedAt: Date
    @OptionalField(key: "accepted_at") var acceptedAt: Date?
    @Field(key: "was_accepted") var wasAccepted: Bool
    /// Completed clock stops (补正 waits), JSON `[[start, end], …]` in seconds since 1970.
    @Field(key: "clock_stops") var clockStops: String
    /// Start of the open clock stop while it waits for completion.
    @OptionalField(key: "stopped_since") var stoppedSince: Date?
    @OptionalField(key: "promised_due_at") var promisedDueAt: Date?
    @OptionalField(key: "legal_due_at") var legalDueAt: Date?
    /// Why a due instant could not be computed (the calendar lacks a year), or nil.
    @OptionalField(key: "time_limit_problem") var timeLimitProblem: String?
    /// What to complete, or why it was refused.
    @OptionalField(key: "reason") var reason: String?
    /// The department head's unit it was escalated to when overdue.
    @OptionalField(key: "escalated_to") var escalatedTo: String?
    @OptionalField(key: "escalated_at") var escalatedAt: Date?
    @Field(key: "updated_at") var updatedAt: Date
    @Field(key: "version") var version: Int
    init() {}

    /// The completed clock stops as intervals.
    var stops: [DateInterval] {
        get {
            let pairs = (try? JSONDecoder().decode([[Double]].self, from: Data(clockStops.utf8))) ?? []
            return pairs.compactMap { pair in
                pair.count == 2 && pair[1] >= pair[0]
                    ? DateInterval(
                        start: Date(timeIntervalSince1970: pair[0]), end: Date(timeIntervalSince1970: pair[1]))
                    : nil
            }
        }
        set {
            let pairs = newValue.map { [$0.start.timeIntervalSince1970, $0.end.timeIntervalSince1970] }
            clockStops = String(decoding: (try? JSONEncoder().encode(pairs)) ?? Data("[]".utf8), as: UTF8.self)
        }
    }
}

/// One material of an application: an upload (bytes, type by content, SHA-256) or an e-licence reference.
// @unchecked Sendable: Fluent models are mutable reference types; each instance is used by one task at a time.
final class GovMaterial: Model, @unchecked Sendable {
    static let schema = "gov_materials"
    @ID(key: .id) var id: UUID?
    @Field(key: "application_id") var applicationID: UUID
    @Field(key: "material_code") var materialCode: String
    /// 0 with the application, 1, 2, … with each completion.
    @Field(key: "round") var round: Int
    @Field(key: "supply") var supply: String
    @OptionalField(key: "file_name") var fileName: String?
    @OptionalField(key: "content_type") var contentType: String?
    @OptionalField(key: "byte_count") var byteCount: Int?
    @OptionalField(key: "sha256") var sha256: String?
    @OptionalField(key: "data") var data: Data?
    @OptionalField(key: "elicence") var elicence: String?
    @Field(key: "created_at") var createdAt: Date
    /// The held licence (``GovLicence``) the citizen consented to reuse for this e-licence material; nil without
    /// consent, and then no department reads one.
    @OptionalField(key: "licence_id") var licenceID: UUID?
    @OptionalField(key: "consented_at") var consentedAt: Date?
    init() {}
}

/// One step in an application's audit trail.
// @unchecked Sendable: Fluent models are mutable reference types; each instance is used by one task at a time.
final class GovApplicationEvent: Model, @unchecked Sendable {
    static let schema = "gov_application_events"
    @ID(key: .id) var id: UUID?
    @Field(key: "application_id") var applicationID: UUID
    @Field(key: "at") var at: Date
    /// An ``ApplicationAction`` code, or `submit`, `escalate`, `rate`.
    @Field(key: "action") var action: String
    @OptionalField(key: "from_state") var fromState: ApplicationState?
    @Field(key: "to_state") var toState: ApplicationState
    /// A caseworker's username, `citizen`, or `system`.
    @Field(key: "actor") var actor: String
    @OptionalField(key: "unit_code") var unitCode: String?
    @OptionalField(key: "note") var note: String?
    init() {}

    convenience init(
        applicationID: UUID, at: Date, action: String, from: ApplicationState?, to: ApplicationState, actor: String,
        unitCode: String?, note: String?
    ) {
        self.init()
        self.applicationID = applicationID
        self.at = at
        self.action = action
        fromState = from
        toState = to
        self.actor = actor
        self.unitCode = unitCode
        self.note = note
    }
}

/// A notice to a citizen in the outbox: written in the same transaction as the change it tells of, delivered by
/// the configured ``GovNotifier`` (at least once), shown once on the citizen's page.
// @unchecked Sendable: Fluent models are mutable reference types; each instance is used by one task at a time.
final class GovNotification: Model, @unchecked Sendable {
    static let schema = "gov_notifications"
    @ID(key: .id) var id: UUID?
    @Field(key: "citizen_id") var citizenID: UUID
    @OptionalField(key: "application_id") var applicationID: UUID?
    @Field(key: "at") var at: Date
    /// `state_changed`, `rated`, `rectification_opened`, `rectification_closed`, `registration_attempted` (no
    /// application: someone tried to register the holder's identity number).
    @Field(key: "kind") var kind: String
    @OptionalField(key: "state") var state: ApplicationState?
    @OptionalField(key: "note") var note: String?
    @OptionalField(key: "delivered_at") var deliveredAt: Date?
    @OptionalField(key: "shown_at") var shownAt: Date?
    init() {}
}

/// A 好差评 rating of a completed application; the handling caseworker never sees the citizen behind it.
// @unchecked Sendable: Fluent models are mutable reference types; each instance is used by one task at a time.
final class GovRating: Model, @unchecked Sendable {
    static let schema = "gov_ratings"
    @ID(key: .id) var id: UUID?
    @Field(key: "application_id") var applicationID: UUID
    @Field(key: "citizen_id") var citizenID: UUID
    @Field(key: "item_code") var itemCode: String
    @Field(key: "unit_code") var unitCode: String
    @Field(key: "level") var level: RatingLevel
    @OptionalField(key: "comment") var comment: String?
    @Field(key: "at") var at: Date
    /// The rectification case a bad rating opened.
    @OptionalField(key: "case_id") var caseID: Int?
    /// When the citizen was told their rectification case closed (the callback).
    @OptionalField(key: "called_back_at") var calledBackAt: Date?
    init() {}
}

/// A citizen's data-access log: every read and write of their data, and every refused attempt at someone else's.
// @unchecked Sendable: Fluent models are mutable reference types; each instance is used by one task at a time.
final class GovAccessEntry: Model, @unchecked Sendable {
    static let schema = "gov_access_log"
    @ID(key: .id) var id: UUID?
    @Field(key: "citizen_id") var citizenID: UUID
    @Field(key: "at") var at: Date
    @Field(key: "action") var action: String
    @OptionalField(key: "target") var target: String?
    /// `allowed` or `refused`.
    @Field(key: "outcome") var outcome: String
    @OptionalField(key: "client_address") var clientAddress: String?
    /// For a department's read: the operator, their unit and the application it was for.
    @OptionalField(key: "reader") var reader: String?
    @OptionalField(key: "reader_unit") var readerUnit: String?
    @OptionalField(key: "application_id") var applicationID: UUID?
    init() {}
}
