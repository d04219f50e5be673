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
    @Field(key: "role") var role: String
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

/// An Open311 client's API key. Only the SHA-256 of the key is stored.
// @unchecked Sendable: Fluent models are mutable reference types; each instance is used by one task at a time.
final class APIKey: Model, @unchecked Sendable {
    static let schema = "api_keys"
    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "key_hash") var keyHash: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "revoked") var revoked: Bool
    init() {}
}
