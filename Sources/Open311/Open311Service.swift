/// One service type offered for reporting (GeoReport v2 "GET Service List", `<services><service>…`).
///
/// Swift properties are camelCase; on the wire each is the spec's snake_case field named in its doc comment.
/// Absent optional fields are written as `null` (JSON) or an empty element (XML), as the spec's examples do.
public struct Open311Service: Equatable, Sendable, Open311ListItem {
    /// The XML list element, `<services>`.
    public static let xmlListElement = "services"
    /// The XML element of one item, `<service>`.
    public static let xmlItemElement = "service"

    /// How a submitted request is identified (GeoReport v2 `type`).
    public enum ServiceType: String, Sendable, Equatable, Encodable, CaseIterable {
        /// The service_request_id is returned at once.
        case realtime
        /// A token is returned; `GET /tokens/{token}` gives the id later.
        case batch
        /// No id is returned.
        case blackbox
    }

    /// `service_code`: unique identifier of the service type, e.g. `"fire_lane_blocked"`.
    public var serviceCode: String
    /// `service_name`: human-readable name, e.g. `"消防通道堵塞"`.
    public var serviceName: String
    /// `description`: a brief description of the service type.
    public var description: String?
    /// `metadata`: `true` when the service has attributes to fetch with `GET /services/{service_code}`.
    public var metadata: Bool
    /// `type`: realtime, batch or blackbox.
    public var type: ServiceType
    /// `keywords`: tags and synonyms; written as one comma-separated string (`"占道, 消防"`), null when empty.
    public var keywords: [String]
    /// `group`: the category the service belongs to, e.g. `"城市管理"`.
    public var group: String?

    /// Creates a service entry. See each property for its wire field.
    public init(
        serviceCode: String, serviceName: String, description: String? = nil, metadata: Bool = false,
        type: ServiceType = .realtime, keywords: [String] = [], group: String? = nil
    ) {
        self.serviceCode = serviceCode
        self.serviceName = serviceName
        self.description = description
        self.metadata = metadata
        self.type = type
        self.keywords = keywords
        self.group = group
    }

    enum CodingKeys: String, CodingKey {
        case serviceCode = "service_code", serviceName = "service_name", description, metadata, type, keywords, group
    }

    /// Encodes the wire fields in the spec's order; whether a list or absent value becomes XML elements or JSON
    /// arrays/nulls follows the format `Open311Encoder` is writing.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(serviceCode, forKey: .serviceCode)
        try c.encode(serviceName, forKey: .serviceName)
        try c.encode(description, forKey: .description)
        try c.encode(metadata, forKey: .metadata)
        try c.encode(type, forKey: .type)
        try c.encode(keywords.isEmpty ? nil : keywords.joined(separator: ", "), forKey: .keywords)
        try c.encode(group, forKey: .group)
    }
}
