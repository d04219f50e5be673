import Foundation

/// The city's bundles (一件事), each checked into a ``BundlePlan`` against the service catalogue.
public struct BundleCatalogue: Sendable {
    /// In file order.
    public let plans: [BundlePlan]
    private let byCode: [String: BundlePlan]

    /// Why a bundle file was refused.
    public struct Problem: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    /// Decodes `json` (`{"bundles": [BundleDefinition]}`, snake_case keys) and checks every bundle.
    /// - Throws: ``Problem`` for a repeated bundle code or an unknown life event; ``BundleError`` for a bundle's own
    ///   fault; a `DecodingError`.
    public init(json: Data, catalogue: ServiceCatalogue) throws {
        struct File: Decodable { var bundles: [BundleDefinition] }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        try self.init(try decoder.decode(File.self, from: json).bundles, catalogue: catalogue)
    }

    /// Checks `definitions` against `catalogue`.
    /// - Throws: as ``init(json:catalogue:)``.
    public init(_ definitions: [BundleDefinition], catalogue: ServiceCatalogue) throws {
        var plans: [BundlePlan] = []
        var byCode: [String: BundlePlan] = [:]
        let events = Set(catalogue.lifeEvents.map(\.code))
        for definition in definitions {
            guard byCode[definition.code] == nil else {
                throw Problem(description: "bundle \(definition.code) appears twice")
            }
            guard events.contains(definition.lifeEvent) else {
                throw Problem(description: "bundle \(definition.code) names unknown life event \(definition.lifeEvent)")
            }
            let plan = try BundlePlan(definition, catalogue: catalogue)
            plans.append(plan)
            byCode[definition.code] = plan
        }
        self.plans = plans
        self.byCode = byCode
    }

    /// The bundle with `code`, or nil.
    public subscript(code: String) -> BundlePlan? { byCode[code] }

    /// The bundles in `Resources/govservices/bundles.json` checked against ``ServiceCatalogue/bundled()``, read once.
    /// - Throws: ``Problem`` when the resource is missing, or the file's own faults.
    public static func bundled() throws -> BundleCatalogue { try bundledBundles.get() }

    private static let bundledBundles: Result<BundleCatalogue, any Error> = Result {
        guard
            let url = Bundle.module.url(forResource: "Resources/govservices/bundles", withExtension: "json")
                ?? Bundle.module.url(
                    forResource: "bundles", withExtension: "json", subdirectory: "Resources/govservices")
        else { throw Problem(description: "bundled resource Resources/govservices/bundles.json not found") }
        return try BundleCatalogue(json: try Data(contentsOf: url), catalogue: try ServiceCatalogue.bundled())
    }
}
