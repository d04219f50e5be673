import CityDomain
import Fluent
import Foundation

/// A person who works cases: belongs to one unit and holds one role.
// @unchecked Sendable: Fluent models are mutable reference types; each instance is used by one task at a time.
final class Operator: Model, @unchecked Sendable {
    static let schema = "operators"
    @ID(key: .id) var id: UUID?
    @Field(key: "username") var username: String
    /// Bcrypt hash (cost 12) of the password; the password itself is never stored.
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "unit_code") var unitCode: String
    @Field(key: "role") var role: OperatorRole
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "disabled") var disabled: Bool
    init() {}
}

/// An operator's login session. Only the SHA-256 of the bearer token is stored.
// @unchecked Sendable: Fluent models are mutable reference types; each instance is used by one task at a time.
final class SessionToken: Model, @unchecked Sendable {
    static let schema = "session_tokens"
    @ID(key: .id) var id: UUID?
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "operator_id") var operatorID: UUID
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    init() {}
}

/// What an API key may be used for.
enum APIKeyScope: String, Codable, CaseIterable, Sendable {
    /// Submitting Open311 GeoReport v2 service requests (`POST /open311/v2/requests`).
    case open311
    /// Sending 12345 hotline calls (`/api/v1/hotline/reports`): the hotline gateway only, as these carry callers'
    /// names and phone numbers.
    case hotline
    /// Sending sensor readings (`POST /api/v1/readings`, `/api/v1/readings/batch`) for the sensors of the key's
    /// ``ReadingArea`` only (a gateway of one unit's or one region's sensors).
    case readings
    /// Sending facts for personal statuses from a government register (`POST /api/v1/status-facts/gov_register`).
    case factsGovRegister = "facts_gov_register"
    /// Sending a mobile carrier's presence facts (`POST /api/v1/status-facts/carrier`).
    case factsCarrier = "facts_carrier"
    /// Sending a transit operator's trip facts (`POST /api/v1/status-facts/transit`).
    case factsTransit = "facts_transit"

    /// Scopes from their comma-separated form (stored, or given to `apikey create --scope`).
    /// - Returns: the scopes named, and the words that name none.
    static func parse(_ text: String) -> (scopes: Set<APIKeyScope>, unknown: [String]) {
        let words = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return (Set(words.compactMap(APIKeyScope.init(rawValue:))), words.filter { APIKeyScope(rawValue: $0) == nil })
    }

    /// The stored form: raw values in declaration order, comma-separated.
    static func format(_ scopes: Set<APIKeyScope>) -> String {
        allCases.filter(scopes.contains).map(\.rawValue).joined(separator: ",")
    }
}

/// An API key of an Open311 client or the 12345 gateway. Only the SHA-256 of the key is stored.
// @unchecked Sendable: Fluent models are mutable reference types; each instance is used by one task at a time.
final class APIKey: Model, @unchecked Sendable {
    static let schema = "api_keys"
    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "key_hash") var keyHash: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "revoked") var revoked: Bool
    /// What the key may be used for; stored comma-separated (`open311`, `hotline` or `open311,hotline`).
    @Field(key: "scopes") var scopes: APIKeyScopes
    /// For a `readings` key, the sensors it may send for (``ReadingArea``, `unit:CODE` or `region:CODE`).
    @OptionalField(key: "reading_area") var readingArea: String?
    init() {}
}

/// A set of ``APIKeyScope``s, stored as one string: raw values in declaration order, comma-separated (the
/// `api_keys.scopes` column). Words that name no scope are ignored when reading, as a key's unknown scope grants
/// nothing.
struct APIKeyScopes: Codable, Hashable, Sendable, ExpressibleByArrayLiteral {
    /// The scopes.
    var scopes: Set<APIKeyScope>

    init(_ scopes: Set<APIKeyScope>) { self.scopes = scopes }
    init(arrayLiteral elements: APIKeyScope...) { scopes = Set(elements) }

    /// Whether the set holds `scope`.
    func contains(_ scope: APIKeyScope) -> Bool { scopes.contains(scope) }

    /// The stored form, e.g. `open311,hotline`.
    var stored: String { APIKeyScope.format(scopes) }

    init(from decoder: any Decoder) throws {
        scopes = APIKeyScope.parse(try decoder.singleValueContainer().decode(String.self)).scopes
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(stored)
    }
}
