import Vapor

/// `GET/POST /console/login`, `POST /console/logout`: the console's sign-in with the operators' accounts.
struct ConsoleLoginController {
    struct LoginPage: Encodable {
        var page: ConsolePage
        var loginCSRF: String
        var next: String
        var failed: Bool
        /// Set when sign-ins for the username are throttled: the message to show instead.
        var throttled: String?
    }

    struct LoginForm: Content {
        var username: String
        var password: String
        var _csrf: String?
        var next: String?
    }

    @Sendable func form(req: Request) async throws -> Response {
        try await render(req, failed: false, status: .ok)
    }

    @Sendable func login(req: Request) async throws -> Response {
        let form = try req.content.decode(LoginForm.self)
        guard let cookie = req.cookies[ConsoleSession.loginCookie]?.string, cookie.count >= 32, let sent = form._csrf,
            ConsoleSession.same(cookie, sent)
        else {
            throw LocalizedRefusal(.forbidden, "console.login_csrf")
        }
        let lifetime = req.application.config.sessionLifetime
        let session: (token: String, expiresAt: Date, account: Operator)?
        do {
            session = try await req.signIn(username: form.username, password: form.password)
        } catch let throttled as LoginThrottled {
            let words = ConsoleText.table(ConsoleText.language(req))
            let key = throttled.limit == .address ? "login_throttled_address" : "login_throttled"
            let message = (words[key] ?? "").replacingOccurrences(
                of: "{n}", with: String(throttled.minutes))
            let response = try await render(req, failed: true, status: .tooManyRequests, throttled: message)
            response.headers.replaceOrAdd(name: .retryAfter, value: String(throttled.retryAfter))
            return response
        }
        guard let session else { return try await render(req, failed: true, status: .unauthorized) }
        // Signing in over another session in this browser ends that one (it would otherwise live on unseen).
        if let previous = req.cookies[ConsoleSession.cookie]?.string, !previous.isEmpty {
            try await req.signOut(token: previous)
        }
        req.logger.info("operator signed in to the console", metadata: ["operator": "\(session.account.username)"])
        let next = Self.safeNext(form.next)
        let response = req.redirect(to: next, redirectType: .normal)
        response.cookies[ConsoleSession.cookie] = ConsoleSession.sessionCookie(
            session.token, maxAge: Int(lifetime), for: req)
        response.cookies[ConsoleSession.loginCookie] = ConsoleSession.sessionCookie("", maxAge: 0, for: req)
        return response
    }

    @Sendable func logout(req: Request) async throws -> Response {
        if let secret = req.cookies[ConsoleSession.cookie]?.string {
            try await req.signOut(token: secret)
        }
        let response = req.redirect(to: "/console/login", redirectType: .normal)
        response.cookies[ConsoleSession.cookie] = ConsoleSession.sessionCookie("", maxAge: 0, for: req)
        return response
    }

    /// Only console paths made of plain URL characters: a `next` pointing elsewhere (another site), or carrying
    /// anything else (a CR/LF would split the `Location` header), is ignored.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.count <= 500, next.hasPrefix("/console"),
            next.range(of: #"^/console(/[A-Za-z0-9._~%-]*)*(\?[A-Za-z0-9._~%=&+-]*)?$"#, options: .regularExpression)
                != nil
        else { return "/console" }
        return next
    }

    private func render(_ req: Request, failed: Bool, status: HTTPStatus, throttled: String? = nil) async throws
        -> Response
    {
        let token = Access.newSecret()
        let page = LoginPage(
            page: ConsolePage(req, title: "login", active: "login"), loginCSRF: token,
            next: Self.safeNext(req.query[String.self, at: "next"] ?? (try? req.content.get(String.self, at: "next"))),
            failed: failed, throttled: throttled)
        let response = try await req.view.render("console/login", page).encodeResponse(for: req)
        response.status = status
        response.cookies[ConsoleSession.loginCookie] = ConsoleSession.sessionCookie(token, maxAge: 3600, for: req)
        return response
    }
}
