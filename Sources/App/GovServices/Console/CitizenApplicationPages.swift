import CityDomain
import Fluent
import Vapor

/// The citizen's own applications: `GET /console/citizen` (the list, tracked against the promised and legal dates),
/// `GET …/applications/:id` (dates, clock stops, timeline, the 补正 form while it waits, the rating form once done),
/// `POST …/applications/:id/completion` (multipart) and `POST …/applications/:id/rating`. Served through the API's
/// own handlers and domain functions (``CitizenController``, ``GovApplications``), so the rules and the
/// refusal of another person's application (404, logged) are the same.
struct CitizenApplicationPages {
    struct Row: Encodable {
        var id: String
        var itemName: String
        var state: String
        var stateName: String
        var submittedAt: Date
        var promisedDueAt: Date?
        var legalDueAt: Date?
        var clockStopped: Bool
        var overdue: Bool
    }

    struct HomePage: Encodable {
        var page: ConsolePage
        var rows: [Row]
        var unseen: Int
    }

    @Sendable func home(req: Request) async throws -> View {
        let user = try req.auth.require(CitizenPageUser.self)
        let list = try await CitizenController().applications(req: req)
        let unseen = try await GovNotification.query(on: req.db).filter(\.$citizenID == user.citizenID)
            .filter(\.$shownAt == nil).count()
        return try await req.view.render(
            "gov/citizen-home",
            HomePage(
                page: .gov(req, title: "my_applications", active: "home"),
                rows: list.applications.map { row($0, req: req) }, unseen: unseen))
    }

    private func row(_ dto: GovApplicationDTO, req: Request) -> Row {
        let language = req.pageLanguage
        let item = req.govServices.catalogue[dto.itemCode]
        let state = ApplicationState(rawValue: dto.state) ?? .submitted
        return Row(
            id: dto.id.uuidString, itemName: item.map { language == .zh ? $0.nameZh : $0.nameEn } ?? dto.itemCode,
            state: dto.state, stateName: GovConsoleText.state(state, language), submittedAt: dto.submittedAt,
            promisedDueAt: dto.promisedDueAt, legalDueAt: dto.legalDueAt, clockStopped: dto.clockStopped,
            overdue: state.clockRuns && (dto.promisedDueAt.map { $0 < req.now } ?? false))
    }

    struct StopView: Encodable {
        var start: Date
        var end: Date?
    }

    struct EventView: Encodable {
        var at: Date
        var action: String
        var state: String
        var note: String?
    }

    /// A file field of the 补正 form: one per upload material of the item.
    struct UploadField: Encodable {
        var code: String
        var name: String
        var required: Bool
    }

    struct DetailPage: Encodable {
        var page: ConsolePage
        var application: Row
        var acceptedAt: Date?
        var promisedDays: Int
        var legalDays: Int
        var reason: String?
        var stops: [StopView]
        var events: [EventView]
        var materials: [GovMaterialFiles.Listed]
        /// The uploads the 补正 form offers, while the application waits for completion.
        var completionUploads: [UploadField]
        var canRate: Bool
        var levels: [[String: String]]
        var rating: String?
        var rectificationCase: Int?
    }

    @Sendable func show(req: Request) async throws -> View {
        let user = try req.auth.require(CitizenPageUser.self)
        let dto = try await CitizenController().application(req: req)
        guard let stored = try await GovApplications.own(dto.id, citizen: user.citizenID, on: req.db) else {
            throw GovApplicationError.notFound
        }
        let language = req.pageLanguage
        let zh = language == .zh
        let item = req.govServices.catalogue[dto.itemCode]
        var stops = stored.stops.map { StopView(start: $0.start, end: $0.end) }
        if let since = stored.stoppedSince { stops.append(StopView(start: since, end: nil)) }
        let rating = try await GovRating.query(on: req.db).filter(\.$applicationID == dto.id).first()
        let waiting = stored.state == .returnedForCompletion
        return try await req.view.render(
            "gov/citizen-application",
            DetailPage(
                page: .gov(req, title: "my_applications", active: "home"), application: row(dto, req: req),
                acceptedAt: dto.acceptedAt, promisedDays: item?.promisedDays ?? 0, legalDays: item?.legalDays ?? 0,
                reason: dto.reason, stops: stops,
                events: dto.events.map {
                    EventView(
                        at: $0.at, action: GovConsoleText.action($0.action, language),
                        state: ApplicationState(rawValue: $0.toState).map { GovConsoleText.state($0, language) }
                            ?? $0.toState, note: GovSystemNote.display($0.note, language, services: req.govServices))
                },
                materials: try await GovMaterialFiles.list(
                    dto.id, item: item, kinds: req.govServices.catalogue.licenceKinds,
                    base: CitizenPageSession.root + "/applications/\(dto.id)", language: language, on: req.db),
                completionUploads: waiting
                    ? (item?.uploads ?? []).map {
                        UploadField(code: $0.code, name: zh ? $0.nameZh : $0.nameEn, required: $0.required)
                    } : [],
                canRate: stored.state == .done && rating == nil,
                levels: RatingLevel.allCases.map {
                    ["code": $0.rawValue, "name": GovConsoleText.level($0, language)]
                },
                rating: rating.map { GovConsoleText.level($0.level, language) }, rectificationCase: rating?.caseID))
    }

    /// `GET /console/citizen/applications/:id/materials/:materialID`: one of the citizen's own uploads (logged).
    @Sendable func material(req: Request) async throws -> Response {
        let (scope, application) = try await CitizenController().owned(req, action: "read_material")
        let id = try application.requireID()
        try await req.logAccess(citizen: scope.citizenID, action: "read_material", target: id.uuidString, allowed: true)
        return try await GovMaterialFiles.response(of: id, req: req)
    }

    @Sendable func complete(req: Request) async throws -> Response {
        let (scope, application) = try await CitizenController().owned(req, action: "complete")
        let id = try application.requireID()
        let back = CitizenPageSession.root + "/applications/\(id)"
        let item = req.govServices.catalogue[application.itemCode]
        return try await req.govForm(back: back, item: item) {
            guard let item else { throw GovApplicationError.notFound }
            try await GovApplications.complete(
                application, item: item, materials: try req.uploadedMaterials(for: item),
                note: (try? req.content.get(String.self, at: "note")).nonBlank,
                deadlines: req.reference.deadlines, gate: req.application.writeGate, db: req.db, now: req.now,
                access: req.accessEntry(
                    citizen: scope.citizenID, action: "complete", target: id.uuidString, allowed: true))
            return req.consoleRedirect(back, ok: GovConsoleText.word("send_completion", req.pageLanguage) + " ✓")
        }
    }

    @Sendable func rate(req: Request) async throws -> Response {
        let text = req.parameters.get("id") ?? ""
        let back = CitizenPageSession.root + "/applications/" + (UUID(uuidString: text)?.uuidString ?? "")
        return try await req.govForm(back: back) {
            guard (try? req.content.get(String.self, at: "level")).nonBlank != nil else {
                throw Abort(
                    .badRequest, reason: req.pageLanguage == .zh ? "请选择一个评价等级" : "choose one of the five levels")
            }
            _ = try await CitizenController().rate(req: req)
            return req.consoleRedirect(back, ok: GovConsoleText.word("rate", req.pageLanguage) + " ✓")
        }
    }
}
