import Fluent
import Foundation

/// An issued e-licence: what its signed payload says, the payload itself (the QR text) and its revocation.
// @unchecked Sendable: Fluent models are mutable reference types; each instance is used by one task at a time.
final class GovLicence: Model, @unchecked Sendable {
    static let schema = "gov_licences"
    @ID(key: .id) var id: UUID?
    /// The GB/T 36904-style number (``LicenceNumber``).
    @Field(key: "number") var number: String
    @Field(key: "kind") var kind: String
    @Field(key: "application_id") var applicationID: UUID
    @Field(key: "holder_citizen_id") var holderCitizenID: UUID
    @Field(key: "holder_name") var holderName: String
    /// Masked as on the citizen's account; the clear number is never in a licence.
    @Field(key: "holder_id_masked") var holderIDMasked: String
    @Field(key: "issuer_unit") var issuerUnit: String
    @Field(key: "issued_at") var issuedAt: Date
    @OptionalField(key: "valid_until") var validUntil: Date?
    @Field(key: "key_id") var keyID: String
    @Field(key: "status_list") var statusList: String
    @Field(key: "status_index") var statusIndex: Int
    /// The signed QR text (``LicenceQR/text``).
    @Field(key: "payload") var payload: String
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    /// The operator who revoked it.
    @OptionalField(key: "revoked_by") var revokedBy: String?
    @OptionalField(key: "revoke_reason") var revokeReason: String?
    init() {}
}
