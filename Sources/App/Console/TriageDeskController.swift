import CityDomain
import Fluent
import Vapor

/// The triage desk: `GET /console/triage` lists hotline reports the classifier was unsure of; one click dispatches
/// one under a category (kept as a training example) or dismisses it (`POST /console/triage/:id`).
struct TriageDeskController {
    struct TriagePage: Encodable {
        var page: ConsolePage
        var items: [HotlineReportDTO]
        var categories: [[String: String]]
    }

    @Sendable func list(req: Request) async throws -> View {
        let scope = try TriageController.triager(req)
        let items = try await TriageController.queued(for: scope, req: req).limit(100).all().map(HotlineReportDTO.init)
        let reference = req.reference
        let language = ConsoleText.language(req)
        let categories = reference.taxonomy.all.filter(reference.isService).map {
            ["code": $0.code, "name": $0.name(in: language)]
        }
        return try await req.view.render(
            "console/triage",
            TriagePage(page: ConsolePage(req, title: "triage", active: "triage"), items: items, categories: categories))
    }

    /// Forwards the form to the API's triage decision and comes back to the queue with the outcome.
    @Sendable func decide(req: Request) async throws -> Response {
        var body = try req.content.decode(TriageController.DecisionBody.self)
        body.categoryCode = body.categoryCode.nonBlank
        body.regionCode = body.regionCode.nonBlank
        body.note = body.note.nonBlank
        do {
            let report = try await TriageController().decide(req: req, body: body)
            let outcome = report.caseID.map { "→ \(ConsoleText.table(ConsoleText.language(req))["case"] ?? "case") #\($0)" }
                ?? (report.triageState ?? "")
            return req.consoleRedirect("/console/triage", ok: "#\(report.id) \(outcome)")
        } catch let error as any AbortError where error.status != .internalServerError {
            return req.consoleRedirect("/console/triage", error: error.reason)
        }
    }
}
