import CityDomain
import Fluent
import Vapor

/// The caseworkers' pages in the operations console (same sign-in): `GET /console/gov` (the unit's open
/// applications), `GET /console/gov/applications/:id` (review, with the steps the state allows),
/// `POST /console/gov/applications/:id/actions` and `GET /console/gov/stats` (好差评 per item and department).
/// Served through the desk API's own handlers (``GovDeskController``): the same scope (another unit's application
/// is a 404), rules and audit.
struct CaseworkerPages {
    struct Row: Encodable {
        var id: String
        var itemName: String
        var applicant: String
        var state: String
        var stateName: String
        var submittedAt: Date
        var promisedDueAt: Date?
        var legalDueAt: Date?
        var clockStopped: Bool
        var overdue: Bool
    }

    struct QueuePage: Encodable {
        var page: ConsolePage
        var rows: [Row]
    }

    private func row(_ entry: GovDeskController.DeskEntryDTO, req: Request) -> Row {
        let language = req.pageLanguage
        let dto = entry.application
        let state = ApplicationState(rawValue: dto.state) ?? .submitted
        let item = req.govServices.catalogue[dto.itemCode]
        return Row(
            id: dto.id.uuidString, itemName: item.map { language == .zh ? $0.nameZh : $0.nameEn } ?? dto.itemCode,
            applicant: "\(entry.applicantName) · \(entry.applicantIdentityNumber)", state: dto.state,
            stateName: GovConsoleText.state(state, language), submittedAt: dto.submittedAt,
            promisedDueAt: dto.promisedDueAt, legalDueAt: dto.legalDueAt, clockStopped: dto.clockStopped,
            overdue: state.clockRuns && (dto.promisedDueAt.map { $0 < req.now } ?? false))
    }

    @Sendable func queue(req: Request) async throws -> View {
        let desk = try await GovDeskController().desk(req: req)
        return try await req.view.render(
            "gov/desk",
            QueuePage(
                page: .gov(req, title: "gov_desk", active: "gov"), rows: desk.applications.map { row($0, req: req) }))
    }

    struct ActionView: Encodable {
        var action: String
        var name: String
        var needsReason: Bool
    }

    struct ReviewPage: Encodable {
        var page: ConsolePage
        var application: Row
        var version: Int
        var reason: String?
        var acceptedAt: Date?
        var actions: [ActionView]
        var supervising: Bool
        var events: [CitizenApplicationPages.EventView]
        var materials: [GovMaterialFiles.Listed]
        /// For a leg of a bundle (一件事): the bundle and the leg's place in it.
        var bundleLeg: String?
    }

    /// "出生一件事 · 第 2 项，共 7 项" when application `id` is a leg of a bundle, else nil.
    static func bundleLeg(of id: UUID, language: DisplayLanguage, req: Request) async throws -> String? {
        guard let leg = try await GovBundleLeg.query(on: req.db).filter(\.$applicationID == id).first(),
            let bundle = try await GovBundle.find(leg.bundleID, on: req.db)
        else { return nil }
        let plan = req.govServices.bundles[bundle.bundleCode]
        let name = plan.map { language == .zh ? $0.definition.nameZh : $0.definition.nameEn } ?? bundle.bundleCode
        let count = plan?.definition.legs.count ?? 0
        return language == .zh
            ? "\(name) · 第 \(leg.position + 1) 项，共 \(count) 项" : "\(name) · leg \(leg.position + 1) of \(count)"
    }

    @Sendable func show(req: Request) async throws -> View {
        let scope = try req.auth.require(OperatorScope.self)
        let entry = try await GovDeskController().show(req: req)
        let dto = entry.application
        let language = req.pageLanguage
        let state = ApplicationState(rawValue: dto.state) ?? .submitted
        let item = req.govServices.catalogue[dto.itemCode]
        let handling = dto.unitCode == scope.unitCode
        // The steps the workflow allows from here (a placeholder reason stands for the one the form asks for).
        let wasAccepted = dto.acceptedAt != nil
        let actions = ApplicationAction.allCases.filter { action in
            !action.byCitizen
                && (try? ApplicationWorkflow.next(after: action, in: state, wasAccepted: wasAccepted, reason: "-"))
                    != nil
        }
        return try await req.view.render(
            "gov/application",
            ReviewPage(
                page: .gov(req, title: "gov_desk", active: "gov"), application: row(entry, req: req),
                version: dto.version, reason: dto.reason, acceptedAt: dto.acceptedAt,
                actions: handling
                    ? actions.map {
                        ActionView(
                            action: $0.rawValue, name: GovConsoleText.action($0.rawValue, language),
                            needsReason: $0.needsReason)
                    } : [],
                supervising: !handling,
                events: dto.events.map {
                    CitizenApplicationPages.EventView(
                        at: $0.at, action: GovConsoleText.action($0.action, language),
                        state: ApplicationState(rawValue: $0.toState).map { GovConsoleText.state($0, language) }
                            ?? $0.toState, note: GovSystemNote.display($0.note, language, services: req.govServices))
                },
                materials: try await GovMaterialFiles.list(
                    dto.id, item: item, kinds: req.govServices.catalogue.licenceKinds,
                    base: "/console/gov/applications/\(dto.id)", language: language, on: req.db),
                bundleLeg: try await Self.bundleLeg(of: dto.id, language: language, req: req)))
    }

    /// `GET /console/gov/applications/:id/materials/:materialID`: an uploaded file of an application the
    /// caseworker may see.
    @Sendable func material(req: Request) async throws -> Response {
        let entry = try await GovDeskController().show(req: req)
        return try await GovMaterialFiles.response(of: entry.application.id, req: req)
    }

    @Sendable func act(req: Request) async throws -> Response {
        let id = req.parameters.get("id").flatMap(UUID.init(uuidString:))?.uuidString ?? ""
        let back = "/console/gov/applications/" + id
        return try await req.govForm(back: back) {
            let entry = try await GovDeskController().act(req: req)
            let state = ApplicationState(rawValue: entry.application.state) ?? .submitted
            return req.consoleRedirect(back, ok: "→ " + GovConsoleText.state(state, req.pageLanguage))
        }
    }

    struct StatsRow: Encodable {
        var name: String
        var completed: Int
        var rated: Int
        var ratingRate: String
        var shareGood: String
        var bad: Int
        var openRectifications: Int
    }

    struct StatsPage: Encodable {
        var page: ConsolePage
        var items: [StatsRow]
        var departments: [StatsRow]
    }

    @Sendable func stats(req: Request) async throws -> View {
        let stats = try await GovDeskController().stats(req: req)
        let language = req.pageLanguage
        let catalogue = req.govServices.catalogue
        func rows(_ list: [GovDeskController.StatsRowDTO], name: (String) -> String) -> [StatsRow] {
            list.map {
                StatsRow(
                    name: name($0.code), completed: $0.completed, rated: $0.rated,
                    ratingRate: String(format: "%.0f%%", $0.ratingRate * 100),
                    shareGood: $0.rated == 0 ? "—" : String(format: "%.0f%%", $0.shareGood * 100), bad: $0.bad,
                    openRectifications: $0.openRectifications)
            }
        }
        return try await req.view.render(
            "gov/stats",
            StatsPage(
                page: .gov(req, title: "gov_stats", active: "gov_stats"),
                items: rows(stats.items) { code in
                    catalogue[code].map { language == .zh ? $0.nameZh : $0.nameEn } ?? code
                },
                departments: rows(stats.departments) { req.reference.unitName($0, in: language) }))
    }
}
