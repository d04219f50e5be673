/// A bundle definition checked against the catalogue, with its dependency graph (a DAG) resolved: which legs wait
/// for which, the order to submit them in, and the waves of legs that can run at the same time.
public struct BundlePlan: Sendable, Equatable {
    public let definition: BundleDefinition
    /// Per leg, the legs it waits for: its `after` items and the items that feed it a licence, in leg order.
    public let dependencies: [String: [String]]
    /// Legs in a valid submission order (every leg after all it waits for; otherwise in definition order).
    public let order: [String]
    /// Wave 0: the legs submitted at once; wave k: legs whose longest chain of predecessors has k legs.
    public let waves: [[String]]

    public var code: String { definition.code }

    /// Checks `definition`: at least one leg, every item in the catalogue and once, dependencies naming legs of the
    /// bundle and not the leg itself, no cycle, every feed's material an e-licence material of the fed item whose
    /// kind the feeding item produces, shared field codes unique.
    /// - Throws: ``BundleError`` naming the first fault.
    public init(_ definition: BundleDefinition, catalogue: ServiceCatalogue) throws(BundleError) {
        let bundle = definition.code
        guard !definition.legs.isEmpty else { throw .noLegs(bundle: bundle) }
        var items: [String] = []
        for leg in definition.legs {
            guard catalogue[leg.item] != nil else { throw .unknownItem(bundle: bundle, item: leg.item) }
            guard !items.contains(leg.item) else { throw .repeatedItem(bundle: bundle, item: leg.item) }
            items.append(leg.item)
        }
        var waitsFor: [String: Set<String>] = [:]
        func add(_ item: String, waitsFor other: String) throws(BundleError) {
            guard items.contains(other) else { throw .notALeg(bundle: bundle, item: item, named: other) }
            guard other != item else { throw .selfDependency(bundle: bundle, item: item) }
            waitsFor[item, default: []].insert(other)
        }
        for leg in definition.legs {
            for other in leg.after { try add(leg.item, waitsFor: other) }
        }
        for feed in definition.feeds {
            guard items.contains(feed.to) else { throw .notALeg(bundle: bundle, item: feed.from, named: feed.to) }
            try add(feed.to, waitsFor: feed.from)
            guard let material = catalogue[feed.to]?.materials.first(where: { $0.code == feed.material }),
                material.supply == .elicence
            else { throw .unknownMaterial(bundle: bundle, item: feed.to, material: feed.material) }
            guard let produced = catalogue[feed.from]?.produces, produced == material.elicence else {
                throw .feedMismatch(bundle: bundle, from: feed.from, to: feed.to, material: feed.material)
            }
        }
        var fields = Set<String>()
        for field in definition.sharedFields {
            guard fields.insert(field.code).inserted else { throw .repeatedField(bundle: bundle, field: field.code) }
        }
        let dependencies = Dictionary(
            uniqueKeysWithValues: items.map { item in (item, items.filter { waitsFor[item]?.contains($0) == true }) })
        let (order, levels) = try Self.sort(items, dependencies: dependencies, bundle: bundle)
        self.definition = definition
        self.dependencies = dependencies
        self.order = order
        let depth = levels.values.max() ?? 0
        waves = (0...depth).map { level in order.filter { levels[$0] == level } }
    }

    /// A depth-first topological sort; returns the order and each leg's wave.
    /// - Throws: ``BundleError/cycle(bundle:path:)`` with the legs of the first cycle found.
    private static func sort(_ items: [String], dependencies: [String: [String]], bundle: String)
        throws(BundleError) -> ([String], [String: Int])
    {
        var levels: [String: Int] = [:]
        var order: [String] = []
        var path: [String] = []
        func visit(_ item: String) throws(BundleError) -> Int {
            if let level = levels[item] { return level }
            if let start = path.firstIndex(of: item) {
                throw .cycle(bundle: bundle, path: Array(path[start...]) + [item])
            }
            path.append(item)
            var level = 0
            for dependency in dependencies[item] ?? [] { level = max(level, try visit(dependency) + 1) }
            path.removeLast()
            levels[item] = level
            order.append(item)
            return level
        }
        for item in items { _ = try visit(item) }
        return (order, levels)
    }

    /// The feeds into `item`: which leg's licence fills which of its materials.
    public func feeds(into item: String) -> [BundleDefinition.Feed] { definition.feeds.filter { $0.to == item } }

    /// The legs not yet `released` whose every dependency is in `satisfied` (approved), in ``order``. With nothing
    /// satisfied and nothing released, these are the legs submitted at once (``waves``' first).
    public func ready(satisfied: Set<String>, released: Set<String>) -> [String] {
        order.filter { item in
            !released.contains(item) && (dependencies[item] ?? []).allSatisfy { satisfied.contains($0) }
        }
    }
}
