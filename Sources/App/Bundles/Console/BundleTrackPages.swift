import CityDomain
import Vapor

/// `GET /console/citizen/bundle-applications/:id`: one of the citizen's bundles with each leg's own state, what it
/// waits for and a link to the leg's application (another citizen's is 404); `POST …/legs/:code/resubmission`
/// resubmits a refused leg.
struct BundleTrackPages {
    struct Leg: Encodable {
        var code: String
        var name: String
        var state: String
        var stateName: String
        var waitsFor: [String]
        var attempt: Int
        var applicationID: UUID?
        var reason: String?
        var refused: Bool
    }

    struct Page: Encodable {
        var page: ConsolePage
        var id: UUID
        var name: String
        var state: String
        var stateName: String
        var submittedAt: Date
        var dueAt: Date?
        var fields: [[String: String]]
        var legs: [Leg]
    }

    @Sendable func show(req: Request) async throws -> View {
        let dto = try await BundleController().read(req: req)
        let language = req.pageLanguage
        let zh = language == .zh
        let services = req.govServices
        let plan = services.bundles[dto.bundleCode]
        let page = ConsolePage.bundles(req, title: "my_bundles")
        let name = { (code: String) in services.catalogue[code].map { zh ? $0.nameZh : $0.nameEn } ?? code }
        return try await req.view.render(
            "gov/citizen-bundle-application",
            Page(
                page: page, id: dto.id,
                name: plan.map { zh ? $0.definition.nameZh : $0.definition.nameEn } ?? dto.bundleCode,
                state: dto.state, stateName: page.t["bundle_state_" + dto.state] ?? dto.state,
                submittedAt: dto.submittedAt, dueAt: dto.dueAt,
                fields: (plan?.definition.sharedFields ?? []).compactMap { field in
                    dto.fields[field.code].map { ["name": zh ? field.nameZh : field.nameEn, "value": $0] }
                },
                legs: dto.legs.map { leg in
                    let state = ApplicationState(rawValue: leg.state)
                    return Leg(
                        code: leg.itemCode, name: zh ? leg.nameZh : leg.nameEn, state: leg.state,
                        stateName: state.map { GovConsoleText.state($0, language) } ?? page.t["leg_waiting"] ?? "",
                        waitsFor: leg.waitsFor.map(name), attempt: leg.attempt, applicationID: leg.applicationId,
                        reason: leg.reason, refused: state == .refused)
                }))
    }

    @Sendable func resubmit(req: Request) async throws -> Response {
        let id = req.parameters.get("id") ?? ""
        let back = CitizenPageSession.root + "/bundle-applications/\(id)"
        return try await req.govForm(back: back) {
            let (_, bundle) = try await BundleController().owned(req, action: "resubmit_bundle_leg")
            try await BundleResubmission.resubmit(
                bundle, item: req.parameters.get("code") ?? "", inputs: [], releaser: req.govServices.bundleReleaser,
                gate: req.application.writeGate, now: req.now)
            return req.consoleRedirect(back, ok: req.pageLanguage == .zh ? "已重新提交" : "Resubmitted")
        }
    }
}
