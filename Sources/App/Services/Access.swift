import CityDomain
import Fluent
import Vapor

/// Why an account or key operation was refused.
enum AccessError: Error, Equatable, CustomStringConvertible {
    case invalidUsername(String)
    case weakPassword
    case usernameTaken(String)
    case unknownUnit(String)
    case invalidName(String)

    var description: String {
        switch self {
        case .invalidUsername(let name):
            "username '\(name)' must be 3–64 characters of letters, digits, '.', '_' or '-'"
        case .weakPassword: "password must be at least 10 characters and at most 72 bytes (Bcrypt's limit)"
        case .usernameTaken(let name): "username '\(name)' is already taken"
        case .unknownUnit(let code): "unknown unit '\(code)' (see GET /api/v1/units)"
        case .invalidName(let name): "name '\(name)' must be 1–100 printable characters"
        }
    }
}

/// Operator accounts, sessions and Open311 API keys. Passwords are hashed with Bcrypt (cost 12); session tokens
/// and API keys are 256-bit random secrets of which only the SHA-256 is stored.
enum Access {
    /// A new random secret: 32 bytes from the system's CSPRNG, base64url without padding (43 characters).
    static func newSecret() -> String {
        let bytes = [UInt8].random(count: 32)
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Lower-case hex SHA-256 of `secret`'s UTF-8 bytes.
    static func digest(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Creates an operator after checking the username, password length and unit.
    /// - Throws: ``AccessError``.
    static func createOperator(
        username: String, password: String, unitCode: String, role: OperatorRole, reference: CityReference,
        on db: any Database, now: Date
    ) async throws -> Operator {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "._-"))
        guard (3...64).contains(username.count), username.unicodeScalars.allSatisfy(allowed.contains) else {
            throw AccessError.invalidUsername(username)
        }
        // Bcrypt reads at most 72 bytes; a longer password would be silently truncated.
        guard password.count >= 10, password.utf8.count <= 72 else { throw AccessError.weakPassword }
        guard reference.units[unitCode] != nil else { throw AccessError.unknownUnit(unitCode) }
        if try await Operator.query(on: db).filter(\.$username == username).first() != nil {
            throw AccessError.usernameTaken(username)
        }
        let account = Operator()
        account.username = username
        account.passwordHash = try Bcrypt.hash(password, cost: 12)
        account.unitCode = unitCode
        account.role = role.rawValue
        account.createdAt = now
        account.disabled = false
        try await account.create(on: db)
        return account
    }

    /// Creates an Open311 API key.
    /// - Returns: the stored key and its plaintext, which is shown once and never stored.
    static func createAPIKey(name: String, on db: any Database, now: Date) async throws -> (APIKey, String) {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard (1...100).contains(trimmed.count), !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw AccessError.invalidName(name)
        }
        let secret = newSecret()
        let key = APIKey()
        key.name = trimmed
        key.keyHash = digest(secret)
        key.createdAt = now
        key.revoked = false
        try await key.create(on: db)
        return (key, secret)
    }

    /// A Bcrypt hash (cost 12) of a random password, verified against for unknown usernames so that the answer
    /// takes as long as for a known one and does not tell which usernames exist.
    static let decoyHash = try! Bcrypt.hash(newSecret(), cost: 12)

    /// Starts a session. Returns nil for an unknown user, a wrong password or a disabled account (the caller
    /// answers all three the same way, in the same time).
    static func login(
        username: String, password: String, lifetime: TimeInterval, reference: CityReference, on db: any Database,
        now: Date, verify: (String, String) async throws -> Bool
    ) async throws -> (token: String, expiresAt: Date, account: Operator)? {
        let account = try await Operator.query(on: db).filter(\.$username == username).first()
        let matches = try await verify(password, account?.passwordHash ?? decoyHash)
        guard let account, matches, !account.disabled, reference.units[account.unitCode] != nil else { return nil }
        try await SessionToken.query(on: db).filter(\.$expiresAt <= now).delete()  // keep the table small
        let secret = newSecret()
        let session = SessionToken()
        session.tokenHash = digest(secret)
        session.operatorID = try account.requireID()
        session.createdAt = now
        session.expiresAt = now.addingTimeInterval(lifetime)
        try await session.create(on: db)
        return (secret, session.expiresAt, account)
    }

    /// The scope of the operator holding this unexpired token, or nil.
    static func scope(forToken token: String, reference: CityReference, on db: any Database, now: Date) async throws
        -> OperatorScope?
    {
        guard let session = try await SessionToken.query(on: db).filter(\.$tokenHash == digest(token)).first(),
            session.expiresAt > now,
            let account = try await Operator.find(session.operatorID, on: db), !account.disabled,
            let role = OperatorRole(rawValue: account.role), let unit = reference.units[account.unitCode]
        else { return nil }
        return OperatorScope(
            operatorID: session.operatorID, username: account.username, role: role, unitCode: unit.code,
            regionCode: unit.regionCode)
    }

    /// Ends a session.
    static func logout(token: String, on db: any Database) async throws {
        try await SessionToken.query(on: db).filter(\.$tokenHash == digest(token)).delete()
    }
}

/// Authenticates `Authorization: Bearer <token>` against stored sessions.
struct OperatorAuthenticator: AsyncBearerAuthenticator {
    func authenticate(bearer: BearerAuthorization, for request: Request) async throws {
        if let scope = try await Access.scope(
            forToken: bearer.token, reference: request.reference, on: request.db, now: request.now)
        {
            request.auth.login(scope)
        }
    }
}
