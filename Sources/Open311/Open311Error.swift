/// One error as GeoReport v2 "Errors" describes it: `<errors><error><code/><description/></error></errors>` in XML,
/// `[{"code":400,"description":"…"}]` in JSON.
///
/// `code` is the HTTP status the response carries: 400 for a request that cannot be fulfilled, 403 for a missing or
/// wrong `api_key`, 404 for a resource (service code, request id, token, jurisdiction) that does not exist.
/// `description` is written for the person using the client: it names the parameter and what is wrong with it.
/// Encode a list of them with `Open311Encoder.encode(errors:format:)`.
public struct Open311Error: Error, Equatable, Hashable, Sendable {
    /// The HTTP status code this error stands for (400, 403, 404, 500…).
    public var code: Int
    /// A human-readable explanation, shown to the user; may contain any Unicode text.
    public var description: String

    /// Creates an error with an explicit code.
    /// - Parameters:
    ///   - code: the HTTP status code (also written in the body).
    ///   - description: the human-readable message.
    public init(code: Int, description: String) {
        self.code = code
        self.description = description
    }

    /// A 400 Bad Request error: a parameter is missing or malformed, or the request cannot be fulfilled.
    public static func badRequest(_ description: String) -> Open311Error { .init(code: 400, description: description) }
    /// A 403 Forbidden error: the `api_key` is missing or not valid (GeoReport v2 "Errors").
    public static func forbidden(_ description: String) -> Open311Error { .init(code: 403, description: description) }
    /// A 404 Not Found error: the service code, request id, token or jurisdiction does not exist.
    public static func notFound(_ description: String) -> Open311Error { .init(code: 404, description: description) }
}

/// Why an Open311 input (POST form or GET query) was refused by the pure parsers of this module.
///
/// The app maps `httpStatus` to the HTTP response status and encodes `errors` with
/// `Open311Encoder.encode(errors:format:)`:
/// - `missingAPIKey` → HTTP 403 (GeoReport v2: "403 - Missing or Invalid API Key"). The parsers only see that the key
///   is absent or blank; checking that a present key is valid is the app's job, which answers 403 the same way.
/// - `invalid` → HTTP 400 with every problem found, one `Open311Error` per field, in a stable order.
public enum Open311InputError: Error, Equatable, Sendable {
    /// The `api_key` form field is absent or blank.
    case missingAPIKey
    /// One or more fields are missing or malformed; never empty.
    case invalid([Open311Error])

    /// The HTTP status to answer with: 403 for `missingAPIKey`, 400 for `invalid`.
    public var httpStatus: Int {
        switch self {
        case .missingAPIKey: 403
        case .invalid: 400
        }
    }

    /// The errors to put in the `<errors>` / JSON array body.
    public var errors: [Open311Error] {
        switch self {
        case .missingAPIKey: [.forbidden("api_key is required to submit a service request")]
        case .invalid(let errors): errors
        }
    }
}
