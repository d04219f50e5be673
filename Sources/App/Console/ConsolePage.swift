import Vapor

/// What every console page shows around its content: the words of the chosen language, the operator, the CSRF
/// token for its forms, the page title and the active menu entry.
struct ConsolePage: Encodable {
    var t: [String: String]
    var lang: String
    var otherLang: String
    var title: String
    var active: String
    var username: String?
    var unitName: String?
    var csrf: String?
    var flash: String?
    var error: String?

    /// - Parameters: `title` is a key of ``ConsoleText``.
    init(_ req: Request, title: String, active: String) throws {
        let language = ConsoleText.language(req)
        let words = ConsoleText.table(language)
        t = words
        lang = language == .zh ? "zh-CN" : "en"
        otherLang = language == .zh ? "en" : "zh"
        self.title = words[title] ?? title
        self.active = active
        let user = req.auth.get(ConsoleUser.self)
        username = user?.scope.username
        unitName = user.flatMap { req.reference.units[$0.scope.unitCode]?.nameZh }
        csrf = user?.csrf
        flash = req.query[String.self, at: "ok"].map { String($0.prefix(200)) }
        error = req.query[String.self, at: "error"].map { String($0.prefix(300)) }
    }
}

extension Request {
    /// Redirects (303, so the browser GETs) to `path` with a message for the next page.
    func consoleRedirect(_ path: String, ok: String? = nil, error: String? = nil) -> Response {
        var query: [String] = []
        if let ok { query.append("ok=" + (ok.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")) }
        if let error { query.append("error=" + (error.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")) }
        let separator = path.contains("?") ? "&" : "?"
        return redirect(to: query.isEmpty ? path : path + separator + query.joined(separator: "&"), redirectType: .normal)
    }
}
