import CityDomain
import Fluent
import Vapor

/// `GET/POST /console/citizen/login`, `GET/POST /console/citizen/register`, `POST /console/citizen/logout`: the
/// citizens' sign-in and registration pages over ``CitizenAccess`` (the same rules, throttling and log as the API).
struct CitizenAccountPages {
    struct FormPage: Encodable {
        var page: ConsolePage
        var loginCSRF: String
        var next: String
        /// The refusal to show, in the page's language.
        var problem: String?
        /// A notice to show (registration received), in the page's language.
        var notice: String?
        /// What the citizen typed (never the password or the identity number), to fill the form again.
        var name: String
        var phone: String
    }

    struct SignInForm: Content {
        var identityNumber: String
        var password: String
        var _csrf: String?
        var next: String?

        enum CodingKeys: String, CodingKey {
            case password, _csrf, next
            case identityNumber = "identity_number"
        }
    }

    struct RegisterForm: Content {
        var name: String
        var identityNumber: String
        var phone: String
        var password: String
        var _csrf: String?

        enum CodingKeys: String, CodingKey {
            case name, phone, password, _csrf
            case identityNumber = "identity_number"
        }
    }

    @Sendable func loginForm(req: Request) async throws -> Response {
        try await render(req, template: "gov/citizen-login", title: "sign_in", status: .ok)
    }

    @Sendable func registerForm(req: Request) async throws -> Response {
        try await render(req, template: "gov/citizen-register", title: "register", status: .ok)
    }

    @Sendable func login(req: Request) async throws -> Response {
        let form = try req.decodeBody(SignInForm.self)
        try checkFormToken(req, form._csrf)
        let pool = req.application.passwordPool
        let session: (token: String, expiresAt: Date, citizen: Citizen)?
        do {
            session = try await CitizenAccess.login(
                identityNumber: form.identityNumber, password: form.password, clientAddress: req.clientAddressKey,
                lifetime: req.application.config.sessionLifetime, vault: req.govServices.vault,
                gate: req.application.writeGate, db: req.db, now: req.now,
                verify: { password, hash in try await pool.runIfActive { try Bcrypt.verify(password, created: hash) } })
        } catch let throttled as LoginThrottled {
            let key = throttled.limit == .address ? "login_throttled_address" : "login_throttled"
            let message = (ConsoleText.table(req.pageLanguage)[key] ?? "")
                .replacingOccurrences(of: "{n}", with: String(throttled.minutes))
            let response = try await render(
                req, template: "gov/citizen-login", title: "sign_in", status: .tooManyRequests, problem: message)
            response.headers.replaceOrAdd(name: .retryAfter, value: String(throttled.retryAfter))
            return response
        }
        guard let session else {
            return try await render(
                req, template: "gov/citizen-login", title: "sign_in", status: .unauthorized,
                problem: GovConsoleText.word("sign_in_failed", req.pageLanguage))
        }
        try await req.logAccess(citizen: session.citizen.requireID(), action: "sign_in", target: nil, allowed: true)
        return try await signedIn(req, token: session.token, next: form.next)
    }

    @Sendable func register(req: Request) async throws -> Response {
        let form = try req.decodeBody(RegisterForm.self)
        try checkFormToken(req, form._csrf)
        let pool = req.application.passwordPool
        let vault = req.govServices.vault
        do {
            do {
                _ = try await CitizenAccess.register(
                    name: form.name, identityNumber: form.identityNumber, phone: form.phone, password: form.password,
                    clientAddress: req.clientAddressKey, vault: vault, gate: req.application.writeGate,
                    db: req.db, now: req.now,
                    hash: { password in try await pool.runIfActive { try Bcrypt.hash(password, cost: 12) } })
            } catch CitizenAccountError.alreadyRegistered {
                // Answered exactly as a new account (as the API's 202): the page never tells whether a number
                // has an account; its holder was told in their notifications.
            }
            return try await render(
                req, template: "gov/citizen-login", title: "sign_in", status: .ok,
                notice: GovConsoleText.word("registration_received", req.pageLanguage))
        } catch let throttled as LoginThrottled {
            let message = GovConsoleText.word("register_throttled", req.pageLanguage)
                .replacingOccurrences(of: "{n}", with: String(throttled.minutes))
            let response = try await render(
                req, template: "gov/citizen-register", title: "register", status: .tooManyRequests, problem: message,
                name: form.name, phone: form.phone)
            response.headers.replaceOrAdd(name: .retryAfter, value: String(throttled.retryAfter))
            return response
        } catch {
            guard let message = GovConsoleErrors.message(error, item: nil, req.pageLanguage) else { throw error }
            let status = (error as? any AbortError)?.status ?? .badRequest
            return try await render(
                req, template: "gov/citizen-register", title: "register", status: status, problem: message,
                name: form.name, phone: form.phone)
        }
    }

    @Sendable func logout(req: Request) async throws -> Response {
        if let scope = req.auth.get(CitizenScope.self) {
            try await req.application.writeGate.exclusive { db in
                try await CitizenSession.query(on: db).filter(\.$tokenHash == scope.tokenHash).delete()
            }
        }
        let response = req.redirect(to: CitizenPageSession.root + "/login", redirectType: .normal)
        response.cookies[CitizenPageSession.cookie] = ConsoleSession.sessionCookie("", maxAge: 0, for: req)
        return response
    }

    private func checkFormToken(_ req: Request, _ sent: String?) throws {
        guard let cookie = req.cookies[CitizenPageSession.loginCookie]?.string, cookie.count >= 32, let sent,
            ConsoleSession.same(cookie, sent)
        else { throw Abort(.forbidden, reason: "the form's security token is missing or stale; reload the page") }
    }

    private func signedIn(_ req: Request, token: String, next: String?) async throws -> Response {
        if let previous = req.cookies[CitizenPageSession.cookie]?.string, !previous.isEmpty {
            let hash = Access.digest(previous)
            try await req.application.writeGate.exclusive { db in
                try await CitizenSession.query(on: db).filter(\.$tokenHash == hash).delete()
            }
        }
        let target = ConsoleLoginController.safeNext(next)
        let response = req.redirect(
            to: target.hasPrefix(CitizenPageSession.root) ? target : CitizenPageSession.root, redirectType: .normal)
        response.cookies[CitizenPageSession.cookie] = ConsoleSession.sessionCookie(
            token, maxAge: Int(req.application.config.sessionLifetime), for: req)
        response.cookies[CitizenPageSession.loginCookie] = ConsoleSession.sessionCookie("", maxAge: 0, for: req)
        return response
    }

    private func render(
        _ req: Request, template: String, title: String, status: HTTPStatus, problem: String? = nil,
        notice: String? = nil, name: String = "", phone: String = ""
    ) async throws -> Response {
        let token = Access.newSecret()
        let next = req.query[String.self, at: "next"] ?? (try? req.content.get(String.self, at: "next"))
        let page = FormPage(
            page: .gov(req, title: title, active: title), loginCSRF: token, next: ConsoleLoginController.safeNext(next),
            problem: problem, notice: notice, name: name, phone: phone)
        let response = try await req.view.render(template, page).encodeResponse(for: req)
        response.status = status
        response.cookies[CitizenPageSession.loginCookie] = ConsoleSession.sessionCookie(token, maxAge: 3600, for: req)
        return response
    }
}
