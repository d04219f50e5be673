/// What applying for a bundle saves against applying for its items one by one, computed from the catalogue.
///
/// Rules (CityNet's, stated so that the figures can be checked by hand):
/// - applications: one per item, against one form.
/// - steps: the items' published steps (``ServiceItem/steps``) summed; in the bundle one joint acceptance (受理)
///   replaces each item's own, so each item after the first takes one step fewer.
/// - materials: item by item every item's materials are counted; in the bundle a material is asked for once
///   (e-licences by kind, uploads by code) and a material another leg's licence fills is not asked for at all.
/// - visits: item by item the items' counter visits summed; in the bundle the counter visits happen at one window
///   on one trip, so the most any one leg needs.
/// - days: item by item the promised working days summed (one item after the other); in the bundle the legs run in
///   parallel where the order allows, so the longest path of promised days through the dependency graph.
public struct BundleSavings: Codable, Hashable, Sendable {
    /// One measure item by item and as a bundle.
    public struct Figure: Codable, Hashable, Sendable {
        public var itemByItem: Int
        public var bundle: Int
        public var saved: Int { itemByItem - bundle }

        public init(itemByItem: Int, bundle: Int) {
            self.itemByItem = itemByItem
            self.bundle = bundle
        }
    }

    public var applications: Figure
    public var steps: Figure
    public var materials: Figure
    public var visits: Figure
    /// Promised time limits in working days.
    public var days: Figure
    /// The legs on the longest path of promised days, first to last.
    public var criticalPath: [String]

    /// The savings of `plan` with the items of `catalogue` (every leg must be in it, as ``BundlePlan`` checked).
    public init(plan: BundlePlan, catalogue: ServiceCatalogue) {
        let items = plan.order.compactMap { catalogue[$0] }
        applications = Figure(itemByItem: items.count, bundle: 1)
        let steps = items.map(\.steps.count).reduce(0, +)
        self.steps = Figure(itemByItem: steps, bundle: steps - max(0, items.count - 1))
        var asked = Set<String>()
        for item in items {
            let fed = Set(plan.feeds(into: item.code).map(\.material))
            for material in item.materials where !fed.contains(material.code) {
                asked.insert(material.supply == .elicence ? "licence:\(material.elicence ?? "")" : material.code)
            }
        }
        materials = Figure(itemByItem: items.map(\.materials.count).reduce(0, +), bundle: asked.count)
        visits = Figure(itemByItem: items.map(\.visits).reduce(0, +), bundle: items.map(\.visits).max() ?? 0)
        let (longest, path) = Self.longestPath(plan: plan, catalogue: catalogue)
        days = Figure(itemByItem: items.map(\.promisedDays).reduce(0, +), bundle: longest)
        criticalPath = path
    }

    /// The longest chain of promised working days through the plan's graph, and its legs: a leg finishes its own
    /// promised days after the latest of the legs it waits for.
    public static func longestPath(plan: BundlePlan, catalogue: ServiceCatalogue) -> (days: Int, path: [String]) {
        var finish: [String: (days: Int, path: [String])] = [:]
        for item in plan.order {
            let own = catalogue[item]?.promisedDays ?? 0
            let before = (plan.dependencies[item] ?? []).compactMap { finish[$0] }.max { $0.days < $1.days }
            finish[item] = ((before?.days ?? 0) + own, (before?.path ?? []) + [item])
        }
        return plan.order.compactMap { finish[$0] }.max { $0.days < $1.days } ?? (0, [])
    }
}
