import Vapor

/// The console's sign-in: the same session tokens as the API (``Access``), carried in an HttpOnly cookie, and a
/// CSRF token on every form (OWASP "synchronizer token": derived from the session secret, which scripts cannot
/// read, so another site cannot forge it).
enum ConsoleSession {
    static let cookie = "citynet_session"
    /// The pre-login CSRF cookie (double submit: the login form repeats it).
    static let loginCookie = "citynet_login_csrf"
    static let languageCookie = "citynet_lang"
    /// A one-time message for the next page (`ok:` or `error:` + text), set by our own redirects only, so nobody
    /// can put words in the console's message box with a crafted link.
    static let flashCookie = "citynet_flash"

    /// Names the browser's shared live stream after a session: 16 hex characters of SHA-256 of `live:` + the CSRF
    /// token (not secret; pages carry it, and the event stream says it first so that tabs of an ended session see
    /// that another has taken the cookie).
    static func liveKey(csrf: String) -> String { String(Access.digest("live:" + csrf).prefix(16)) }

    /// The CSRF token of a session: hex SHA-256 of `csrf:` + the session secret.
    static func csrfToken(forSession secret: String) -> String { Access.digest("csrf:\(secret)") }

    /// A session cookie: HttpOnly, SameSite=Strict, `Secure` when the request came over HTTPS (directly or through
    /// a proxy that says so), scoped to `/console`, living as long as the session.
    static func sessionCookie(_ value: String, maxAge: Int, for req: Request) -> HTTPCookies.Value {
        HTTPCookies.Value(
            string: value,
            expires: maxAge > 0 ? Date().addingTimeInterval(TimeInterval(maxAge)) : Date(timeIntervalSince1970: 0),
            maxAge: maxAge, path: "/console", isSecure: isHTTPS(req), isHTTPOnly: true, sameSite: .strict)
    }

    static func isHTTPS(_ req: Request) -> Bool {
        req.url.scheme == "https" || req.headers.first(name: "X-Forwarded-Proto")?.lowercased() == "https"
            || req.application.config.publicURL?.hasPrefix("https://") == true
    }

    /// Compares two tokens in time independent of where they differ.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// The console page's operator, with the secret their CSRF token comes from.
struct ConsoleUser: Authenticatable, Sendable {
    let scope: OperatorScope
    let csrf: String
}

/// Signs console requests in from the session cookie; pages without one redirect to the login page, and every
/// POST must carry the session's CSRF token in `_csrf` (403 otherwise).
struct ConsoleAuthenticator: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let secret = req.cookies[ConsoleSession.cookie]?.string, !secret.isEmpty,
            let scope = try await Access.scope(forToken: secret, reference: req.reference, on: req.db, now: req.now)
        else {
            // Pages go to the login page; the event stream and the counts (read by scripts) answer 401.
            if req.method == .GET, !req.url.path.hasPrefix("/console/events"), req.url.path != "/console/summary" {
                let next = req.url.path + (req.url.query.map { "?\($0)" } ?? "")
                return req.redirect(
                    to: "/console/login?next=\(next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
                )
            }
            throw LocalizedRefusal(.unauthorized, "console.signed_out")
        }
        let csrf = ConsoleSession.csrfToken(forSession: secret)
        if req.method == .POST {
            // Routes collect their bodies after the middleware; the token is in the body, so collect it first
            // (up to the photos a case action may carry; 64 KiB for every other form).
            let limit = req.url.path.hasSuffix("/actions") ? CaseActionInput.bodyLimit.value : 64 * 1024
            _ = try await req.body.collect(max: limit).get()
            let sent: String
            do { sent = try req.content.get(String.self, at: "_csrf") } catch let refused as InputText.Refused {
                throw refused  // a character no input may hold: a 400 naming the field, not a stale token
            } catch { sent = "" }
            guard ConsoleSession.same(sent, csrf) else {
                throw LocalizedRefusal(.forbidden, "console.csrf")
            }
        }
        req.auth.login(scope)
        req.auth.login(ConsoleUser(scope: scope, csrf: csrf))
        return try await next.respond(to: req)
    }
}
