import Foundation
import Testing

@testable import CityDomain

/// Bundle definitions: the dependency graph is checked (unknown items, self-dependencies, cycles, feeds of the
/// wrong kind), and the fan-out says which legs start at once and which wait.
struct BundlePlanTests {
    /// A catalogue of four items: A produces licence `ka`; B needs `ka` as material `m` and produces `kb`; C needs
    /// `kb` as `n`; D needs nothing. Promised days: A 0, B 5, C 15, D 10.
    static let catalogue: ServiceCatalogue = {
        func item(_ code: String, days: Int, visits: Int, materials: String, produces: String?) -> String {
            """
            {"code": "\(code)", "name_zh": "\(code)", "name_en": "\(code)", "department": "health",
            "level": "district", "kind": "\(days == 0 ? "immediate" : "promised")", "legal_days": \(days),
            "promised_days": \(days), "materials": [\(materials)], "online": true, "visits": \(visits), "fee_yuan": 0,
            "steps": ["受理", "审核"], "life_events": ["e"], "keywords": [], "source": "test"
            \(produces.map { ", \"produces\": \"\($0)\"" } ?? "")}
            """
        }
        func licence(_ code: String, _ kind: String) -> String {
            #"{"code": "\#(code)", "name_zh": "x", "name_en": "x", "supply": "elicence", "elicence": "\#(kind)", "required": true}"#
        }
        let upload = #"{"code": "form", "name_zh": "x", "name_en": "x", "supply": "upload", "required": true}"#
        let json = """
            {"life_events": [{"code": "e", "name_zh": "e", "name_en": "e"}],
             "licence_kinds": [{"code": "ka", "name_zh": "a", "name_en": "a", "type_code": "KA1"},
                               {"code": "kb", "name_zh": "b", "name_en": "b", "type_code": "KB1"}],
             "items": [\(item("A", days: 0, visits: 1, materials: upload, produces: "ka")),
                       \(item("B", days: 5, visits: 0, materials: licence("m", "ka") + "," + upload, produces: "kb")),
                       \(item("C", days: 15, visits: 0, materials: licence("n", "kb") + "," + licence("m", "ka"), produces: nil)),
                       \(item("D", days: 10, visits: 1, materials: upload, produces: nil))]}
            """
        return try! ServiceCatalogue(json: Data(json.utf8))
    }()

    static func definition(
        legs: [BundleDefinition.Leg], feeds: [BundleDefinition.Feed] = [], fields: [String] = []
    ) -> BundleDefinition {
        BundleDefinition(
            code: "t", nameZh: "t", nameEn: "t", lifeEvent: "e", source: "test", legs: legs, feeds: feeds,
            sharedFields: fields.map { .init(code: $0, nameZh: $0, nameEn: $0, required: true) })
    }

    static let chain = definition(
        legs: [.init(item: "C"), .init(item: "B"), .init(item: "A"), .init(item: "D")],
        feeds: [.init(from: "A", to: "B", material: "m"), .init(from: "B", to: "C", material: "n")])

    @Test func fanOutStartsIndependentLegsAtOnceAndHoldsFedOnes() throws {
        let plan = try BundlePlan(Self.chain, catalogue: Self.catalogue)
        #expect(plan.waves == [["A", "D"], ["B"], ["C"]])
        #expect(plan.order == ["A", "B", "C", "D"])
        #expect(plan.dependencies["C"] == ["B"])
        #expect(plan.ready(satisfied: [], released: []) == ["A", "D"])
        // A approved: B goes; C still waits for B; A and D are not released twice.
        #expect(plan.ready(satisfied: ["A"], released: ["A", "D"]) == ["B"])
        #expect(plan.ready(satisfied: ["A", "D"], released: ["A", "B", "D"]) == [])
        #expect(plan.ready(satisfied: ["A", "B"], released: ["A", "B", "D"]) == ["C"])
        #expect(plan.feeds(into: "C") == [.init(from: "B", to: "C", material: "n")])
    }

    @Test func orderOnlyDependenciesWaitToo() throws {
        let plan = try BundlePlan(
            Self.definition(legs: [.init(item: "A"), .init(item: "D", after: ["A"])]), catalogue: Self.catalogue)
        #expect(plan.waves == [["A"], ["D"]])
        #expect(plan.ready(satisfied: [], released: []) == ["A"])
    }

    @Test func refusesFaultyGraphsPrecisely() {
        let cases: [(BundleDefinition, BundleError)] = [
            (Self.definition(legs: []), .noLegs(bundle: "t")),
            (Self.definition(legs: [.init(item: "Z")]), .unknownItem(bundle: "t", item: "Z")),
            (Self.definition(legs: [.init(item: "A"), .init(item: "A")]), .repeatedItem(bundle: "t", item: "A")),
            (Self.definition(legs: [.init(item: "A", after: ["A"])]), .selfDependency(bundle: "t", item: "A")),
            (Self.definition(legs: [.init(item: "A", after: ["D"])]), .notALeg(bundle: "t", item: "A", named: "D")),
            (
                Self.definition(
                    legs: [.init(item: "A", after: ["D"]), .init(item: "D", after: ["B"]), .init(item: "B")],
                    feeds: [.init(from: "A", to: "B", material: "m")]),
                .cycle(bundle: "t", path: ["A", "D", "B", "A"])
            ),
            (
                Self.definition(
                    legs: [.init(item: "A"), .init(item: "B")], feeds: [.init(from: "A", to: "B", material: "x")]),
                .unknownMaterial(bundle: "t", item: "B", material: "x")
            ),
            (
                Self.definition(
                    legs: [.init(item: "A"), .init(item: "B")], feeds: [.init(from: "A", to: "B", material: "form")]),
                .unknownMaterial(bundle: "t", item: "B", material: "form")
            ),
            (
                Self.definition(
                    legs: [.init(item: "D"), .init(item: "C")], feeds: [.init(from: "D", to: "C", material: "n")]),
                .feedMismatch(bundle: "t", from: "D", to: "C", material: "n")
            ),
            (
                Self.definition(legs: [.init(item: "A")], fields: ["name", "name"]),
                .repeatedField(bundle: "t", field: "name")
            ),
        ]
        for (definition, error) in cases {
            #expect(throws: error) { try BundlePlan(definition, catalogue: Self.catalogue) }
        }
        #expect(BundleError.cycle(bundle: "t", path: ["A", "B", "A"]).description.contains("A → B → A"))
    }

    @Test func bundledBundlesAreValidAndFanOutAsModelled() throws {
        let bundles = try BundleCatalogue.bundled()
        #expect(bundles.plans.map(\.code) == ["newborn", "restaurant", "bereavement"])
        let newborn = try #require(bundles["newborn"])
        #expect(newborn.waves[0] == ["SH-WJW-0001", "SH-YB-0002"])
        #expect(newborn.waves[1] == ["SH-WJW-0002", "SH-GA-0001"])
        #expect(newborn.waves[2] == ["SH-RS-0001", "SH-YB-0001", "SH-YB-0003"])
        let restaurant = try #require(bundles["restaurant"])
        #expect(restaurant.waves == [["SH-SC-0001"], ["SH-SC-0003", "SH-LH-0001", "SH-SW-0001"]])
        let bereavement = try #require(bundles["bereavement"])
        #expect(bereavement.waves == [["SH-WJW-0004"], ["SH-GA-0005", "SH-MZ-0004", "SH-YB-0004"], ["SH-RS-0005"]])
    }

    @Test func bundleFileFaultsAreRefused() throws {
        let catalogue = Self.catalogue
        let twice = [Self.chain, Self.chain]
        #expect(throws: BundleCatalogue.Problem(description: "bundle t appears twice")) {
            try BundleCatalogue(twice, catalogue: catalogue)
        }
        var other = Self.chain
        other.lifeEvent = "nope"
        #expect(throws: BundleCatalogue.Problem(description: "bundle t names unknown life event nope")) {
            try BundleCatalogue([other], catalogue: catalogue)
        }
    }

    @Test func stateIsDerivedFromLegs() {
        #expect(BundleState.derive([.application(.approved), .application(.done)]) == .completed)
        #expect(BundleState.derive([.application(.approved), .waiting]) == .inProgress)
        #expect(BundleState.derive([.application(.refused), .waiting]) == .actionNeeded)
        #expect(BundleState.derive([.application(.returnedForCompletion)]) == .actionNeeded)
        #expect(BundleState.derive([]) == .inProgress)
    }
}
