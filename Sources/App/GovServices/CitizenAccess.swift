import CityDomain
import Fluent
import SQLKit
import Vapor

/// Why a citizen account could not be created (400). ``alreadyRegistered`` is for callers only: the HTTP answer to
/// it is the same as to a new account (``CitizenController``), so that registration never tells whether a number
/// has an account.
enum CitizenAccountError: Error, Equatable, CustomStringConvertible {
    case identityNumber(IdentityNumber.Problem)
    case invalidName
    case invalidPhone
    case alreadyRegistered

    var description: String {
        switch self {
        case .identityNumber(let problem): "invalid identity_number: \(problem)"
        case .invalidName: "name must be 1–50 characters, as on the identity card"
        case .invalidPhone: "phone must be a mainland mobile number of 11 digits starting with 1"
        case .alreadyRegistered: "an account with this identity number exists; sign in instead"
        }
    }
}

/// The signed-in citizen.
struct CitizenScope: Authenticatable, Sendable {
    let citizenID: UUID
    let tokenHash: String
}

/// Citizens' real-name accounts and sessions. Passwords as operators' (Bcrypt cost 12, 10–72 bytes); sign-in is by
/// identity number and counted by ``Access/throttle(username:address:excluding:on:now:)`` under
/// `citizen:<first 16 hex of the number's keyed hash>`, so the failures table never holds a number.
enum CitizenAccess {
    /// The failures-table name registration attempts are counted under (no sign-in name has this form).
    static let registrationKey = "citizen-registration"

    /// Creates an account. For a number that already has one, nothing changes and its holder is told in their
    /// outbox (`registration_attempted`); the password is hashed first either way, so both take as long.
    /// Every attempt from `clientAddress`, whatever its outcome (a new account must look like a number already
    /// registered), counts under ``registrationKey`` for ``Access/failureWindow``: at most ``Access/maxFailures``
    /// per address (and ``Access/maxFailuresPerAddress`` with failed sign-ins), never a city-wide ceiling, which
    /// anyone could fill to stop everyone registering.
    /// - Throws: ``LoginThrottled`` for `.registration` (nothing checked), ``CitizenAccountError``
    ///   (`alreadyRegistered` after the holder's notice is stored), ``AccessError/weakPassword``.
    static func register(
        name: String, identityNumber text: String, phone: String, password: String, clientAddress: String,
        vault: IdentityVault, gate: WriteGate, db: any Database, now: Date, hash: (String) async throws -> String
    ) async throws -> Citizen {
        let attempt = LoginFailure(username: registrationKey, clientAddress: clientAddress, at: now)
        try await gate.exclusive { db in try await attempt.create(on: db) }
        if var throttled = try await Access.throttle(
            username: registrationKey, address: clientAddress, excluding: attempt.id, perUsernameCeiling: false,
            on: db, now: now)
        {
            try await gate.exclusive { db in try await attempt.delete(on: db) }
            throttled.attempts = .registration
            throw throttled
        }
        let number: IdentityNumber
        do { number = try IdentityNumber(text, today: CalendarDay(containing: now)) } catch {
            throw CitizenAccountError.identityNumber(error)
        }
        let trimmedName = name.trimmingCharacters(in: .whitespaces)
        guard (1...50).contains(trimmedName.unicodeScalars.count) else { throw CitizenAccountError.invalidName }
        guard phone.count == 11, phone.first == "1", phone.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw CitizenAccountError.invalidPhone
        }
        guard password.trimmingCharacters(in: .whitespaces).count >= 10, password.utf8.count <= 72 else {
            throw AccessError.weakPassword
        }
        let lookup = vault.lookup(number)
        let passwordHash = try await hash(password)
        if let holder = try await Citizen.query(on: db).filter(\.$idHMAC == lookup).first() {
            try await tellHolder(holder, gate: gate, now: now)
            throw CitizenAccountError.alreadyRegistered
        }
        let citizen = Citizen()
        citizen.id = UUID()
        citizen.name = trimmedName
        citizen.idCipher = try vault.seal(number)
        citizen.idHMAC = lookup
        citizen.idMasked = number.masked
        citizen.phone = phone
        citizen.passwordHash = passwordHash
        citizen.createdAt = now
        citizen.disabled = false
        do {
            try await gate.exclusive { [citizen] db in try await citizen.create(on: db) }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // A registration of the same number at the same moment won.
            if let holder = try await Citizen.query(on: db).filter(\.$idHMAC == lookup).first() {
                try await tellHolder(holder, gate: gate, now: now)
            }
            throw CitizenAccountError.alreadyRegistered
        }
        return citizen
    }

    /// Tells an account's holder, through their outbox, that someone tried to register their identity number.
    static func tellHolder(_ holder: Citizen, gate: WriteGate, now: Date) async throws {
        let notice = GovNotification()
        notice.id = UUID()
        notice.citizenID = try holder.requireID()
        notice.at = now
        notice.kind = "registration_attempted"
        try await gate.exclusive { db in try await notice.create(on: db) }
    }

    /// Starts a session, or nil for an unknown number, a wrong password or a disabled account (answered alike).
    /// - Throws: ``LoginThrottled``.
    static func login(
        identityNumber text: String, password: String, clientAddress: String, lifetime: TimeInterval,
        vault: IdentityVault, gate: WriteGate, db: any Database, now: Date,
        verify: (String, String) async throws -> Bool
    ) async throws -> (token: String, expiresAt: Date, citizen: Citizen)? {
        guard let number = try? IdentityNumber(text), password.utf8.count <= 72 else {
            if let throttled = try await Access.throttle(
                username: nil, address: clientAddress, excluding: nil, on: db, now: now)
            {
                throw throttled
            }
            _ = try await verify(password, Access.decoyHash)
            return nil
        }
        let lookup = vault.lookup(number)
        let key = "citizen:" + lookup.prefix(16)
        let attempt = LoginFailure(username: key, clientAddress: clientAddress, at: now)
        try await gate.exclusive { db in try await attempt.create(on: db) }
        if let throttled = try await Access.throttle(
            username: key, address: clientAddress, excluding: attempt.id, on: db, now: now)
        {
            try await gate.exclusive { db in try await attempt.delete(on: db) }
            throw throttled
        }
        let citizen = try await Citizen.query(on: db).filter(\.$idHMAC == lookup).first()
        let matches = try await verify(password, citizen?.passwordHash ?? Access.decoyHash)
        guard let citizen, matches, !citizen.disabled else { return nil }
        let secret = Access.newSecret()
        let session = CitizenSession()
        session.id = UUID()
        session.tokenHash = Access.digest(secret)
        session.citizenID = try citizen.requireID()
        session.createdAt = now
        session.expiresAt = now.addingTimeInterval(lifetime)
        try await gate.exclusive { [session] db in
            try await LoginFailure.query(on: db).filter(\.$username == key)
                .filter(\.$clientAddress == clientAddress).delete()
            try await CitizenSession.query(on: db).filter(\.$expiresAt <= now).delete()
            try await session.create(on: db)
        }
        return (secret, session.expiresAt, citizen)
    }
}

/// Authenticates `Authorization: Bearer <token>` against citizens' sessions.
struct CitizenAuthenticator: AsyncBearerAuthenticator {
    func authenticate(bearer: BearerAuthorization, for request: Request) async throws {
        let hash = Access.digest(bearer.token)
        // One indexed join, no model reflection: every citizen request passes here.
        let row = try await request.db.sql().select()
            .column(SQLColumn("citizen_id", table: "s")).column(SQLColumn("expires_at", table: "s"))
            .from(SQLAlias(SQLIdentifier(CitizenSession.schema), as: SQLIdentifier("s")))
            .join(
                SQLAlias(SQLIdentifier(Citizen.schema), as: SQLIdentifier("c")),
                on: SQLColumn("id", table: "c"), .equal, SQLColumn("citizen_id", table: "s")
            )
            .where(SQLColumn("token_hash", table: "s"), .equal, SQLBind(hash))
            .where(SQLColumn("disabled", table: "c"), .equal, SQLBind(false))
            .first()
        guard let row, try row.decode(column: "expires_at", as: Date.self) > request.now else { return }
        let citizen = try row.decode(column: "citizen_id", as: UUID.self)
        request.auth.login(CitizenScope(citizenID: citizen, tokenHash: hash))
    }
}

/// Refuses requests without a live citizen session (401 with `WWW-Authenticate: Bearer`).
struct CitizenGuard: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.auth.has(CitizenScope.self) else {
            throw SessionGuard.unauthorized(
                request,
                missing:
                    "missing bearer token: sign in with POST /api/v1/citizen-sessions and send Authorization: Bearer <token>"
            )
        }
        return try await next.respond(to: request)
    }
}

extension CitizenAccountError: AbortError {
    /// 409 only for a caller that answers ``alreadyRegistered`` itself; `POST /api/v1/citizens` never does.
    var status: HTTPResponseStatus { self == .alreadyRegistered ? .conflict : .badRequest }
    var reason: String { description }
}

extension Request {
    /// Writes one line of the citizen's data-access log.
    func logAccess(citizen: UUID, action: String, target: String?, allowed: Bool) async throws {
        let entry = accessEntry(citizen: citizen, action: action, target: target, allowed: allowed)
        try await application.writeGate.exclusive { db in try await entry.create(on: db) }
    }

    /// One line of the citizen's data-access log, not yet written.
    func accessEntry(citizen: UUID, action: String, target: String?, allowed: Bool) -> GovAccessEntry {
        let entry = GovAccessEntry()
        entry.id = UUID()
        entry.citizenID = citizen
        entry.at = now
        entry.action = action
        entry.target = target
        entry.outcome = allowed ? "allowed" : "refused"
        entry.clientAddress = clientAddressKey
        return entry
    }
}
