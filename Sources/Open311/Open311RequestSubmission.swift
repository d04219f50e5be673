import Foundation

/// A citizen's report as posted to `POST /requests.{format}` (GeoReport v2 "POST Service Request"), read and checked
/// without touching storage or HTTP.
///
/// The checks, each answered with a 400 `Open311Error` that names the field (all problems are reported together):
/// - `service_code` is required.
/// - A location is required: `lat` and `long` together, or `address_string`, or `address_id`.
/// - `lat`/`long`: sent both or neither; plain decimal degrees (WGS84), `lat` in −90…90, `long` in −180…180.
/// - `description`: at most 4,000 characters (counted as Unicode code points, as JSON Schema's `maxLength` does).
/// - `email` must look like `name@domain`; `phone` may hold only digits, spaces and `+-()`, with 3 to 20 digits;
///   `media_url` must be an absolute http(s) URL.
/// - `attribute[CODE]` / `attribute[CODE][]` field names must be well formed.
/// - A field other than `attribute[…][]` sent twice with different values.
///
/// A missing or blank `api_key` is `Open311InputError.missingAPIKey` (HTTP 403), checked before anything else. The
/// key's validity, `jurisdiction_id` and whether `service_code` exists are the app's checks (403, 404, and 400:
/// an unknown code in a submitted form is bad input, while `GET services/{code}` answers 404).
/// Values are trimmed of surrounding whitespace; per the spec's "Optional Arguments", a field that is then empty
/// counts as not sent. Unknown fields are ignored.
public struct Open311RequestSubmission: Equatable, Sendable {
    /// A point in WGS84 decimal degrees.
    public struct Coordinate: Equatable, Sendable {
        /// Latitude, −90…90.
        public var lat: Double
        /// Longitude, −180…180.
        public var long: Double
        /// Creates a coordinate (not range-checked; the parser checks).
        public init(lat: Double, long: Double) {
            self.lat = lat
            self.long = long
        }
    }

    /// The spec's limit on `description`, in characters.
    public static let maximumDescriptionLength = 4000

    /// `api_key`: the client's key, unverified.
    public var apiKey: String
    /// `jurisdiction_id`: as sent, for the app to check.
    public var jurisdictionID: String?
    /// `service_code`: the service type reported.
    public var serviceCode: String
    /// `lat` and `long`.
    public var coordinate: Coordinate?
    /// `address_string`: the address as the reporter typed it.
    public var addressString: String?
    /// `address_id`: an id in the city's address register.
    public var addressID: String?
    /// `attribute[CODE]` values by CODE, in the order sent; several for a multivaluelist.
    public var attributes: [String: [String]]
    /// `email` of the reporter.
    public var email: String?
    /// `device_id` of the reporter's device.
    public var deviceID: String?
    /// `account_id` of the reporter.
    public var accountID: String?
    /// `first_name` of the reporter.
    public var firstName: String?
    /// `last_name` of the reporter.
    public var lastName: String?
    /// `phone` of the reporter, as sent.
    public var phone: String?
    /// `description` of the problem, at most 4,000 characters; line breaks kept.
    public var description: String?
    /// `media_url`: an absolute http(s) URL.
    public var mediaURL: String?

    /// Parses the fields of a form whose names are unique (a web framework's `[String: String]` form decoding).
    ///
    /// - Parameter form: field name → value, already percent-decoded.
    /// - Throws: `Open311InputError.missingAPIKey` (→ 403) or `.invalid` with every problem found (→ 400).
    public init(form: [String: String]) throws(Open311InputError) {
        try self.init(formPairs: form.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    /// Parses the fields of a form in order, repeated names kept (see `Open311Form.pairs(fromURLEncoded:)`).
    ///
    /// - Parameter formPairs: name/value pairs, already percent-decoded.
    /// - Throws: `Open311InputError.missingAPIKey` (→ 403) or `.invalid` with every problem found (→ 400).
    public init(formPairs: [(name: String, value: String)]) throws(Open311InputError) {
        var errors: [Open311Error] = []
        var scalars: [String: String] = [:]
        var attributes: [String: [String]] = [:]
        var reportedDuplicates: Set<String> = []

        for (name, rawValue) in formPairs {
            if name.hasPrefix("attribute[") {
                guard let (code, isList) = Self.attributeCode(fromFieldName: name) else {
                    errors.append(
                        .badRequest(
                            "form field \"\(name)\" is not of the form attribute[CODE] or attribute[CODE][]"))
                    continue
                }
                let value = rawValue.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !value.isEmpty else { continue }
                if !isList, attributes[code] != nil, attributes[code] != [value] {
                    if reportedDuplicates.insert(name).inserted {
                        errors.append(
                            .badRequest("\(name) was sent more than once; use \(name)[] for several values"))
                    }
                    continue
                }
                if !isList, attributes[code] == [value] { continue }
                attributes[code, default: []].append(value)
                continue
            }
            let value = rawValue.trimmingCharacters(in: .whitespacesAndNewlines)
            if value.isEmpty { continue }
            if let earlier = scalars[name], earlier != value {
                if reportedDuplicates.insert(name).inserted {
                    errors.append(.badRequest("\(name) was sent more than once with different values; send it once"))
                }
                continue
            }
            scalars[name] = value
        }

        guard let apiKey = scalars["api_key"] else { throw .missingAPIKey }
        self.apiKey = apiKey
        self.jurisdictionID = scalars["jurisdiction_id"]
        self.attributes = attributes
        self.addressString = scalars["address_string"]
        self.addressID = scalars["address_id"]
        self.deviceID = scalars["device_id"]
        self.accountID = scalars["account_id"]
        self.firstName = scalars["first_name"]
        self.lastName = scalars["last_name"]

        if let code = scalars["service_code"] {
            self.serviceCode = code
        } else {
            self.serviceCode = ""
            errors.append(.badRequest("service_code is required: the code of a service from GET /services"))
        }

        // Location: lat & long, or address_string, or address_id.
        let lat = scalars["lat"].map { Self.degrees($0, field: "lat", limit: 90, errors: &errors) }
        let long = scalars["long"].map { Self.degrees($0, field: "long", limit: 180, errors: &errors) }
        switch (lat, long) {
        case (let la??, let lo??): self.coordinate = Coordinate(lat: la, long: lo)
        case (.some, nil):
            self.coordinate = nil
            errors.append(.badRequest("lat was sent without long; send both lat and long, or neither"))
        case (nil, .some):
            self.coordinate = nil
            errors.append(.badRequest("long was sent without lat; send both lat and long, or neither"))
        default: self.coordinate = nil
        }
        if lat == nil, long == nil, addressString == nil, addressID == nil {
            errors.append(
                .badRequest("a location is required: send lat and long, or address_string, or address_id"))
        }

        self.description = scalars["description"]
        if let description {
            let length = description.unicodeScalars.count
            if length > Self.maximumDescriptionLength {
                errors.append(
                    .badRequest(
                        "description is \(length) characters long; the limit is \(Self.maximumDescriptionLength)"))
            }
        }

        self.email = scalars["email"]
        if let email, !Self.looksLikeEmail(email) {
            errors.append(.badRequest("email must be an address such as name@example.com, got \"\(email)\""))
        }

        self.phone = scalars["phone"]
        if let phone {
            let allowed = Set("0123456789+-() ")
            let digits = phone.filter(\.isASCII).filter(\.isNumber).count
            if !phone.allSatisfy(allowed.contains) || !(3...20).contains(digits) {
                errors.append(
                    .badRequest(
                        "phone may contain only digits, spaces and + - ( ), with 3 to 20 digits, got \"\(phone)\""))
            }
        }

        self.mediaURL = scalars["media_url"]
        if let mediaURL, !Self.isAbsoluteHTTPURL(mediaURL) {
            errors.append(.badRequest("media_url must be an absolute http or https URL, got \"\(mediaURL)\""))
        }

        if !errors.isEmpty { throw .invalid(errors) }
    }

    /// `attribute[CODE]` → (CODE, false); `attribute[CODE][]` → (CODE, true); anything else → nil.
    static func attributeCode(fromFieldName name: String) -> (String, Bool)? {
        var rest = name.dropFirst("attribute[".count)
        var isList = false
        if rest.hasSuffix("][]") {
            rest = rest.dropLast(3)
            isList = true
        } else if rest.hasSuffix("]") {
            rest = rest.dropLast()
        } else {
            return nil
        }
        guard !rest.isEmpty, !rest.contains("["), !rest.contains("]") else { return nil }
        return (String(rest), isList)
    }

    /// Reads decimal degrees; on failure records an error and returns `.some(nil)` ("sent but unusable").
    static func degrees(_ text: String, field: String, limit: Double, errors: inout [Open311Error]) -> Double? {
        guard let value = plainDecimal(text) else {
            errors.append(.badRequest("\(field) must be a decimal number in degrees (WGS84), got \"\(text)\""))
            return nil
        }
        guard abs(value) <= limit else {
            errors.append(
                .badRequest(
                    "\(field) must be between -\(Int(limit)) and \(Int(limit)) degrees, got \"\(text)\""))
            return nil
        }
        return value
    }

    /// Accepts `-12`, `31.2304`, `+121.47`, `.5`; refuses exponents, hex, `nan`, `inf` and thousands separators.
    static func plainDecimal(_ text: String) -> Double? {
        var body = Substring(text)
        if body.first == "+" || body.first == "-" { body = body.dropFirst() }
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let digitsOnly = { (s: Substring) in s.allSatisfy { $0.isASCII && $0.isNumber } }
        guard !body.isEmpty, parts.allSatisfy(digitsOnly), parts.contains(where: { !$0.isEmpty }) else { return nil }
        return Double(text)
    }

    static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
            !parts[1].hasSuffix("."), !text.contains(where: \.isWhitespace)
        else { return false }
        return true
    }

    static func isAbsoluteHTTPURL(_ text: String) -> Bool {
        guard !text.contains(where: \.isWhitespace), let url = URL(string: text),
            let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty
        else { return false }
        return true
    }
}

extension Open311RequestSubmission {
    /// Checks the submitted `attribute[CODE]` values against the service's definition (GeoReport v2 "GET Service
    /// Definition": `required`, `datatype`, `values`).
    ///
    /// - Parameter definition: the definition of `serviceCode`.
    /// - Returns: one 400 error per problem, in the definition's order, then unknown codes sorted; empty when all
    ///   is well. Problems: a required variable attribute without a value; an unknown code; several values for a
    ///   non-multivaluelist attribute; a value that is not one of `values`' keys; a `number` that is not a plain
    ///   decimal; a `datetime` that is not a W3C date-time; a line break in a `string`.
    public func attributeErrors(against definition: Open311ServiceDefinition) -> [Open311Error] {
        var errors: [Open311Error] = []
        let byOrder = definition.attributes.sorted { ($0.order ?? Int.max, $0.code) < ($1.order ?? Int.max, $1.code) }
        for attribute in byOrder {
            let field = "attribute[\(attribute.code)]"
            let values = attributes[attribute.code] ?? []
            if values.isEmpty {
                if attribute.required && attribute.variable {
                    errors.append(.badRequest("\(field) is required for service \(definition.serviceCode)"))
                }
                continue
            }
            if values.count > 1 && attribute.datatype != .multivaluelist {
                errors.append(.badRequest("\(field) takes one value, got \(values.count)"))
                continue
            }
            for value in values {
                switch attribute.datatype {
                case .singlevaluelist, .multivaluelist:
                    if !attribute.values.contains(where: { $0.key == value }) {
                        let keys = attribute.values.map(\.key).joined(separator: ", ")
                        errors.append(.badRequest("\(field) must be one of \(keys), got \"\(value)\""))
                    }
                case .number:
                    if Self.plainDecimal(value) == nil {
                        errors.append(.badRequest("\(field) must be a decimal number, got \"\(value)\""))
                    }
                case .datetime:
                    if case .failure = Result(catching: { () throws(Open311DateFormat.ParseFailure) in
                        try Open311DateFormat.parse(value)
                    }) {
                        errors.append(
                            .badRequest(
                                "\(field) must be a date-time such as 2026-11-01T08:00:00+08:00, got \"\(value)\""))
                    }
                case .string:
                    if value.contains(where: \.isNewline) {
                        errors.append(.badRequest("\(field) must be a single line of text"))
                    }
                case .text:
                    break
                }
            }
        }
        let known = Set(definition.attributes.map(\.code))
        for code in attributes.keys.sorted() where !known.contains(code) {
            errors.append(.badRequest("attribute[\(code)] is not an attribute of service \(definition.serviceCode)"))
        }
        return errors
    }
}
