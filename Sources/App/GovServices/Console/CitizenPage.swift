import CityDomain
import Vapor

extension ConsolePage {
    /// A page of the citizens' or caseworkers' government services: the console's frame with the words of
    /// ``GovConsoleText``; on a citizen's page, the citizen's name and CSRF token instead of an operator's.
    /// - Parameters: `title` is a key of ``GovConsoleText``.
    static func gov(_ req: Request, title: String, active: String) -> ConsolePage {
        var page = ConsolePage(req, title: title, active: active)
        let language = ConsoleText.language(req)
        page.t = GovConsoleText.table(language)
        page.title = page.t[title] ?? title
        if let citizen = req.auth.get(CitizenPageUser.self) {
            page.username = citizen.name
            page.csrf = citizen.csrf
        }
        return page
    }
}

extension Request {
    /// The page's language.
    var pageLanguage: DisplayLanguage { ConsoleText.language(self) }

    /// Runs a form's `work`; a refusal of the rules (any error but a server fault) becomes a redirect to `back`
    /// with the precise message in the page's language (``GovConsoleErrors``), so a form never answers a raw error.
    func govForm(
        back: String, item: ServiceItem? = nil, _ work: () async throws -> Response
    ) async throws -> Response {
        do { return try await work() } catch {
            // Not there (or another person's): the 404 page, never a hint on the form.
            if (error as? any AbortError)?.status == .notFound { throw error }
            guard let message = GovConsoleErrors.message(error, item: item, pageLanguage) else { throw error }
            return consoleRedirect(back, error: message)
        }
    }
}
