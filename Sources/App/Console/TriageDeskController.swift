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
        let query = Report.query(on: req.db).filter(\.$triageState == HotlineTriageState.queued.rawValue)
            .filter(\.$source == ReportSource.hotline.rawValue)
        if let codes = scope.regionCodes(in: req.reference.hierarchy) { query.filter(\.$regionCode ~~ codes) }
        let items = try await query.sort(\.$receivedAt).sort(\.$id).limit(100).all().map(HotlineReportDTO.init)
        let reference = req.reference
        let categories = reference.taxonomy.all.filter(reference.isService).map { ["code": $0.code, "name": $0.nameZh] }
        return try await req.view.render(
            "console/triage",
            TriagePage(page: try ConsolePage(req, title: "triage", active: "triage"), items: items, categories: categories))
    }

    struct DecisionForm: Content {
        var categoryCode: String?
        var regionCode: String?
        var dismiss: String?
        var note: String?

        enum CodingKeys: String, CodingKey {
            case dismiss, note
            case categoryCode = "category_code", regionCode = "region_code"
        }
    }

    /// Forwards the form to the API's triage decision and comes back to the queue with the outcome.
    @Sendable func decide(req: Request) async throws -> Response {
        let form = try req.content.decode(DecisionForm.self)
        let body = TriageController.DecisionBody(
            categoryCode: CaseDeskController.blankToNil(form.categoryCode),
            regionCode: CaseDeskController.blankToNil(form.regionCode), dismiss: form.dismiss == "1" ? true : nil,
            note: CaseDeskController.blankToNil(form.note))
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
