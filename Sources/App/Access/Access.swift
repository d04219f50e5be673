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
    case roleDoesNotFitUnit(role: String, unit: String, expected: String)
    case nameTaken(String)
    case noScope
    /// A `readings` key without an area, or an area on a key without that scope.
    case readingArea

    var description: String {
        switch self {
        case .invalidUsername(let name):
            "username '\(name)' must be 3–64 characters of letters, digits, '.', '_' or '-'"
        case .weakPassword:
            "password must be at least 10 characters (not counting spaces) and at most 72 bytes (Bcrypt's limit)"
        case .usernameTaken(let name): "username '\(name)' is already taken"
        case .unknownUnit(let code): "unknown unit '\(code)' (see GET /api/v1/units)"
        case .invalidName(let name): "name '\(name)' must be 1–100 printable characters"
        case .nameTaken(let name):
            "a live API key is already named '\(name)'; names identify clients in the audit trail, choose another"
        case .noScope:
            "an API key needs at least one scope: " + APIKeyScope.allCases.map(\.rawValue).joined(separator: ", ")
        case .readingArea:
            "a readings API key needs exactly one area (--unit CODE or --region CODE), and only a readings key has one"
        case .roleDoesNotFitUnit(let role, let unit, let expected):
            "role '\(role)' does not fit unit '\(unit)': \(expected)"
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
    static func digest(_ secret: String) -> String { digest(Data(secret.utf8)) }

    /// Lower-case hex SHA-256 of `bytes` (64 characters).
    static func digest(_ bytes: Data) -> String {
        // Hand-rolled hex: String(format:) per byte is slow on Linux, and this runs on every Open311 POST.
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in SHA256.hash(data: bytes) {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Creates an operator after checking the username, password length and unit.
    /// - Parameter db: where to read and write: inside ``WriteGate/exclusive(assignsIDs:returning:)`` on a running
    ///   app (every write goes through the gate).
    /// - Throws: ``AccessError``.
    static func createOperator(
        username: String, password: String, unitCode: String, role: OperatorRole, reference: CityReference,
        on db: any Database, now: Date
    ) async throws -> Operator {
        guard isValidUsername(username) else { throw AccessError.invalidUsername(username) }
        // Bcrypt reads at most 72 bytes; a longer password would be silently truncated.
        guard password.trimmingCharacters(in: .whitespaces).count >= 10, password.utf8.count <= 72 else {
            throw AccessError.weakPassword
        }
        guard let unit = reference.units[unitCode] else { throw AccessError.unknownUnit(unitCode) }
        if let expected = roleMismatch(role, unit: unit, hierarchy: reference.hierarchy) {
            throw AccessError.roleDoesNotFitUnit(role: role.rawValue, unit: unitCode, expected: expected)
        }
        if try await Operator.query(on: db).filter(\.$username == username).first() != nil {
            throw AccessError.usernameTaken(username)
        }
        let account = Operator()
        account.username = username
        account.passwordHash = try Bcrypt.hash(password, cost: 12)
        account.unitCode = unitCode
        account.role = role
        account.createdAt = now
        account.disabled = false
        try await account.create(on: db)
        return account
    }

    /// Why `role` cannot belong to `unit`, or nil when it can: centre operators sit in the operations centre of
    /// their level (city, district, street), caseworkers in a department, grid workers in a street's centre or
    /// department, administrators in an operations centre.
    static func roleMismatch(_ role: OperatorRole, unit: CityDomain.Unit, hierarchy: RegionHierarchy) -> String? {
        let level = hierarchy[unit.regionCode]?.level
        let isCentre = unit.kind == .operationsCentre
        switch role {
        case .cityOperator:
            return isCentre && level == .city
                ? nil : "a city operator belongs to the city operations centre (310000.operations_centre)"
        case .districtOperator:
            return isCentre && level == .district ? nil : "a district operator belongs to a district operations centre"
        case .streetOperator:
            return isCentre && level == .street ? nil : "a street operator belongs to a street/town operations centre"
        case .caseworker: return isCentre ? "a caseworker belongs to a department, not an operations centre" : nil
        case .gridWorker: return level == .street ? nil : "a grid worker belongs to a street/town unit"
        case .administrator: return isCentre ? nil : "an administrator belongs to an operations centre"
        }
    }

    /// Creates an API key allowed what `scopes` name.
    /// - Parameters:
    ///   - readingArea: the sensors a key with the `readings` scope may send for; required with that scope and
    ///     refused without it.
    ///   - db: where to read and write: inside ``WriteGate/exclusive(assignsIDs:returning:)`` on a running app
    ///     (every write goes through the gate).
    /// - Returns: the stored key and its plaintext, which is shown once and never stored.
    /// - Throws: ``AccessError/noScope``, ``AccessError/readingArea``, ``AccessError/invalidName(_:)``,
    ///   ``AccessError/nameTaken(_:)``.
    static func createAPIKey(
        name: String, scopes: Set<APIKeyScope>, readingArea: ReadingArea? = nil, on db: any Database, now: Date
    ) async throws -> (APIKey, String) {
        guard !scopes.isEmpty else { throw AccessError.noScope }
        guard scopes.contains(.readings) == (readingArea != nil) else { throw AccessError.readingArea }
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard (1...100).contains(trimmed.count),
            !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw AccessError.invalidName(name)
        }
        if try await APIKey.query(on: db).filter(\.$name == trimmed).filter(\.$revoked == false).first() != nil {
            throw AccessError.nameTaken(trimmed)
        }
        let secret = newSecret()
        let key = APIKey()
        key.name = trimmed
        key.keyHash = digest(secret)
        key.createdAt = now
        key.revoked = false
        key.scopes = APIKeyScopes(scopes)
        key.readingArea = readingArea?.stored
        try await key.create(on: db)
        return (key, secret)
    }

    /// A Bcrypt hash (cost 12) of a random password, verified against for unknown usernames so that the answer
    /// takes as long as for a known one and does not tell which usernames exist.
    static let decoyHash = try! Bcrypt.hash(newSecret(), cost: 12)

    /// 3–64 letters, digits, `.`, `_` or `-`: the usernames ``createOperator(username:password:unitCode:role:reference:on:now:)`` accepts.
    static func isValidUsername(_ username: String) -> Bool {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "._-"))
        return (3...64).contains(username.count) && username.unicodeScalars.allSatisfy(allowed.contains)
    }

    /// Starts a session. Returns nil for an unknown user, a wrong password or a disabled account (the caller
    /// answers all three the same way, in the same time).
    ///
    /// Each attempt on a possible username is written down with the client's address before the password is
    /// checked, and removed only when it succeeds, so attempts sent in parallel count against each other; the
    /// limits are ``throttle(username:address:excluding:on:now:)``'s. A username no account can have is only
    /// checked against the decoy hash and never stored. Every write goes through `gate` (on SQLite a write beside
    /// the gate's makes its transactions fail with "database is locked"); Bcrypt runs outside it. A success clears
    /// the failures of this username from this address only: an attacker's elsewhere stay counted.
    /// - Parameters:
    ///   - clientAddress: the client's ``IPAddress/throttleKey`` (``Request/clientAddressKey``).
    ///   - db: the database to read from.
    ///   - gate: the app's ``WriteGate``, through which every write goes.
    /// - Throws: ``LoginThrottled`` when a limit is reached (the password is then not checked); database errors.
    static func login(
        username: String, password: String, clientAddress: String, lifetime: TimeInterval, reference: CityReference,
        on db: any Database, gate: WriteGate, now: Date, verify: (String, String) async throws -> Bool
    ) async throws -> (token: String, expiresAt: Date, account: Operator)? {
        guard isValidUsername(username) else {
            if let throttled = try await throttle(
                username: nil, address: clientAddress, excluding: nil, on: db, now: now)
            {
                throw throttled
            }
            _ = try await verify(password, decoyHash)  // the same time as for a real name
            return nil
        }
        let attempt = LoginFailure(username: username, clientAddress: clientAddress, at: now)
        // Committed before counting, so that parallel attempts see each other (also on PostgreSQL).
        try await gate.exclusive { db in try await attempt.create(on: db) }
        if let throttled = try await throttle(
            username: username, address: clientAddress, excluding: attempt.id, on: db, now: now)
        {
            // A refused attempt does not extend the wait.
            try await gate.exclusive { db in try await attempt.delete(on: db) }
            throw throttled
        }
        let account = try await Operator.query(on: db).filter(\.$username == username).first()
        let matches = try await verify(password, account?.passwordHash ?? decoyHash)
        let since = now.addingTimeInterval(-failureWindow)
        guard let account, matches, !account.disabled, reference.units[account.unitCode] != nil else {
            // Keep the table small (indexed); the attempt stays as a failure.
            try await gate.exclusive { db in try await LoginFailure.query(on: db).filter(\.$at <= since).delete() }
            return nil
        }
        let secret = newSecret()
        let session = SessionToken()
        session.tokenHash = digest(secret)
        session.operatorID = try account.requireID()
        session.createdAt = now
        session.expiresAt = now.addingTimeInterval(lifetime)
        try await gate.exclusive { [session] db in
            try await LoginFailure.query(on: db).filter(\.$username == username)
                .filter(\.$clientAddress == clientAddress).delete()
            try await SessionToken.query(on: db).filter(\.$expiresAt <= now).delete()  // keep the table small
            try await session.create(on: db)
        }
        return (secret, session.expiresAt, account)
    }

    /// The scope of the operator holding this unexpired token, or nil.
    static func scope(forToken token: String, reference: CityReference, on db: any Database, now: Date) async throws
        -> OperatorScope?
    {
        guard let session = try await SessionToken.query(on: db).filter(\.$tokenHash == digest(token)).first(),
            session.expiresAt > now,
            let account = try await Operator.find(session.operatorID, on: db), !account.disabled,
            let unit = reference.units[account.unitCode]
        else { return nil }
        return OperatorScope(
            operatorID: session.operatorID, username: account.username, role: account.role, unitCode: unit.code,
            regionCode: unit.regionCode)
    }

    /// Which of the sessions whose token hashes are `hashes` are still live: stored, unexpired at `now`, of an
    /// operator not disabled. One query, however many sessions (the live feed asks every half second).
    static func liveSessions(_ hashes: Set<String>, on db: any Database, now: Date) async throws -> Set<String> {
        guard !hashes.isEmpty else { return [] }
        let live = try await SessionToken.query(on: db)
            .join(Operator.self, on: \SessionToken.$operatorID == \Operator.$id)
            .filter(\.$tokenHash ~~ Array(hashes)).filter(\.$expiresAt > now)
            .filter(Operator.self, \.$disabled == false)
            .field(\.$tokenHash).all()
        return Set(live.map(\.tokenHash))
    }

    /// Ends a session (through `gate`, as every write).
    static func logout(token: String, gate: WriteGate) async throws {
        let hash = digest(token)
        try await gate.exclusive { db in try await SessionToken.query(on: db).filter(\.$tokenHash == hash).delete() }
    }
}

extension Request {
    /// Ends the session of `token`: deletes it (``Access/logout(token:gate:)``), then closes its live event streams
    /// on this node at once (other nodes close theirs within ``LiveFeed/interval``).
    func signOut(token: String) async throws {
        try await Access.logout(token: token, gate: application.writeGate)
        application.liveFeed.endStreams(ofSession: Access.digest(token))
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

/// Refuses requests without a live operator session with a 401 that says what to do, and the
/// `WWW-Authenticate: Bearer` header RFC 6750 §3 asks for.
struct SessionGuard: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.auth.has(OperatorScope.self) else {
            throw Self.unauthorized(
                request,
                missing:
                    "missing bearer token: log in with POST /api/v1/sessions and send Authorization: Bearer <token>")
        }
        return try await next.respond(to: request)
    }

    /// The 401 for a request without a live session: `missing` when it sent no bearer token, else "expired".
    static func unauthorized(_ request: Request, missing: String) -> Abort {
        let reason =
            request.headers.bearerAuthorization == nil
            ? missing : "invalid or expired session token: log in again with POST /api/v1/sessions"
        return Abort(.unauthorized, headers: ["WWW-Authenticate": "Bearer realm=\"citynet\""], reason: reason)
    }
}

extension Request {
    /// Signs an operator in as ``Access/login(username:password:clientAddress:lifetime:reference:on:gate:now:verify:)``
    /// does, counting failures under ``clientAddressKey``, for a session of the configured lifetime, with Bcrypt on its own thread (so a burst of sign-ins cannot starve the
    /// event loops or SQLite's thread pool). An empty username or a password over 72 bytes (Bcrypt's limit) is a
    /// failed sign-in without a check. The API's and the console's sign-in both come here.
    /// - Returns: the session, or nil for any failure (answered alike).
    /// - Throws: ``LoginThrottled``; database errors.
    func signIn(username: String, password: String) async throws -> (token: String, expiresAt: Date, account: Operator)?
    {
        guard !username.isEmpty, password.utf8.count <= 72 else { return nil }
        let pool = application.passwordPool
        return try await Access.login(
            username: username, password: password, clientAddress: clientAddressKey,
            lifetime: application.config.sessionLifetime,
            reference: reference, on: db, gate: application.writeGate, now: now,
            verify: { password, hash in try await pool.runIfActive { try Bcrypt.verify(password, created: hash) } })
    }
}
