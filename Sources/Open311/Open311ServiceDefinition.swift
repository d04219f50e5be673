/// The attributes (extra form fields) of one service type (GeoReport v2 "GET Service Definition",
/// `GET /services/{service_code}.{format}`, root `<service_definition>`; a JSON object).
public struct Open311ServiceDefinition: Equatable, Sendable, Open311Document {
    /// The XML root element, `<service_definition>`.
    public static let xmlRootElement = "service_definition"

    /// `service_code`: the service these attributes belong to.
    public var serviceCode: String
    /// `attributes`: in XML `<attributes><attribute>…</attribute></attributes>`, in JSON an array. Sorted by the
    /// caller; `order` tells clients the display order.
    public var attributes: [Open311ServiceAttribute]

    /// Creates a definition.
    public init(serviceCode: String, attributes: [Open311ServiceAttribute]) {
        self.serviceCode = serviceCode
        self.attributes = attributes
    }

    enum CodingKeys: String, CodingKey { case serviceCode = "service_code", attributes }

    /// Encodes the wire fields in the spec's order; whether a list or absent value becomes XML elements or JSON
    /// arrays/nulls follows the format `Open311Encoder` is writing.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(serviceCode, forKey: .serviceCode)
        try c.encodeList(attributes, itemElement: "attribute", forKey: .attributes)
    }
}

/// One attribute of a service definition (GeoReport v2 "GET Service Definition", `<attribute>`).
public struct Open311ServiceAttribute: Equatable, Sendable, Encodable {
    /// The kind of input an attribute takes (GeoReport v2 `datatype`).
    public enum Datatype: String, Sendable, Equatable, Encodable, CaseIterable {
        /// One line of text.
        case string
        /// A decimal number.
        case number
        /// A W3C date-time (see `Open311DateFormat`).
        case datetime
        /// Text that may contain line breaks.
        case text
        /// Exactly one of `values`' keys.
        case singlevaluelist
        /// Any number of `values`' keys (`attribute[code][]=a&attribute[code][]=b`).
        case multivaluelist
    }

    /// One choice of a list attribute (`<value><key/><name/></value>`).
    public struct Value: Equatable, Sendable, Encodable {
        /// `key`: what the client submits.
        public var key: String
        /// `name`: what the user sees.
        public var name: String
        /// Creates a choice.
        public init(key: String, name: String) {
            self.key = key
            self.name = name
        }
    }

    /// `variable`: `true` when the user provides a value; `false` when the attribute only shows `description`.
    public var variable: Bool
    /// `code`: unique identifier, submitted as `attribute[code]`.
    public var code: String
    /// `datatype`: the input kind.
    public var datatype: Datatype
    /// `required`: whether a value must be submitted.
    public var required: Bool
    /// `datatype_description`: help on the expected input, e.g. `"车牌号，如 沪A12345"`.
    public var datatypeDescription: String?
    /// `order`: display order, 1 first.
    public var order: Int?
    /// `description`: the question or instruction shown to the user.
    public var description: String?
    /// `values`: the choices of a list attribute; left out when empty (other datatypes).
    public var values: [Value]

    /// Creates an attribute. See each property for its wire field.
    public init(
        variable: Bool = true, code: String, datatype: Datatype, required: Bool, datatypeDescription: String? = nil,
        order: Int? = nil, description: String? = nil, values: [Value] = []
    ) {
        self.variable = variable
        self.code = code
        self.datatype = datatype
        self.required = required
        self.datatypeDescription = datatypeDescription
        self.order = order
        self.description = description
        self.values = values
    }

    enum CodingKeys: String, CodingKey {
        case variable, code, datatype, required, datatypeDescription = "datatype_description", order, description
        case values
    }

    /// Encodes the wire fields in the spec's order; whether a list or absent value becomes XML elements or JSON
    /// arrays/nulls follows the format `Open311Encoder` is writing.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(variable, forKey: .variable)
        try c.encode(code, forKey: .code)
        try c.encode(datatype, forKey: .datatype)
        try c.encode(required, forKey: .required)
        try c.encode(datatypeDescription, forKey: .datatypeDescription)
        try c.encode(order, forKey: .order)
        try c.encode(description, forKey: .description)
        if !values.isEmpty { try c.encodeList(values, itemElement: "value", forKey: .values) }
    }
}
