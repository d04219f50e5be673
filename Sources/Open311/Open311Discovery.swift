import Foundation

/// The service discovery document (Open311 "Service Discovery", `GET /discovery.{format}`, root `<discovery>`;
/// a JSON object). All fields are required by that spec.
public struct Open311Discovery: Equatable, Sendable, Open311Document {
    /// The XML root element, `<discovery>`.
    public static let xmlRootElement = "discovery"

    /// One API endpoint offered.
    public struct Endpoint: Equatable, Sendable, Encodable {
        /// Whether the endpoint's data is live (`production`) or for testing (`test`).
        public enum Kind: String, Equatable, Sendable, Encodable {
            /// Live: requests are acted upon.
            case production
            /// For trying the API; nothing is acted upon.
            case test
        }

        /// `specification`: the spec token, e.g. `Open311Info.specification`.
        public var specification: String
        /// `url`: the endpoint's base URL, e.g. `"https://citynet.example.gov.cn/open311/v2"`.
        public var url: String
        /// `changeset`: when this endpoint's services or definitions last changed (written as a W3C date-time).
        public var changeset: Date
        /// `type`: production or test.
        public var type: Kind
        /// `formats`: MIME types served; XML first, as it is required.
        public var formats: [Open311Format]

        /// Creates an endpoint entry.
        public init(
            specification: String = Open311Info.specification, url: String, changeset: Date,
            type: Kind = .production, formats: [Open311Format] = [.xml, .json]
        ) {
            self.specification = specification
            self.url = url
            self.changeset = changeset
            self.type = type
            self.formats = formats
        }

        enum CodingKeys: String, CodingKey { case specification, url, changeset, type, formats }

        /// Encodes the wire fields in the spec's order; whether a list or absent value becomes XML elements or JSON
        /// arrays/nulls follows the format `Open311Encoder` is writing.
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(specification, forKey: .specification)
            try c.encode(url, forKey: .url)
            try c.encodeOpen311Date(changeset, forKey: .changeset)
            try c.encode(type, forKey: .type)
            try c.encodeList(formats.map(\.mimeType), itemElement: "format", forKey: .formats)
        }
    }

    /// `changeset`: when this document last changed (written as a W3C date-time, which sorts as text too).
    public var changeset: Date
    /// `contact`: how to reach the people running the API.
    public var contact: String
    /// `key_service`: how to obtain an `api_key`.
    public var keyService: String
    /// `endpoints`: in XML `<endpoints><endpoint>…`, in JSON an array.
    public var endpoints: [Endpoint]

    /// Creates a discovery document.
    public init(changeset: Date, contact: String, keyService: String, endpoints: [Endpoint]) {
        self.changeset = changeset
        self.contact = contact
        self.keyService = keyService
        self.endpoints = endpoints
    }

    enum CodingKeys: String, CodingKey { case changeset, contact, keyService = "key_service", endpoints }

    /// Encodes the wire fields in the spec's order; whether a list or absent value becomes XML elements or JSON
    /// arrays/nulls follows the format `Open311Encoder` is writing.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeOpen311Date(changeset, forKey: .changeset)
        try c.encode(contact, forKey: .contact)
        try c.encode(keyService, forKey: .keyService)
        try c.encodeList(endpoints, itemElement: "endpoint", forKey: .endpoints)
    }
}

extension Open311Error: Open311ListItem {
    /// The XML list element, `<errors>`.
    public static let xmlListElement = "errors"
    /// The XML element of one item, `<error>`.
    public static let xmlItemElement = "error"

    enum CodingKeys: String, CodingKey { case code, description }

    /// Encodes the wire fields in the spec's order; whether a list or absent value becomes XML elements or JSON
    /// arrays/nulls follows the format `Open311Encoder` is writing.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(code, forKey: .code)
        try c.encode(description, forKey: .description)
    }
}
