import Foundation

/// The two statuses of GeoReport v2. CityNet's finer case states go in `Open311ExtendedAttributes.detailedStatus`.
public enum Open311Status: String, Sendable, Equatable, Hashable, Encodable, CaseIterable, Comparable {
    /// Reported and not yet resolved.
    case open
    /// Resolved (or otherwise finished).
    case closed

    /// Orders by name (`closed` < `open`), so status lists print in a stable order.
    public static func < (a: Open311Status, b: Open311Status) -> Bool { a.rawValue < b.rawValue }
}

/// CityNet's extension block `extended_attributes` on a request or an update, after CitySDK's `detailed_status`
/// extension and the `extended_attributes` convention of Chicago, Boston and San Francisco (GeoReport v2
/// Extensions page). Fields that are `nil` are left out of the block.
public struct Open311ExtendedAttributes: Equatable, Sendable, Encodable {
    /// `detailed_status`: the case's workflow state in CityNet's English term, e.g. `"handling"`, `"verifying"`.
    public var detailedStatus: String
    /// `detailed_status_zh`: the same state in Chinese, e.g. `"处置中"`.
    public var detailedStatusZh: String?
    /// `case_id`: the CityNet case this report was merged into (several requests may share one case).
    public var caseID: String?
    /// `region_code`: the official code of the district or street the case is located in, e.g. `"310101"`.
    public var regionCode: String?
    /// `region_name`: that region's name, e.g. `"黄浦区"`.
    public var regionName: String?

    /// Creates an extension block.
    public init(
        detailedStatus: String, detailedStatusZh: String? = nil, caseID: String? = nil, regionCode: String? = nil,
        regionName: String? = nil
    ) {
        self.detailedStatus = detailedStatus
        self.detailedStatusZh = detailedStatusZh
        self.caseID = caseID
        self.regionCode = regionCode
        self.regionName = regionName
    }

    enum CodingKeys: String, CodingKey {
        case detailedStatus = "detailed_status", detailedStatusZh = "detailed_status_zh", caseID = "case_id"
        case regionCode = "region_code", regionName = "region_name"
    }

    /// Encodes the wire fields in the spec's order; whether a list or absent value becomes XML elements or JSON
    /// arrays/nulls follows the format `Open311Encoder` is writing.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(detailedStatus, forKey: .detailedStatus)
        try c.encodeIfPresent(detailedStatusZh, forKey: .detailedStatusZh)
        try c.encodeIfPresent(caseID, forKey: .caseID)
        try c.encodeIfPresent(regionCode, forKey: .regionCode)
        try c.encodeIfPresent(regionName, forKey: .regionName)
    }
}

/// A service request as GET requests returns it (GeoReport v2 "GET Service Requests" and "GET Service Request",
/// `<service_requests><request>…`; JSON: an array of objects).
///
/// Every standard field is always written, as in the spec's examples: absent ones as `null` (JSON) or an empty
/// element (XML). `extended_attributes` is written only when set (clients opt in with `extensions=true`).
public struct Open311ServiceRequest: Equatable, Sendable, Open311ListItem {
    /// The XML list element, `<service_requests>`.
    public static let xmlListElement = "service_requests"
    /// The XML element of one item, `<request>`.
    public static let xmlItemElement = "request"

    /// `service_request_id`: the request's public id (a string, not necessarily numeric).
    public var serviceRequestID: String
    /// `status`: open or closed.
    public var status: Open311Status
    /// `status_notes`: why the status is what it is, e.g. `"已派遣至黄浦区城管执法局"`.
    public var statusNotes: String?
    /// `service_name`: the service type's human-readable name.
    public var serviceName: String?
    /// `service_code`: the service type's code.
    public var serviceCode: String
    /// `description`: the reporter's text (at most 4,000 characters).
    public var description: String?
    /// `agency_responsible`: the unit handling the request.
    public var agencyResponsible: String?
    /// `service_notice`: what the city will do, e.g. the promised time limit.
    public var serviceNotice: String?
    /// `requested_datetime`: when the request was made.
    public var requestedDatetime: Date
    /// `updated_datetime`: last change; for closed requests, when it was closed.
    public var updatedDatetime: Date?
    /// `expected_datetime`: when it should be fulfilled (the case's due time).
    public var expectedDatetime: Date?
    /// `address`: human-readable location, most specific first.
    public var address: String?
    /// `address_id`: id in the city's address register.
    public var addressID: String?
    /// `zipcode`: postal code, e.g. `"200001"`.
    public var zipcode: String?
    /// `lat`: latitude in decimal degrees, WGS84.
    public var lat: Double?
    /// `long`: longitude in decimal degrees, WGS84.
    public var long: Double?
    /// `media_url`: URL of a photo or other media.
    public var mediaURL: String?
    /// `extended_attributes`: CityNet's extension block; `nil` leaves the element out.
    public var extendedAttributes: Open311ExtendedAttributes?

    /// Creates a request. See each property for its wire field.
    public init(
        serviceRequestID: String, status: Open311Status, statusNotes: String? = nil, serviceName: String? = nil,
        serviceCode: String, description: String? = nil, agencyResponsible: String? = nil,
        serviceNotice: String? = nil, requestedDatetime: Date, updatedDatetime: Date? = nil,
        expectedDatetime: Date? = nil, address: String? = nil, addressID: String? = nil, zipcode: String? = nil,
        lat: Double? = nil, long: Double? = nil, mediaURL: String? = nil,
        extendedAttributes: Open311ExtendedAttributes? = nil
    ) {
        self.serviceRequestID = serviceRequestID
        self.status = status
        self.statusNotes = statusNotes
        self.serviceName = serviceName
        self.serviceCode = serviceCode
        self.description = description
        self.agencyResponsible = agencyResponsible
        self.serviceNotice = serviceNotice
        self.requestedDatetime = requestedDatetime
        self.updatedDatetime = updatedDatetime
        self.expectedDatetime = expectedDatetime
        self.address = address
        self.addressID = addressID
        self.zipcode = zipcode
        self.lat = lat
        self.long = long
        self.mediaURL = mediaURL
        self.extendedAttributes = extendedAttributes
    }

    enum CodingKeys: String, CodingKey {
        case serviceRequestID = "service_request_id", status, statusNotes = "status_notes"
        case serviceName = "service_name", serviceCode = "service_code", description
        case agencyResponsible = "agency_responsible", serviceNotice = "service_notice"
        case requestedDatetime = "requested_datetime", updatedDatetime = "updated_datetime"
        case expectedDatetime = "expected_datetime", address, addressID = "address_id", zipcode, lat, long
        case mediaURL = "media_url", extendedAttributes = "extended_attributes"
    }

    /// Encodes the wire fields in the spec's order; whether a list or absent value becomes XML elements or JSON
    /// arrays/nulls follows the format `Open311Encoder` is writing.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(serviceRequestID, forKey: .serviceRequestID)
        try c.encode(status, forKey: .status)
        try c.encode(statusNotes, forKey: .statusNotes)
        try c.encode(serviceName, forKey: .serviceName)
        try c.encode(serviceCode, forKey: .serviceCode)
        try c.encode(description, forKey: .description)
        try c.encode(agencyResponsible, forKey: .agencyResponsible)
        try c.encode(serviceNotice, forKey: .serviceNotice)
        try c.encodeOpen311Date(requestedDatetime, forKey: .requestedDatetime)
        try c.encodeOpen311Date(updatedDatetime, forKey: .updatedDatetime)
        try c.encodeOpen311Date(expectedDatetime, forKey: .expectedDatetime)
        try c.encode(address, forKey: .address)
        try c.encode(addressID, forKey: .addressID)
        try c.encode(zipcode, forKey: .zipcode)
        try c.encodeDegrees(lat, forKey: .lat)
        try c.encodeDegrees(long, forKey: .long)
        try c.encode(mediaURL, forKey: .mediaURL)
        try c.encodeIfPresent(extendedAttributes, forKey: .extendedAttributes)
    }
}
