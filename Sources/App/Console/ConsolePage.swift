import Vapor

/// What every console page shows around its content: the words of the chosen language, the operator, the CSRF
/// token for its forms, the page title and the active menu entry.
struct ConsolePage: Encodable {
    var t: [String: String]
    var lang: String
    var otherLang: String
    /// The current address with `lang` switched to the other language (other query parameters kept).
    var otherLangURL: String
    var title: String
    var active: String
    var username: String?
    var unitName: String?
    var csrf: String?
    /// Names the browser's shared live stream after the session (not secret: a digest of the CSRF token), so that
    /// tabs of another sign-in in the same browser never read this session's events.
    var liveKey: String?
    var flash: String?
    var error: String?
    /// Whether the triage desk is open to this operator (operations centres and administrators).
    var canTriage: Bool
    /// Whether the operator's home is "my tasks" (grid workers, ``TaskListController``) instead of the city screen.
    var tasksHome: Bool

    /// - Parameters: `title` is a key of ``ConsoleText``.
    init(_ req: Request, title: String, active: String) {
        let language = ConsoleText.language(req)
        let words = ConsoleText.table(language)
        t = words
        lang = language == .zh ? "zh-CN" : "en"
        otherLang = language == .zh ? "en" : "zh"
        var components = URLComponents()
        components.path = req.url.path
        components.queryItems =
            (URLComponents(string: req.url.string)?.queryItems ?? []).filter { $0.name != "lang" }
            + [URLQueryItem(name: "lang", value: otherLang)]
        otherLangURL = components.string ?? "?lang=\(otherLang)"
        self.title = words[title] ?? title
        self.active = active
        let user = req.auth.get(ConsoleUser.self)
        username = user?.scope.username
        unitName = user.map { req.reference.unitName($0.scope.unitCode, in: language) }
        csrf = user?.csrf
        liveKey = user.map { ConsoleSession.liveKey(csrf: $0.csrf) }
        canTriage = user?.scope.worksForACentre ?? false
        tasksHome = user.map { TaskListController.landsOnTasks($0.scope) } ?? false
        let message = req.cookies[ConsoleSession.flashCookie]?.string.removingPercentEncoding ?? ""
        flash = message.hasPrefix("ok:") ? String(message.dropFirst(3).prefix(200)) : nil
        error = message.hasPrefix("error:") ? String(message.dropFirst(6).prefix(300)) : nil
    }
}

extension Request {
    /// Redirects (303, so the browser GETs) to `path` with a one-time message for the next page, carried in a cookie.
    func consoleRedirect(_ path: String, ok: String? = nil, error: String? = nil) -> Response {
        let response = redirect(to: path, redirectType: .normal)
        let message = ok.map { "ok:" + $0 } ?? error.map { "error:" + $0 }
        if let message,
            let encoded = String(message.prefix(400)).addingPercentEncoding(withAllowedCharacters: .alphanumerics)
        {
            response.cookies[ConsoleSession.flashCookie] = ConsoleSession.sessionCookie(encoded, maxAge: 60, for: self)
        }
        return response
    }
}
