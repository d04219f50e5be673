import Fluent
import Foundation
import Vapor

/// Too many failed sign-ins inside ``Access/failureWindow``: refused without checking the password (429,
/// `Retry-After` in seconds).
struct LoginThrottled: AbortError, Equatable {
    /// Which count was full.
    enum Limit: Sendable, Equatable {
        /// ``Access/maxFailures`` for this username from this client address.
        case usernameFromAddress
        /// ``Access/maxFailuresPerAddress`` from this client address, whatever the usernames.
        case address
        /// ``Access/maxFailuresPerUsername`` for this username, whatever the addresses.
        case username
    }

    /// What was counted: failed sign-ins, or citizens' registration attempts (``CitizenAccess/registrationKey``).
    enum Attempts: Sendable, Equatable {
        case signIn, registration
    }

    /// Seconds until enough counted failures leave the window for one more attempt to be allowed.
    let retryAfter: Int
    let limit: Limit
    var attempts: Attempts = .signIn
    /// ``retryAfter`` in whole minutes, rounded up (at least 1), for people.
    var minutes: Int { max(1, (retryAfter + 59) / 60) }
    var status: HTTPResponseStatus { .tooManyRequests }
    var reason: String {
        switch (attempts, limit) {
        case (.registration, .usernameFromAddress), (.registration, .username):
            "too many registration attempts from this address; try again in \(minutes) minute(s)"
        case (.registration, .address):
            "too many failed sign-ins and registration attempts from this address; try again in \(minutes) minute(s)"
        case (.signIn, .usernameFromAddress), (.signIn, .username):
            "too many failed sign-ins for this username; try again in \(minutes) minute(s)"
        case (.signIn, .address): "too many failed sign-ins from this address; try again in \(minutes) minute(s)"
        }
    }
    var headers: HTTPHeaders { ["Retry-After": String(retryAfter)] }
}

extension Access {
    /// Failed sign-ins allowed per username from one client address inside ``failureWindow``; the next attempt
    /// from that address is refused until the oldest leaves the window. NIST SP 800-63B §5.2.2 asks for rate
    /// limiting (at most 100 consecutive failures per account); 10 in 15 minutes is our choice: ample for typing
    /// mistakes, too few for guessing. Counted per address as well as per username, so that someone elsewhere
    /// cannot lock an operator out (OWASP Authentication Cheat Sheet, "Account Lockout": lock-out must not become
    /// a denial of service).
    static let maxFailures = 10
    /// Failed sign-ins allowed from one client address inside ``failureWindow``, whatever the usernames: one address
    /// trying many usernames (password spraying, OWASP Credential Stuffing Prevention Cheat Sheet) is throttled
    /// after three usernames' worth, while a centre behind one NAT address keeps room for its operators' typos.
    static let maxFailuresPerAddress = 30
    /// Failed sign-ins allowed for one username inside ``failureWindow``, whatever the addresses: NIST SP 800-63B
    /// §5.2.2's ceiling of 100 per account, against guessing spread over many addresses. Reaching it takes
    /// ``maxFailures`` from each of ten addresses (IPv6: ten /64 networks, see ``IPAddress/throttleKey``).
    static let maxFailuresPerUsername = 100
    /// How long a failed sign-in counts, in seconds (15 minutes).
    static let failureWindow: TimeInterval = 15 * 60

    /// The throttle an attempt of `username` from `address` runs into, counting the failures inside
    /// ``failureWindow`` other than `attempt` (the attempt's own row); nil when it may be checked.
    /// - Parameters:
    ///   - username: nil for a name no account can have (never stored): only the address is counted.
    ///   - address: the client's ``IPAddress/throttleKey`` (``Request/clientAddressKey``).
    ///   - perUsernameCeiling: false where `username` is shared by everyone (registration's key), so that
    ///     ``maxFailuresPerUsername`` would stop every address at once.
    /// - Returns: the limit reached with the longest wait, or nil.
    static func throttle(
        username: String?, address: String, excluding attempt: UUID?, perUsernameCeiling: Bool = true,
        on db: any Database, now: Date
    ) async throws -> LoginThrottled? {
        let since = now.addingTimeInterval(-failureWindow)
        /// The wait until fewer than `limit` failures of `query` are inside the window, or nil below the limit.
        func wait(_ query: QueryBuilder<LoginFailure>, limit: Int) async throws -> Int? {
            if let attempt { query.filter(\.$id != attempt) }
            let recent = try await query.filter(\.$at > since).sort(\.$at, .descending).limit(limit).all()
            guard recent.count >= limit, let oldest = recent.last else { return nil }
            return max(1, Int((oldest.at.timeIntervalSince(now) + failureWindow).rounded(.up)))
        }
        var reached: [(Int, LoginThrottled.Limit)] = []
        if let username {
            let pair = LoginFailure.query(on: db).filter(\.$username == username).filter(\.$clientAddress == address)
            if let seconds = try await wait(pair, limit: maxFailures) {
                reached.append((seconds, .usernameFromAddress))
            }
            let anywhere = LoginFailure.query(on: db).filter(\.$username == username)
            if perUsernameCeiling, let seconds = try await wait(anywhere, limit: maxFailuresPerUsername) {
                reached.append((seconds, .username))
            }
        }
        let fromAddress = LoginFailure.query(on: db).filter(\.$clientAddress == address)
        if let seconds = try await wait(fromAddress, limit: maxFailuresPerAddress) {
            reached.append((seconds, .address))
        }
        return reached.max { $0.0 < $1.0 }.map { LoginThrottled(retryAfter: $0.0, limit: $0.1) }
    }
}
