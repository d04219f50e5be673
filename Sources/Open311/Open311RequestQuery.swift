import Foundation

/// The filters of `GET /requests.{format}` (GeoReport v2 "GET Service Requests"), read from the query string
/// without touching storage or HTTP.
///
/// Parameters:
/// - `service_request_id`: comma-separated ids (at most `limit`). When given it overrides all other arguments, as
///   the spec says: `window` is nil, `serviceCodes` and `statuses` are empty, and the other parameters are not
///   checked.
/// - `service_code`: comma-separated codes; none = all.
/// - `status`: comma-separated `open`/`closed` (case-insensitive); none = both.
/// - `start_date`, `end_date`: see `Open311DateWindow` (default: the last 90 days; at most 90 days).
/// - `limit` (CityNet extension): at most this many requests, newest first is the app's order; 1…1000, default
///   1000 (the spec's "first 1000 requests").
/// - `extensions` (Chicago/CitySDK convention): `true` to include `extended_attributes`; default false.
/// - `jurisdiction_id`: kept for the app to check.
/// Each malformed parameter gives one 400 `Open311Error` naming it; all are reported together.
public struct Open311RequestQuery: Equatable, Sendable {
    /// The most requests one call returns, and the default `limit`.
    public static let maximumLimit = 1000

    /// `jurisdiction_id` as sent.
    public var jurisdictionID: String?
    /// `service_request_id` list; when non-empty, fetch exactly these (other filters are empty/nil).
    public var serviceRequestIDs: [String]
    /// `service_code` list; empty = all services.
    public var serviceCodes: [String]
    /// `status` list, sorted and without repeats; empty = all statuses.
    public var statuses: [Open311Status]
    /// The `requested_datetime` window; nil when `serviceRequestIDs` is given.
    public var window: Open311DateWindow?
    /// `limit`: how many requests at most, 1…1000.
    public var limit: Int
    /// `extensions=true`: include `extended_attributes`.
    public var includeExtensions: Bool

    /// Creates a query directly (tests, internal callers).
    public init(
        jurisdictionID: String? = nil, serviceRequestIDs: [String] = [], serviceCodes: [String] = [],
        statuses: [Open311Status] = [], window: Open311DateWindow?, limit: Int = maximumLimit,
        includeExtensions: Bool = false
    ) {
        self.jurisdictionID = jurisdictionID
        self.serviceRequestIDs = serviceRequestIDs
        self.serviceCodes = serviceCodes
        self.statuses = statuses
        self.window = window
        self.limit = limit
        self.includeExtensions = includeExtensions
    }

    /// Reads the query parameters of a GET requests call.
    ///
    /// - Parameters:
    ///   - query: parameter name → value, percent-decoded. (An unencoded `+` in an offset arrives as a space; that
    ///     is accepted.)
    ///   - now: the current instant, for the default window.
    /// - Throws: `Open311InputError.invalid` (→ 400) with one error per malformed parameter.
    public init(query: [String: String], now: Date) throws(Open311InputError) {
        var errors: [Open311Error] = []
        let jurisdiction = query["jurisdiction_id"]?.trimmed
        jurisdictionID = jurisdiction?.isEmpty == false ? jurisdiction : nil
        includeExtensions = Self.flag(query["extensions"], name: "extensions", errors: &errors)
        limit = Open311QueryParameters.limit(query["limit"], maximum: Self.maximumLimit, errors: &errors)

        let ids = Open311QueryParameters.list(query["service_request_id"])
        if !ids.isEmpty {
            serviceRequestIDs = ids
            serviceCodes = []
            statuses = []
            window = nil
            if ids.count > limit {
                errors.append(
                    .badRequest("service_request_id lists \(ids.count) ids; at most \(limit) can be asked at once"))
            }
            if !errors.isEmpty { throw .invalid(errors) }
            return
        }
        serviceRequestIDs = []
        serviceCodes = Open311QueryParameters.list(query["service_code"])

        var statuses: Set<Open311Status> = []
        for item in Open311QueryParameters.list(query["status"]) {
            if let status = Open311Status(rawValue: item.lowercased()) {
                statuses.insert(status)
            } else {
                errors.append(.badRequest("status must be open or closed (or both, comma-separated), got \"\(item)\""))
            }
        }
        self.statuses = statuses.sorted()
        window = Open311DateWindow.parse(
            startDate: query["start_date"], endDate: query["end_date"], now: now, errors: &errors)
        if !errors.isEmpty { throw .invalid(errors) }
    }

    /// Reads a boolean flag: `true`/`1` or `false`/`0` (case-insensitive), blank = false.
    static func flag(_ text: String?, name: String, errors: inout [Open311Error]) -> Bool {
        switch text?.trimmed.lowercased() {
        case nil, "", "false", "0": return false
        case "true", "1": return true
        default:
            errors.append(.badRequest("\(name) must be true or false, got \"\(text!)\""))
            return false
        }
    }
}

/// The filters of mySociety's `GET /servicerequestupdates.{format}`: `start_date`, `end_date` (same rules and
/// defaults as GET requests, see `Open311DateWindow`), `jurisdiction_id`, and CityNet's `limit` (1…1000,
/// default 1000). The mySociety extension takes no `service_code`, `status` or `service_request_id`; they are
/// ignored if sent.
public struct Open311UpdatesQuery: Equatable, Sendable {
    /// `jurisdiction_id` as sent.
    public var jurisdictionID: String?
    /// The `updated_datetime` window of the updates to list.
    public var window: Open311DateWindow
    /// `limit`: how many updates at most, 1…1000.
    public var limit: Int

    /// Creates a query directly.
    public init(jurisdictionID: String? = nil, window: Open311DateWindow, limit: Int = 1000) {
        self.jurisdictionID = jurisdictionID
        self.window = window
        self.limit = limit
    }

    /// Reads the query parameters of a GET servicerequestupdates call.
    ///
    /// - Parameters:
    ///   - query: parameter name → value, percent-decoded.
    ///   - now: the current instant, for the default window (the last 90 days).
    /// - Throws: `Open311InputError.invalid` (→ 400) with one error per malformed parameter.
    public init(query: [String: String], now: Date) throws(Open311InputError) {
        var errors: [Open311Error] = []
        let jurisdiction = query["jurisdiction_id"]?.trimmed
        jurisdictionID = jurisdiction?.isEmpty == false ? jurisdiction : nil
        limit = Open311QueryParameters.limit(
            query["limit"], maximum: Open311RequestQuery.maximumLimit, errors: &errors)
        let window = Open311DateWindow.parse(
            startDate: query["start_date"], endDate: query["end_date"], now: now, errors: &errors)
        guard let window, errors.isEmpty else { throw .invalid(errors) }
        self.window = window
    }
}
