import Fluent
import Foundation

/// A bundle application (一件事办件): one form, fanned out to one leg per item of the bundle.
// @unchecked Sendable: Fluent models are mutable reference types; each instance is used by one task at a time.
final class GovBundle: Model, @unchecked Sendable {
    static let schema = "gov_bundles"
    @ID(key: .id) var id: UUID?
    @Field(key: "citizen_id") var citizenID: UUID
    /// A ``BundleDefinition/code`` (`newborn`).
    @Field(key: "bundle_code") var bundleCode: String
    @OptionalField(key: "region_code") var regionCode: String?
    /// The client's idempotency token: one bundle per (citizen, token).
    @Field(key: "client_token") var clientToken: String
    /// SHA-256 of the canonical form (``BundleForm/digest``): a retry with another body is refused.
    @Field(key: "body_sha256") var bodySHA256: String
    /// The shared form fields, a JSON object of strings.
    @Field(key: "fields") var fields: String
    /// The e-licence material codes whose held licences the citizen consented to reuse, a JSON array.
    @Field(key: "consents") var consents: String
    /// Also when the citizen consented that licences one leg issues fill later legs.
    @Field(key: "submitted_at") var submittedAt: Date
    /// The bundle's promised deadline: the longest path of promised working days from submission.
    @OptionalField(key: "due_at") var dueAt: Date?
    @OptionalField(key: "time_limit_problem") var timeLimitProblem: String?
    init() {}
}

/// One leg of a bundle: an item, and the ordinary application made for it once the legs it waits for are approved.
// @unchecked Sendable: Fluent models are mutable reference types; each instance is used by one task at a time.
final class GovBundleLeg: Model, @unchecked Sendable {
    static let schema = "gov_bundle_legs"
    @ID(key: .id) var id: UUID?
    @Field(key: "bundle_id") var bundleID: UUID
    @Field(key: "item_code") var itemCode: String
    /// The leg's place in the bundle's submission order.
    @Field(key: "position") var position: Int
    /// The department that handles the leg and the region it is filed in, settled when the bundle is started.
    @Field(key: "unit_code") var unitCode: String
    @Field(key: "region_code") var regionCode: String
    /// Nil while the leg waits; the current application (the latest attempt) after.
    @OptionalField(key: "application_id") var applicationID: UUID?
    /// 0 before release, 1 for the first application, +1 per resubmission after a refusal.
    @Field(key: "attempt") var attempt: Int
    @OptionalField(key: "released_at") var releasedAt: Date?
    init() {}
}

/// One file of a bundle's form, shared by every leg whose item asks for its material code.
// @unchecked Sendable: Fluent models are mutable reference types; each instance is used by one task at a time.
final class GovBundleUpload: Model, @unchecked Sendable {
    static let schema = "gov_bundle_uploads"
    @ID(key: .id) var id: UUID?
    @Field(key: "bundle_id") var bundleID: UUID
    @Field(key: "material_code") var materialCode: String
    @OptionalField(key: "file_name") var fileName: String?
    @Field(key: "content_type") var contentType: String
    @Field(key: "byte_count") var byteCount: Int
    @Field(key: "sha256") var sha256: String
    @Field(key: "data") var data: Data
    init() {}
}
