import CityDomain
import Leaf
import LeafKit
import Vapor

/// The operations console at `/console`: server-rendered pages (Leaf), a little plain JavaScript, and live updates
/// over Server-Sent Events. Every asset is served by CityNet itself (closed government networks: no CDN).
struct ConsoleRoutes: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let console = routes.grouped("console").grouped(ConsoleResponses())
        let login = ConsoleLoginController()
        console.get("login", use: login.form)
        console.post("login", use: login.login)
        console.get("assets", ":file", use: asset)

        let signedIn = console.grouped(ConsoleAuthenticator())
        signedIn.post("logout", use: login.logout)
        let tasks = TaskListController()
        signedIn.get(use: tasks.landing)  // the city screen, or a grid worker's tasks (issue #12 §8)
        signedIn.get("tasks", use: tasks.show)
        signedIn.get("summary", use: CityScreenController().summary)
        signedIn.get("role-league", use: RoleLeagueController().rows)
        signedIn.get("events", use: events)
        signedIn.get("attention", use: AttentionController().show)
        let desk = CaseDeskController()
        // Any other console address is a console 404 page (not the API's JSON), for signed-in operators.
        signedIn.get("**") { req async throws -> Response in
            throw LocalizedRefusal(.notFound, "console.no_page", ["path": req.url.path])
        }
        signedIn.get("cases", use: desk.list)
        let exports = ConsoleExportController()
        signedIn.get("cases.csv", use: exports.cases)
        signedIn.get("league.csv", use: exports.league)
        signedIn.get("trends", use: TrendsController().show)
        signedIn.get("cases", ":caseID", use: desk.show)
        signedIn.on(
            .POST, "cases", ":caseID", "actions", body: .collect(maxSize: CaseActionInput.bodyLimit), use: desk.act)
        signedIn.get("cases", ":caseID", "photos", ":photoID", use: desk.photo)
        signedIn.post("cases", ":caseID", "reports", ":reportID", "split", use: desk.split)
        let alarms = AlarmDeskController()
        let vitals = signedIn.grouped(ProcessedReadingsMiddleware())
        vitals.get("alarms", use: alarms.list)
        vitals.on(.POST, "alarms", ":alarmID", ":action", body: .collect(maxSize: "8kb"), use: alarms.act)
        let room = IncidentRoomController()
        signedIn.get("incidents", use: room.list)
        signedIn.get("incidents", ":id", use: room.show)
        signedIn.on(.POST, "incidents", ":id", ":action", body: .collect(maxSize: "64kb"), use: room.act)
        let triage = TriageDeskController()
        signedIn.get("triage", use: triage.list)
        signedIn.get("search", use: SearchDeskController().show)
        signedIn.post("triage", ":reportID", use: triage.decide)
        let triageActions = TriageDeskActions()
        signedIn.post("triage", "bulk", use: triageActions.bulk)
        signedIn.post("triage", ":reportID", "forward", use: triageActions.forward)
        GovConsoleRoutes.register(console: console, signedIn: signedIn)
    }

    /// `GET /console/events` — Server-Sent Events: each new audit-trail step the operator may see, as JSON
    /// (`event: case`), each new timeline entry of a joint incident the operator sees (`event: incident`), a bare
    /// `event: triage` when the triage queue within the operator's region changed (``TriageQueries/QueueMark``; for
    /// those who may triage, ``LiveFeed/queueRegion(of:)``), and a comment every 10 s so
    /// proxies keep the connection open. The live feed checks the
    /// session on every tick (``LiveFeed``): after logout, expiry or the operator's disabling nothing more is sent and
    /// the stream ends within a second.
    @Sendable func events(req: Request) async throws -> Response {
        let scope = try req.auth.require(OperatorScope.self)
        let liveKey = ConsoleSession.liveKey(csrf: try req.auth.require(ConsoleUser.self).csrf)
        let hierarchy = req.reference.hierarchy
        let secret = req.cookies[ConsoleSession.cookie]?.string ?? ""
        let reference = req.reference
        let language = ConsoleText.language(req)
        let subscription = req.application.liveFeed.subscribe(
            req.application, sessionHash: Access.digest(secret), queueRegion: LiveFeed.queueRegion(of: scope))
        let encoder = Timestamps.jsonEncoder()
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "event-stream", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .cacheControl, value: "no-cache")
        headers.replaceOrAdd(name: "X-Accel-Buffering", value: "no")
        return Response(
            status: .ok, headers: headers,
            body: .init(asyncStream: { writer in
                // Ends with .end, or .error once the browser has gone (a write fails): Vapor requires one of the two.
                do {
                    try await writer.write(.buffer(ByteBuffer(string: "retry: 2000\n: connected\n\n")))
                    // Which session this stream serves: a tab of another (ended) session reloads instead of showing
                    // this one's events under its own name.
                    try await writer.write(
                        .buffer(ByteBuffer(string: "event: session\ndata: {\"live_key\":\"\(liveKey)\"}\n\n")))
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            for await event in subscription.events {
                                if subscription.sessionEnded { return }  // buffered before the end: not sent
                                guard
                                    scope.canSee(regionCode: event.regionCode, unitCode: event.unitCode, in: hierarchy)
                                else { continue }
                                let named = language == .zh ? event : event.named(in: language, reference: reference)
                                let json = String(decoding: try encoder.encode(named), as: UTF8.self)
                                try await writer.write(
                                    .buffer(ByteBuffer(string: "id: \(event.id)\nevent: case\ndata: \(json)\n\n")))
                            }
                        }
                        group.addTask {
                            // Joint incidents' timelines (issue 15), for the incidents this operator sees.
                            for await event in subscription.incidents {
                                if subscription.sessionEnded { return }
                                guard event.visible(to: scope, in: hierarchy) else { continue }
                                let json = String(decoding: try encoder.encode(event), as: UTF8.self)
                                try await writer.write(
                                    .buffer(ByteBuffer(string: "id: i\(event.id)\nevent: incident\ndata: \(json)\n\n")))
                            }
                        }
                        group.addTask {
                            // The triage queue within the operator's region changed (no details): an open triage
                            // desk re-reads itself.
                            for await _ in subscription.queue {
                                if subscription.sessionEnded { return }
                                try await writer.write(.buffer(ByteBuffer(string: "event: triage\ndata: {}\n\n")))
                            }
                        }
                        group.addTask {
                            while true {
                                try await Task.sleep(for: .seconds(10))
                                try await writer.write(.buffer(ByteBuffer(string: ": keep-alive\n\n")))
                            }
                        }
                        // The first to stop (the feed closing, or a failed write) stops the other.
                        try await group.next()
                        group.cancelAll()
                    }
                    try await writer.write(.end)
                } catch {
                    try? await writer.write(.error(error))
                }
            }))
    }

    /// `GET /console/assets/:file` — the console's stylesheet and script from the app's bundle.
    @Sendable func asset(req: Request) async throws -> Response {
        let name = req.parameters.get("file") ?? ""
        let types = [
            "css": HTTPMediaType.css,
            "js": HTTPMediaType(type: "text", subType: "javascript", parameters: ["charset": "utf-8"]),
        ]
        let ext = (name as NSString).pathExtension
        guard name.range(of: #"^[a-z0-9-]+\.(css|js)$"#, options: .regularExpression) != nil, let type = types[ext],
            let url = Bundle.module.url(
                forResource: (name as NSString).deletingPathExtension, withExtension: ext,
                subdirectory: "Resources/Public"),
            let data = FileManager.default.contents(atPath: url.path)
        else { throw LocalizedRefusal(.notFound, "console.no_asset") }
        var headers = HTTPHeaders()
        headers.contentType = type
        headers.replaceOrAdd(name: .cacheControl, value: "max-age=300")
        if name == "status-check-sw.js" {
            // The checkpoint page's service worker controls that page only (issue #16 §2).
            headers.replaceOrAdd(name: "Service-Worker-Allowed", value: "/console/citizen/status-check")
        }
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }
}

/// Every console answer: `?lang=en|zh` switches the language (kept in a cookie); errors become console pages (a
/// lost session goes back to the login page); a one-time message (``Request/consoleRedirect(_:ok:error:)``) is
/// cleared once shown; and the security headers of a closed-network web app (strict CSP, no framing, no sniffing,
/// same-origin referrers, no caching of signed-in pages) are set.
struct ConsoleResponses: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response: Response
        do {
            response = try await next.respond(to: req)
        } catch {
            response = try await Self.errorPage(error, req: req)
        }
        if let asked = req.query[String.self, at: "lang"], let language = ConsoleText.Language(rawValue: asked) {
            response.cookies[ConsoleSession.languageCookie] = HTTPCookies.Value(
                string: language.rawValue, maxAge: 365 * 86400, path: "/console", isSecure: ConsoleSession.isHTTPS(req),
                isHTTPOnly: true, sameSite: .lax)
        }
        if req.cookies[ConsoleSession.flashCookie] != nil, response.status == .ok {
            response.cookies[ConsoleSession.flashCookie] = ConsoleSession.sessionCookie("", maxAge: 0, for: req)
        }
        response.headers.replaceOrAdd(
            name: "Content-Security-Policy",
            value: "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
                + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        if !req.url.path.hasPrefix("/console/assets") {
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        }
        return response
    }

    /// An error as a console page with its status; 401 sends the browser to the login page; the JSON endpoints
    /// (`/console/summary`, `/console/events`) keep JSON errors.
    static func errorPage(_ error: any Error, req: Request) async throws -> Response {
        let status = (error as? any AbortError)?.status ?? .internalServerError
        let path = req.url.path
        if path.hasPrefix("/console/summary") || path.hasPrefix("/console/events") || path.hasPrefix("/console/assets")
        {
            throw error
        }
        if status == .unauthorized {
            let citizen = path.hasPrefix(CitizenPageSession.root)
            let back =
                req.method == .GET
                ? path : (req.headers.first(name: .referer).flatMap { URL(string: $0)?.path } ?? "/console")
            return req.redirect(
                to: (citizen ? CitizenPageSession.root : "/console") + "/login?next="
                    + (ConsoleLoginController.safeNext(back).addingPercentEncoding(
                        withAllowedCharacters: .alphanumerics) ?? ""),
                redirectType: .normal)
        }
        if status == .internalServerError { req.logger.error("console error", metadata: ["error": "\(error)"]) }
        let message = req.refusalText(error)
        struct ErrorPage: Encodable {
            var page: ConsolePage
            var status: Int
            var message: String
        }
        let page = ErrorPage(
            page: .gov(req, title: "error", active: ""), status: Int(status.code), message: message)
        let template = path.hasPrefix(CitizenPageSession.root) ? "gov/citizen-error" : "console/error"
        let response = try await req.view.render(template, page).encodeResponse(for: req)
        response.status = status
        return response
    }
}

extension Application {
    /// Leaf over the templates in the app's bundle (`Resources/Views`), so `citynet serve` renders from any
    /// working directory. Each template is parsed once and cached unless `reloadTemplates` (for editing them).
    func useConsoleViews(reloadTemplates: Bool) throws {
        guard let views = Bundle.module.url(forResource: "Views", withExtension: nil, subdirectory: "Resources") else {
            throw Abort(.internalServerError, reason: "the console templates are missing from the app bundle")
        }
        // The bundle may sit under a hidden folder (`.build/…`), so only the sandbox and the extension are enforced.
        leaf.sources = .singleSource(
            NIOLeafFiles(
                fileio: fileio, limits: [.toSandbox, .requireExtensions], sandboxDirectory: views.path,
                viewDirectory: views.path))
        leaf.tags["when"] = WhenTag()
        leaf.tags["term"] = TermTag()
        leaf.cache.isEnabled = !reloadTemplates
        self.views.use(.leaf)
    }
}

/// `#when(date)`: a timestamp as `2026-11-29 14:05` in Asia/Shanghai, or nothing for a missing one. Leaf's encoder
/// hands templates a `Date` as seconds since 1970.
struct WhenTag: LeafTag {
    static let style = Date.VerbatimFormatStyle(
        format:
            "\(year: .defaultDigits)-\(month: .twoDigits)-\(day: .twoDigits) \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits)",
        timeZone: Timestamps.shanghai, calendar: Calendar(identifier: .gregorian))

    func render(_ ctx: LeafContext) throws -> LeafData {
        guard let seconds = ctx.parameters.first?.double else { return .string("") }
        return .string(Date(timeIntervalSince1970: seconds).formatted(Self.style))
    }
}

/// `#term(code)`: a stored code (a channel such as `wechat`, a report source such as `open311`, a locate method) in
/// the page's language, from ``ConsoleText/term(_:_:)``; an unknown code is shown as it is.
struct TermTag: LeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData {
        guard let code = ctx.parameters.first?.string else { return .string("") }
        let language = ctx.request.map(ConsoleText.language) ?? .zh
        return .string(ConsoleText.term(code, language))
    }
}
