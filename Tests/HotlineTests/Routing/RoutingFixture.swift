import CityDomain
import Foundation
import Hotline

/// The bundled router, routing table and a triage engine with both, built once.
enum RoutingFixture {
    static let table = try! RoutingTable.bundledDefault()
    static let router = try! UnitRouter.bundledDefault()
    static let theme = try! HotlineModel.bundledDefault()
    static let triage = HotlineTriage(
        model: theme, rules: RulesFixture.rules, places: PlaceExtractor(hierarchy: try! RegionHierarchy.shanghai()),
        router: router)

    static let data = Corpus.repository.appendingPathComponent("Tests/HotlineTests/Data")
    static let labels = data.appendingPathComponent("routing_unit_labels.csv")
    static let noise = data.appendingPathComponent("noise_scenarios_read.csv")
}
