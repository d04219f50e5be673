import CityDomain
import Fluent
import Vapor

/// `GET /console/citizen/bundles`: the bundles with what each saves (computed from the catalogue) and, for a
/// signed-in citizen, their own bundle applications.
struct BundleListPages {
    struct Figure: Encodable {
        var key: String
        var name: String
        var itemByItem: Int
        var bundle: Int
        var saved: Int
    }

    struct Card: Encodable {
        var code: String
        var name: String
        var legs: [String]
        var figures: [Figure]
    }

    struct Mine: Encodable {
        var id: UUID
        var name: String
        var submittedAt: Date
    }

    struct Page: Encodable {
        var page: ConsolePage
        var cards: [Card]
        var mine: [Mine]
    }

    /// The savings as table rows named in the page's words `t`.
    static func figures(_ savings: BundleSavings, t: [String: String]) -> [Figure] {
        [
            ("applications_count", savings.applications), ("steps_count", savings.steps),
            ("materials_count", savings.materials), ("visits_count", savings.visits), ("days_count", savings.days),
        ].map {
            Figure(
                key: $0.0, name: t[$0.0] ?? $0.0, itemByItem: $0.1.itemByItem, bundle: $0.1.bundle, saved: $0.1.saved)
        }
    }

    @Sendable func list(req: Request) async throws -> View {
        let zh = req.pageLanguage == .zh
        let services = req.govServices
        let page = ConsolePage.bundles(req, title: "bundles")
        let cards = services.bundles.plans.map { plan in
            Card(
                code: plan.code, name: zh ? plan.definition.nameZh : plan.definition.nameEn,
                legs: plan.order.map { code in
                    services.catalogue[code].map { zh ? $0.nameZh : $0.nameEn } ?? code
                },
                figures: Self.figures(BundleSavings(plan: plan, catalogue: services.catalogue), t: page.t))
        }
        var mine: [Mine] = []
        if let user = req.auth.get(CitizenPageUser.self) {
            mine = try await GovBundle.query(on: req.db).filter(\.$citizenID == user.citizenID)
                .sort(\.$submittedAt, .descending).limit(50).all().compactMap { bundle in
                    guard let id = bundle.id, let plan = services.bundles[bundle.bundleCode] else { return nil }
                    return Mine(
                        id: id, name: zh ? plan.definition.nameZh : plan.definition.nameEn,
                        submittedAt: bundle.submittedAt)
                }
        }
        return try await req.view.render(
            "gov/citizen-bundles", Page(page: page, cards: cards, mine: mine))
    }
}
