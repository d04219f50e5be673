/// The answer to POST requests (GeoReport v2 "POST Service Request" response, `<service_requests><request>…`;
/// JSON: an array with one object).
///
/// Exactly one of `service_request_id` (realtime services) or `token` (batch services) is written, never both;
/// neither for blackbox services. `service_notice` and `account_id` are always written, `null`/empty when absent,
/// as in the spec's example.
public struct Open311RequestCreated: Equatable, Sendable, Open311ListItem {
    /// The XML list element, `<service_requests>`.
    public static let xmlListElement = "service_requests"
    /// The XML element of one item, `<request>`.
    public static let xmlItemElement = "request"

    /// How the new request can be looked up.
    public enum Identifier: Equatable, Sendable {
        /// `service_request_id`: the request exists and has this id.
        case serviceRequestID(String)
        /// `token`: the id will be known later through `GET /tokens/{token}`.
        case token(String)
    }

    /// The id or token; `nil` for a blackbox service (neither is written).
    public var identifier: Identifier?
    /// `service_notice`: what happens next, e.g. `"已受理，将在2个工作日内处置"`.
    public var serviceNotice: String?
    /// `account_id`: the submitter's account id, echoed back.
    public var accountID: String?

    /// Creates a response for a realtime service.
    public init(serviceRequestID: String, serviceNotice: String? = nil, accountID: String? = nil) {
        self.init(identifier: .serviceRequestID(serviceRequestID), serviceNotice: serviceNotice, accountID: accountID)
    }

    /// Creates a response for a batch service (`token`) or, with `nil`, a blackbox one.
    public init(identifier: Identifier?, serviceNotice: String? = nil, accountID: String? = nil) {
        self.identifier = identifier
        self.serviceNotice = serviceNotice
        self.accountID = accountID
    }

    enum CodingKeys: String, CodingKey {
        case serviceRequestID = "service_request_id", token, serviceNotice = "service_notice"
        case accountID = "account_id"
    }

    /// Encodes the wire fields in the spec's order; whether a list or absent value becomes XML elements or JSON
    /// arrays/nulls follows the format `Open311Encoder` is writing.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch identifier {
        case .serviceRequestID(let id): try c.encode(id, forKey: .serviceRequestID)
        case .token(let token): try c.encode(token, forKey: .token)
        case nil: break
        }
        try c.encode(serviceNotice, forKey: .serviceNotice)
        try c.encode(accountID, forKey: .accountID)
    }
}

/// The answer to `GET /tokens/{token}.{format}` (GeoReport v2 "GET service_request_id from a token",
/// `<service_requests><request><service_request_id/><token/></request></service_requests>`).
public struct Open311Token: Equatable, Sendable, Open311ListItem {
    /// The XML list element, `<service_requests>`.
    public static let xmlListElement = "service_requests"
    /// The XML element of one item, `<request>`.
    public static let xmlItemElement = "request"

    /// `service_request_id`: the id the token resolved to; `nil` (null/empty) while not yet assigned.
    public var serviceRequestID: String?
    /// `token`: the token asked about.
    public var token: String

    /// Creates a token answer.
    public init(token: String, serviceRequestID: String?) {
        self.token = token
        self.serviceRequestID = serviceRequestID
    }

    enum CodingKeys: String, CodingKey { case serviceRequestID = "service_request_id", token }

    /// Encodes the wire fields in the spec's order; whether a list or absent value becomes XML elements or JSON
    /// arrays/nulls follows the format `Open311Encoder` is writing.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(serviceRequestID, forKey: .serviceRequestID)
        try c.encode(token, forKey: .token)
    }
}
