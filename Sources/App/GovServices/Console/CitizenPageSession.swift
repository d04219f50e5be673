import Fluent
import Vapor

/// The citizens' pages sign in with the citizens' own sessions (``CitizenAccess``), carried in an HttpOnly cookie of
/// their own (a browser may hold an operator's console session beside it), with the console's CSRF scheme: a
/// double-submit token on the sign-in and registration forms, and on every other form a token derived from the
/// session secret (``ConsoleSession/csrfToken(forSession:)``).
enum CitizenPageSession {
    static let cookie = "citynet_citizen"
    static let loginCookie = "citynet_citizen_login_csrf"
    /// Where the citizens' pages live.
    static let root = "/console/citizen"
}

/// The signed-in citizen of a page, with their CSRF token and name.
struct CitizenPageUser: Authenticatable, Sendable {
    let citizenID: UUID
    let name: String
    let csrf: String
}

/// Signs citizens' page requests in from the session cookie (as ``CitizenScope``, so the API's handlers serve the
/// pages too) and requires the session's CSRF token in `_csrf` on every POST (403 otherwise). With `required`,
/// a request without a live session answers 401, which ``ConsoleResponses`` turns into the sign-in page.
struct CitizenPageAuthenticator: AsyncMiddleware {
    var required = true

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let secret = req.cookies[CitizenPageSession.cookie]?.string, !secret.isEmpty,
            let session = try await CitizenSession.query(on: req.db).filter(\.$tokenHash == Access.digest(secret))
                .first(),
            session.expiresAt > req.now,
            let citizen = try await Citizen.find(session.citizenID, on: req.db), !citizen.disabled
        else {
            if required {
                throw Abort(.unauthorized, reason: "not signed in (or the session expired): sign in again")
            }
            return try await next.respond(to: req)
        }
        let csrf = ConsoleSession.csrfToken(forSession: secret)
        if req.method == .POST {
            // The token is in the body, which routes collect after the middleware: collect it first, up to the
            // uploads an application or a completion may carry.
            _ = try await req.body.collect(max: GovSubmission.maxBodyBytes).get()
            let sent = (try? req.content.get(String.self, at: "_csrf")) ?? ""
            guard ConsoleSession.same(sent, csrf) else {
                throw Abort(
                    .forbidden, reason: "the form's security token is missing or stale; reload the page and try again")
            }
        }
        req.auth.login(CitizenScope(citizenID: session.citizenID, tokenHash: session.tokenHash))
        req.auth.login(CitizenPageUser(citizenID: session.citizenID, name: citizen.name, csrf: csrf))
        return try await next.respond(to: req)
    }
}
