import Foundation

/// One change to a request, as mySociety's extension `GET /servicerequestupdates.{format}` lists them
/// (`<service_request_updates><request_update>…`; JSON: an array of objects).
///
/// `description` and `media_url` are always written (null/empty when absent); `extended_attributes` carries
/// CityNet's `detailed_status` (CitySDK extension) and is written only when set.
public struct Open311RequestUpdate: Equatable, Sendable, Open311ListItem {
    /// The XML list element, `<service_request_updates>`.
    public static let xmlListElement = "service_request_updates"
    /// The XML element of one item, `<request_update>`.
    public static let xmlItemElement = "request_update"

    /// `update_id`: unique id of this update.
    public var updateID: String
    /// `service_request_id`: the request it belongs to.
    public var serviceRequestID: String
    /// `status`: the request's status after this update.
    public var status: Open311Status
    /// `updated_datetime`: when the update happened.
    public var updatedDatetime: Date
    /// `description`: the text of the update, shown to the reporter.
    public var description: String?
    /// `media_url`: media attached to the update, e.g. a photo of the fixed problem.
    public var mediaURL: String?
    /// `extended_attributes`: `detailed_status` etc. after this update; `nil` leaves the element out.
    public var extendedAttributes: Open311ExtendedAttributes?

    /// Creates an update. See each property for its wire field.
    public init(
        updateID: String, serviceRequestID: String, status: Open311Status, updatedDatetime: Date,
        description: String? = nil, mediaURL: String? = nil, extendedAttributes: Open311ExtendedAttributes? = nil
    ) {
        self.updateID = updateID
        self.serviceRequestID = serviceRequestID
        self.status = status
        self.updatedDatetime = updatedDatetime
        self.description = description
        self.mediaURL = mediaURL
        self.extendedAttributes = extendedAttributes
    }

    enum CodingKeys: String, CodingKey {
        case updateID = "update_id", serviceRequestID = "service_request_id", status
        case updatedDatetime = "updated_datetime", description, mediaURL = "media_url"
        case extendedAttributes = "extended_attributes"
    }

    /// Encodes the wire fields in the spec's order; whether a list or absent value becomes XML elements or JSON
    /// arrays/nulls follows the format `Open311Encoder` is writing.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(updateID, forKey: .updateID)
        try c.encode(serviceRequestID, forKey: .serviceRequestID)
        try c.encode(status, forKey: .status)
        try c.encodeOpen311Date(updatedDatetime, forKey: .updatedDatetime)
        try c.encode(description, forKey: .description)
        try c.encode(mediaURL, forKey: .mediaURL)
        try c.encodeIfPresent(extendedAttributes, forKey: .extendedAttributes)
    }
}
