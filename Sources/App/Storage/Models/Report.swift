import Fluent
import Foundation

/// One raw signal (an Open311 request, a hotline call, a sensor alarm), kept forever as evidence and attached to
/// the case it became or merged into.
// @unchecked Sendable: Fluent models are mutable reference types; each instance is used by one task at a time.
final class Report: Model, @unchecked Sendable {
    static let schema = "reports"

    @ID(custom: .id, generatedBy: .database) var id: Int?
    @Field(key: "received_at") var receivedAt: Date

    @Field(key: "source") var source: ReportSource
    @OptionalField(key: "service_code") var serviceCode: String?
    @OptionalField(key: "description") var description: String?
    @OptionalField(key: "address") var address: String?
    @OptionalField(key: "address_id") var addressID: String?
    @OptionalField(key: "latitude") var latitude: Double?
    @OptionalField(key: "longitude") var longitude: Double?
    @OptionalField(key: "region_code") var regionCode: String?
    @OptionalField(key: "reporter_email") var reporterEmail: String?
    @OptionalField(key: "reporter_phone") var reporterPhone: String?
    @OptionalField(key: "reporter_name") var reporterName: String?
    @OptionalField(key: "device_id") var deviceID: String?
    @OptionalField(key: "account_id") var accountID: String?
    @OptionalField(key: "media_url") var mediaURL: String?
    /// Open311 `attribute[...]` answers as a JSON object text.
    @OptionalField(key: "attributes") var attributes: String?
    @OptionalField(key: "api_key_id") var apiKeyID: UUID?
    @OptionalField(key: "case_id") var caseID: Int?
    /// Hotline only: the channel the call came through (``HotlineChannel``).
    @OptionalField(key: "channel") var channel: HotlineChannel?
    /// Hotline only: where the report is in triage (``HotlineTriageState``).
    @OptionalField(key: "triage_state") var triageState: HotlineTriageState?
    /// Hotline only: the triage result as JSON (``HotlineTriageRecord``).
    @OptionalField(key: "triage") var triage: String?
    /// Hotline only: the category code the triage record names (the classifier's suggestion while queued), for the
    /// triage desk's grouping and counts (``HotlineTriageRecord/categoryCode``).
    @OptionalField(key: "triage_category") var triageCategory: String?
    /// Hotline only: the classifier's theme and the rules' confidence in the fine category.
    @OptionalField(key: "theme") var theme: String?
    @OptionalField(key: "confidence") var confidence: Double?
    /// Hotline only: who took the call in (`12345:<API key name>` or an operator's username).
    @OptionalField(key: "taken_by") var takenBy: String?
    /// Hotline only: the operator who categorised or dismissed it in the triage queue.
    @OptionalField(key: "triaged_by") var triagedBy: String?

    init() {}
}

/// Where a report came from (stored in `reports.source`).
enum ReportSource: String, Codable, CaseIterable, Sendable {
    case open311, hotline, api, sensor
    /// A bad 好差评 rating of a government-service application (issue #13 §4).
    case govRating = "gov_rating"
    /// A camera detection (城市之眼) confirmed as an incident (issue 11 §4).
    case camera
    /// A citizen's appeal of their personal status (issue #16 §1).
    case statusAppeal = "status_appeal"
}
