import Foundation
import Testing

@testable import CityDomain

@Suite("Category taxonomy: bundled default and validation")
struct CategoryTaxonomyTests {
    let taxonomy: CategoryTaxonomy

    init() throws { taxonomy = try CategoryTaxonomy.bundledDefault() }

    @Test func bundledDefaultContent() throws {
        #expect(taxonomy.children(of: "noise").count == 14)
        #expect(taxonomy.all.allSatisfy { $0.parentCode != nil || !taxonomy.children(of: $0.code).isEmpty })
        let fireLane = try #require(taxonomy["parking.fire_lane"])
        // Territorial since issue #10: the street's 派出所, or the fire corps for a fire-safety unit's lane.
        #expect(fireLane.responsibility == Responsibility(kind: .police, level: .street, territorial: true))
        #expect(fireLane.alternatives.map(\.responsibleKind) == [.fireRescue])
        #expect(fireLane.priority == .urgent)
        #expect(fireLane.clock == .continuous)
        #expect(fireLane.limits?.dispatch == TimeLimit(value: 10, unit: .minutes))
        #expect(taxonomy["road.bridge_ice"]?.clock == .continuous)
        #expect(taxonomy["water.main_leak"]?.priority == .urgent)
        #expect(taxonomy["noise"]?.dispatchable == false)
        for code in [
            "road.ponding", "traffic.congestion", "traffic.stranded_passengers", "fire.building_hazard",
            "construction.illegal_building", "sanitation.garbage", "road.damaged", "road.street_light_out",
            "sanitation.illegal_advertising", "parking.shared_bicycle",
        ] {
            #expect(taxonomy[code]?.dispatchable == true, "\(code)")
        }
        // Every urgent category runs on the continuous clock and is dispatched within 15 minutes.
        for category in taxonomy.dispatchable where category.priority == .urgent {
            #expect(category.clock == .continuous, "\(category.code)")
            #expect(
                category.limits?.dispatch.unit == .minutes && (category.limits?.dispatch.value ?? 99) <= 15,
                "\(category.code)")
        }
        #expect(taxonomy.dispatchable.allSatisfy { $0.limits?.dispatch.unit != .workingDays })
    }

    @Test func jsonRoundTrip() throws {
        let json = try taxonomy.encodedJSON()
        let text = String(decoding: json, as: UTF8.self)
        #expect(text.contains("\"responsible_kind\" : \"fire_rescue\""))
        #expect(text.contains("\"unit\" : \"working_days\""))
        let again = try CategoryTaxonomy.decode(json: json)
        #expect(again.all == taxonomy.all)
    }

    private func leaf(_ code: String, parent: String? = "g") -> Category {
        Category(
            code: code, nameZh: "叶", nameEn: "Leaf", parentCode: parent, responsibleKind: .police,
            responsibleLevel: .street,
            limits: StepLimits(
                dispatch: .minutes(30), handle: .hours(2), verify: .workingDays(1), overall: .workingDays(3)))
    }
    private let group = Category(code: "g", nameZh: "组", nameEn: "Group")

    @Test func validationErrors() {
        #expect(throws: CategoryError.invalidCode("Noise")) {
            try CategoryTaxonomy(categories: [leaf("Noise", parent: nil)])
        }
        #expect(throws: CategoryError.invalidCode(String(repeating: "a", count: 65))) {
            try CategoryTaxonomy(categories: [leaf(String(repeating: "a", count: 65), parent: nil)])
        }
        #expect(throws: CategoryError.invalidCode("")) { try CategoryTaxonomy(categories: [leaf("", parent: nil)]) }
        #expect(throws: CategoryError.duplicateCode("g.a")) {
            try CategoryTaxonomy(categories: [group, leaf("g.a"), leaf("g.a")])
        }
        #expect(throws: CategoryError.unknownParent(code: "g.a", parentCode: "g")) {
            try CategoryTaxonomy(categories: [leaf("g.a")])
        }
        #expect(throws: CategoryError.leafNotDispatchable("g")) { try CategoryTaxonomy(categories: [group]) }
        var a = Category(code: "a", nameZh: "甲", nameEn: "A", parentCode: "b")
        let b = Category(code: "b", nameZh: "乙", nameEn: "B", parentCode: "a")
        #expect(throws: CategoryError.cycle(["a", "b"])) {
            try CategoryTaxonomy(categories: [a, b, leaf("a.x", parent: "a")])
        }
        a.parentCode = "a"
        #expect(throws: CategoryError.cycle(["a"])) { try CategoryTaxonomy(categories: [a, leaf("a.x", parent: "a")]) }
        var half = leaf("g.h")
        half.responsibleLevel = nil
        #expect(throws: CategoryError.incompleteResponsibility("g.h")) {
            try CategoryTaxonomy(categories: [group, half])
        }
        var zero = leaf("g.z")
        zero.limits?.handle = .hours(0)
        #expect(throws: CategoryError.nonPositiveLimit(code: "g.z", step: "handle", value: 0)) {
            try CategoryTaxonomy(categories: [group, zero])
        }
        #expect(CategoryError.cycle(["a", "b"]).description == "Categories form a parent cycle: a -> b -> a.")
    }

    @Test func decodeErrorsAndDefaults() throws {
        #expect(throws: CategoryError.self) { try CategoryTaxonomy.decode(json: Data("[]".utf8)) }
        let minimal = #"""
            {"version":1,"categories":[{"code":"g","name_zh":"组","name_en":"Group"},
            {"code":"g.a","name_zh":"甲","name_en":"A","parent_code":"g","responsible_kind":"water","responsible_level":"district",
             "limits":{"dispatch":{"value":15,"unit":"minutes"},"handle":{"value":4,"unit":"hours"},
                       "verify":{"value":1,"unit":"working_days"},"overall":{"value":2,"unit":"working_days"}}}]}
            """#
        let parsed = try CategoryTaxonomy.decode(json: Data(minimal.utf8))
        #expect(parsed["g.a"]?.priority == .normal)
        #expect(parsed["g.a"]?.clock == .officeHours)
        #expect(parsed["g.a"]?.triggers == [])
        let bad = minimal.replacingOccurrences(of: "\"water\"", with: "\"plumber\"")
        do {
            _ = try CategoryTaxonomy.decode(json: Data(bad.utf8))
            Issue.record("expected an error")
        } catch let error as CategoryError {
            #expect(
                error.description.contains("categories.1.responsible_kind")
                    || error.description.contains("responsibleKind"))
        }
    }

    @Test func limitPerCaseStep() throws {
        let limits = try #require(taxonomy["road.bridge_ice"]?.limits)
        #expect(limits.limit(for: .dispatch) == .minutes(10))
        #expect(limits.limit(for: .handle) == .hours(2))
        #expect(limits.limit(for: .verify) == .hours(4))
        #expect(limits.limit(for: .register) == nil && limits.limit(for: .close) == nil)
    }

    @Test func priorityOrder() {
        #expect(CasePriority.allCases.sorted() == [.urgent, .high, .normal, .low])
    }
}
