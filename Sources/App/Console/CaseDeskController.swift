import CityDomain
import Fluent
import Vapor

/// The case desk: `GET /console/cases` (my queue: overdue and due-soon first, with filters), `GET /console/cases/:id`
/// (timeline, reports, location, time limits and exactly the actions the state and role allow) and
/// `POST /console/cases/:id/actions`. Scope as the API: another region's case is a 404.
struct CaseDeskController {
    struct Row: Encodable {
        var summary: CaseSummaryDTO
        var dueSoon: Bool
    }

    struct DeskPage: Encodable {
        var page: ConsolePage
        var rows: [Row]
        var total: Int
        var states: [[String: String]]
        var state: String?
        var overdue: Bool
        /// The region the desk is narrowed to (`?region=`, from the map), and its name.
        var region: String?
        var regionName: String?
        /// Whether the "assigned to me" filter is offered (grid workers) and set.
        var offerMine: Bool
        var mine: Bool
        /// The page's number as its links carry it, and how many pages the total fills.
        var pageNumber: Int
        var pages: Int
        /// "第 n 页，共 m 页" in the page's language.
        var pageLabel: String
        /// Keyset links (``CaseQueries/deskPage(_:scope:reference:on:now:at:size:)``): the head of the queue, the
        /// page before the first case shown, the page after the last; nil where there is none.
        var firstURL: String?
        var previousURL: String?
        var nextURL: String?
        /// The CSV export of this view (``ConsoleExportController/cases(req:)``), with its filters.
        var csvURL: String
        /// When the view holds more cases than one export: what the export leaves out (shown beside its link).
        var exportCut: String?
    }

    /// Cases per desk page.
    static let pageSize = 100

    @Sendable func list(req: Request) async throws -> View {
        let user = try req.auth.require(ConsoleUser.self)
        let filters = Filters(req, user: user)
        let (region, state, overdue, mine) = (filters.region, filters.state, filters.overdue, filters.mine)
        let language = ConsoleText.language(req)
        let words = ConsoleText.table(language)
        let now = req.now
        let found = try await CaseQueries.deskPage(
            filters.filter, scope: user.scope, reference: req.reference, on: req.db, now: now,
            at: try Self.position(req), size: Self.pageSize)
        let pages = max(1, (found.total + Self.pageSize - 1) / Self.pageSize)
        // The page's number is carried by its links (a label: no query counts the cases before a cursor).
        let pageNumber = found.isFirst ? 1 : min(max(req.query[Int.self, at: "page"] ?? 2, 2), max(pages, 2))
        func link(_ cursor: CaseCursor?, _ name: String, _ number: Int) -> String? {
            cursor.map {
                filters.url(
                    "/console/cases",
                    [URLQueryItem(name: name, value: $0.token), URLQueryItem(name: "page", value: String(number))])
            }
        }
        let rows = found.cases.map { record in
            Row(
                summary: CaseSummaryDTO(record, reference: req.reference, now: now, language: language),
                dueSoon: CaseOverdue.isDueSoon(record, now: now))
        }
        let states = CaseState.allCases.map { ["code": $0.rawValue, "name": $0.name(in: language)] }
        let cap = ConsoleExportController.caseLimit(of: req.application)
        return try await req.view.render(
            "console/desk",
            DeskPage(
                page: ConsolePage(req, title: "desk", active: "desk"), rows: rows, total: found.total,
                states: states, state: state, overdue: overdue, region: region,
                regionName: region.map { req.reference.regionName($0, in: language) },
                offerMine: user.scope.role == .gridWorker, mine: mine, pageNumber: pageNumber, pages: pages,
                pageLabel: words["page_of", default: ""].replacingOccurrences(of: "{n}", with: String(pageNumber))
                    .replacingOccurrences(of: "{pages}", with: String(pages)),
                firstURL: found.isFirst ? nil : filters.url("/console/cases"),
                previousURL: link(found.previous, "before", pageNumber - 1),
                nextURL: link(found.next, "after", pageNumber + 1),
                csvURL: filters.url("/console/cases.csv"),
                exportCut: found.total > cap
                    ? words["export_cut", default: ""].replacingOccurrences(of: "{n}", with: String(cap))
                        .replacingOccurrences(of: "{total}", with: String(found.total)) : nil))
    }

    /// Where the asked page starts: `?after=` or `?before=` a cursor (``CaseCursor/token``), else the head.
    /// - Throws: 400 for a cursor this server did not give.
    static func position(_ req: Request) throws -> CaseQueries.DeskPosition {
        if let token = req.query[String.self, at: "after"], !token.isEmpty {
            return .after(try CaseCursor(token: token))
        }
        if let token = req.query[String.self, at: "before"], !token.isEmpty {
            return .before(try CaseCursor(token: token))
        }
        return .first
    }

    struct ActionView: Encodable {
        var action: String
        var name: String
        var needsNote: Bool
        var needsUnit: Bool
        var needsDays: Bool
        var needsAssignee: Bool
        /// `dispatch_down` (下派): a unit of the street/town or one of its grid workers.
        var needsStreetTarget: Bool
        /// Whether the form offers photos (``CaseAction/takesPhotos``).
        var takesPhotos: Bool
        /// `callback` (回访): the form asks for a ``CallbackResult``.
        var needsCallbackResult: Bool
    }

    struct EventView: Encodable {
        /// The audit-trail row's id (`case_events.id`): the page skips live events it already shows.
        var id: Int
        var at: String
        var action: String
        var actor: String
        var to: String
        /// The system's part of the note, in the page's language (``MessageNote``).
        var note: String
        /// The person's own words in the note, as typed (marked as such on the page).
        var words: String
        /// A callback's result, named in the page's language; empty for other steps.
        var outcome: String
        /// Console URLs of the photos sent with the action.
        var photos: [String]
    }

    struct CasePage: Encodable {
        var page: ConsolePage
        var detail: CaseDetailDTO
        var stepName: String
        var locateName: String
        var actions: [ActionView]
        var events: [EventView]
        var regionPath: String
        var units: [[String: String]]
        /// Enabled grid workers of the unit holding the case, for `assign`.
        var gridWorkers: [String]
        /// The automatic dispatch chain, names in the page's language: 市城运中心 → … → the acting unit.
        var chain: String
        /// Units of the street/town whose centre holds the case, and its enabled grid workers, for `dispatch_down`.
        var streetUnits: [[String: String]]
        var streetGridWorkers: [String]
        /// Callback results (code, name) for the `callback` form.
        var callbackResults: [[String: String]]
        /// The last callback's result in the page's language; empty before any.
        var callbackResult: String
        /// Whether the page offers to split a merged report off (operations centres, case with several reports).
        var offerSplit: Bool
    }

    @Sendable func show(req: Request) async throws -> View {
        let user = try req.auth.require(ConsoleUser.self)
        let record = try await req.visibleCase(scope: user.scope)
        let language = ConsoleText.language(req)
        let found = try await CaseQueries.detail(of: record, scope: user.scope, reference: req.reference, on: req.db)
        var detail = CaseDetailDTO(found, reference: req.reference, now: req.now, language: language)
        detail.dispatchReason = MessageNote.dispatchReason(
            stored: detail.dispatchReason, events: found.events, language, reference: req.reference)
        let notes = found.events.map {
            MessageNote.display(note: $0.note, parts: $0.noteParts, language, reference: req.reference)
        }
        let actions = detail.allowedActions.compactMap(CaseAction.init(rawValue:)).map { action in
            ActionView(
                action: action.rawValue, name: ConsoleText.actionName(action.rawValue, language),
                needsNote: action.requiresNote, needsUnit: action == .dispatch || action == .reassign,
                needsDays: action == .requestExtension || action == .approveExtension,
                needsAssignee: action == .assign, needsStreetTarget: action == .dispatchDown,
                takesPhotos: action.takesPhotos, needsCallbackResult: action == .callback)
        }
        let events = zip(detail.events, notes).map { event, note in
            EventView(
                id: event.id, at: event.at.formatted(WhenTag.style),
                action: ConsoleText.actionName(event.action, language),
                actor: event.actor, to: CaseState.name(of: event.toState, in: language),
                note: note.system, words: note.words,
                outcome: event.outcome.flatMap(CallbackResult.init(rawValue:)).map { $0.name(in: language) } ?? "",
                photos: event.photos.map { "/console/cases/\(detail.summary.id)/photos/\($0.id)" })
        }
        let gridWorkers =
            actions.contains { $0.needsAssignee }
            ? try await CaseQueries.gridWorkers(of: record.unitCode, on: req.db) : []
        let hierarchy = req.reference.hierarchy
        let regionPath = hierarchy.ancestors(of: record.regionCode).reversed()
            .map { $0.name(in: language) }.joined(separator: " › ")
        // Units a dispatch or reassignment may name: those of the case's region, above it, or inside it
        // (dispatching down narrows a case the centre received).
        let regionChain = Set(
            hierarchy.ancestors(of: record.regionCode).map(\.code) + hierarchy.subtree(of: record.regionCode))
        let units = req.reference.units.values.filter { regionChain.contains($0.regionCode) }
            .sorted { $0.code < $1.code }.map { ["code": $0.code, "name": $0.name(in: language)] }
        // 下派: the street's own units (not its centre, which holds the case) and its grid workers.
        var streetUnits: [[String: String]] = []
        var streetGridWorkers: [String] = []
        if actions.contains(where: \.needsStreetTarget), let holder = req.reference.units[record.unitCode] {
            let own = req.reference.units.values.filter {
                hierarchy.isWithin($0.regionCode, ancestor: holder.regionCode)
            }
            streetUnits = own.filter { $0.code != holder.code }.sorted { $0.code < $1.code }
                .map { ["code": $0.code, "name": $0.name(in: language)] }
            for unit in own.sorted(by: { $0.code < $1.code }) {
                streetGridWorkers += try await CaseQueries.gridWorkers(of: unit.code, on: req.db)
            }
        }
        let chain = detail.dispatchChain.map(\.unitName).joined(separator: " → ")
        return try await req.view.render(
            "console/case",
            CasePage(
                page: ConsolePage(req, title: "case", active: "desk"), detail: detail,
                stepName: ConsoleText.term(record.step?.rawValue, language),
                locateName: ConsoleText.term(record.locateMethod, language), actions: actions,
                events: events, regionPath: regionPath, units: units, gridWorkers: gridWorkers, chain: chain,
                streetUnits: streetUnits, streetGridWorkers: streetGridWorkers,
                callbackResults: CallbackResult.allCases.map { ["code": $0.rawValue, "name": $0.name(in: language)] },
                callbackResult: record.callbackResult?.name(in: language) ?? "",
                offerSplit: user.scope.worksForACentre && detail.reports.count > 1))
    }

    /// `POST /console/cases/:id/reports/:reportID/split` — the case page's 拆分: the merged report becomes a new case
    /// (``Request/splitReport(scope:note:categoryCode:)``); back to the new case, or to this one with the refusal.
    @Sendable func split(req: Request) async throws -> Response {
        let user = try req.auth.require(ConsoleUser.self)
        struct Form: Content { var note: String? }
        let path = "/console/cases/\(req.parameters.get("caseID") ?? "")"
        let created: Case
        do {
            let note = try req.decodeBody(Form.self).note ?? ""
            created = try await req.splitReport(scope: user.scope, note: note, categoryCode: nil)
        } catch let error as any AbortError where error.status != .internalServerError {
            return req.consoleRedirect(path, error: req.refusalText(error))
        }
        let id = try created.requireID()
        return req.consoleRedirect(
            "/console/cases/\(id)",
            ok: "#\(id) " + ConsoleText.table(ConsoleText.language(req))["split_done", default: ""])
    }

    /// `GET /console/cases/:id/photos/:photoID` — a photo of a case the operator may see.
    @Sendable func photo(req: Request) async throws -> Response {
        try await req.casePhotoResponse(scope: try req.auth.require(ConsoleUser.self).scope)
    }

    @Sendable func act(req: Request) async throws -> Response {
        let user = try req.auth.require(ConsoleUser.self)
        let record = try await req.visibleCase(scope: user.scope)
        let id = try record.requireID()
        let path = "/console/cases/\(id)"
        let command: CaseCommand
        do {
            command = try CaseActionInput.command(from: req)
            try await CaseActions.perform(
                command, on: record, by: user.scope.actor, reference: req.reference, on: req.db,
                gate: req.application.writeGate, now: req.now)
        } catch let error as any AbortError where error.status != .internalServerError {
            return req.consoleRedirect(path, error: req.refusalText(error))
        }
        let done = ConsoleText.actionName(command.action.rawValue, ConsoleText.language(req)) + " ✓"
        // A case handed on (returned, reassigned away) may leave the operator's view: back to the desk then.
        let stillVisible = user.scope.canSee(
            regionCode: record.regionCode, unitCode: record.unitCode, in: req.reference.hierarchy)
        return req.consoleRedirect(stillVisible ? path : "/console/cases", ok: "#\(id) " + done)
    }
}
