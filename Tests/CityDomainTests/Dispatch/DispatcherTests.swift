import Foundation
import Testing

@testable import CityDomain

@Suite("Dispatch: category and located region to the responsible unit")
struct DispatcherTests {
    let shanghai: RegionHierarchy
    let taxonomy: CategoryTaxonomy
    let units: [Unit]
    let dispatcher: Dispatcher

    init() throws {
        shanghai = try RegionHierarchy.shanghai()
        taxonomy = try CategoryTaxonomy.bundledDefault()
        units = UnitCatalogue.standard(for: shanghai)
        dispatcher = Dispatcher(hierarchy: shanghai, units: units)
    }

    private func category(_ code: String) throws -> CityDomain.Category { try #require(taxonomy[code]) }

    @Test(
        "Each noise scenario in 北蔡镇 reaches its unit",
        arguments: [
            ("noise.construction", "310115.urban_management"),
            ("noise.renovation", "310115105.housing"),
            ("noise.dog_barking", "310115105.police"),
            ("noise.entertainment_venue", "310115.culture_tourism"),
            ("noise.commercial_amplified", "310115105.market_regulation"),
            ("noise.street_vendor", "310115105.urban_management"),
            ("noise.traffic_horn", "310115.traffic_police"),
            ("noise.industrial", "310115.eco_environment"),
            ("noise.neighbourhood", "310115105.housing"),
            ("noise.square_dancing", "310115105.police"),
            ("noise.equipment", "310115.eco_environment"),
            ("noise.road_works_night", "310115.road_maintenance"),
            ("noise.residence_night", "310115105.police"),
        ])
    func noiseScenarios(code: String, unit: String) throws {
        let decision = try dispatcher.dispatch(category: category(code), regionCode: "310115105")
        #expect(decision.unitCode == unit)
        // Street vendors and neighbours are territorial (issue #10): the same unit, through the street centre.
        #expect(decision.rule == (try category(code).territorial ? "territorial_unit" : "kind_at_level"))
    }

    @Test func noiseScenariosSpreadOverUnits() throws {
        let noise = taxonomy.children(of: "noise")
        let targets = try noise.map { try dispatcher.dispatch(category: $0, regionCode: "310115105").unitCode }
        // 14 scenarios (public-facility noise added for issue 10 goes to the street's operations centre).
        #expect(noise.count == 14)
        #expect(Set(targets).count == 10)
        #expect(Set(noise.compactMap(\.responsibleKind)).count == 9)
    }

    @Test func otherCategories() throws {
        #expect(
            try dispatcher.dispatch(category: category("parking.fire_lane"), regionCode: "310101002").unitCode
                == "310101002.police")  // territorial since issue #10: the street's 派出所, not the district's fire corps
        #expect(
            try dispatcher.dispatch(category: category("traffic.stranded_passengers"), regionCode: "310105009").unitCode
                == "310000.transport")
        #expect(
            try dispatcher.dispatch(category: category("road.ponding"), regionCode: "310112107").unitCode
                == "310112.water")
        #expect(
            try dispatcher.dispatch(category: category("sanitation.garbage"), regionCode: "310112107").unitCode
                == "310112107.greening_sanitation")
    }

    @Test func reasonsAndFallbacks() throws {
        let decision = try dispatcher.dispatch(category: category("noise.dog_barking"), regionCode: "310115105")
        #expect(decision.reasonZh.contains("北蔡派出所"))
        #expect(decision.reasonEn.contains("310115105.police"))
        #expect(decision.fallbacks == ["310115.police", "310000.police", "310115105.operations_centre"])
    }

    @Test func fallsUpWhenTheStreetLacksTheKind() throws {
        let withoutStation = units.filter { $0.code != "310115105.police" }
        let decision = try Dispatcher(hierarchy: shanghai, units: withoutStation)
            .dispatch(category: category("noise.dog_barking"), regionCode: "310115105")
        #expect(decision.unitCode == "310115.police")
        #expect(decision.rule == "fallback_up")
        #expect(decision.reasonEn.contains("310115105 has none"))
        #expect(decision.reasonZh.contains("北蔡镇（310115105）没有"))
        // 张江高科技园区 (a statistical unit) has only a centre: its police case goes to the district branch.
        let zhangjiang = try dispatcher.dispatch(category: category("noise.dog_barking"), regionCode: "310115503")
        #expect(zhangjiang.unitCode == "310115.police")
        #expect(zhangjiang.rule == "fallback_up")
    }

    @Test func coarseAndFineLocations() throws {
        // Located only to the district: a street-level category goes to the district's unit.
        let district = try dispatcher.dispatch(category: category("noise.dog_barking"), regionCode: "310115")
        #expect(district.unitCode == "310115.police")
        #expect(district.rule == "kind_at_level")
        // Located to a grid cell: up to its street.
        let grid = Region(code: "310115105-G1", nameZh: "北蔡1号网格", level: .grid, parentCode: "310115105")
        let fine = Dispatcher(hierarchy: try shanghai.adding([grid]), units: units)
        #expect(
            try fine.dispatch(category: category("noise.dog_barking"), regionCode: grid.code).unitCode
                == "310115105.police")
        #expect(
            try fine.dispatch(category: category("noise.construction"), regionCode: grid.code).unitCode
                == "310115.urban_management")
    }

    @Test func operationsCentreWhenNoUnitOfTheKindExists() throws {
        let centres = units.filter { $0.kind == .operationsCentre }
        let decision = try Dispatcher(hierarchy: shanghai, units: centres)
            .dispatch(category: category("water.main_leak"), regionCode: "310115105")
        #expect(decision.unitCode == "310115105.operations_centre")
        #expect(decision.rule == "operations_centre")
        #expect(decision.fallbacks == ["310115.operations_centre", "310000.operations_centre"])
        #expect(throws: DispatchError.noUnit(regionCode: "310115105", kind: .water)) {
            try Dispatcher(hierarchy: shanghai, units: []).dispatch(
                category: category("water.main_leak"), regionCode: "310115105")
        }
    }

    @Test func errors() throws {
        #expect(throws: DispatchError.notDispatchable(categoryCode: "noise")) {
            try dispatcher.dispatch(category: category("noise"), regionCode: "310115105")
        }
        #expect(throws: DispatchError.unknownRegion("310199")) {
            try dispatcher.dispatch(category: category("noise.dog_barking"), regionCode: "310199")
        }
        #expect(
            DispatchRule.allCases.map(\.rawValue) == [
                "kind_at_level", "fallback_up", "operations_centre", "territorial_unit", "territorial_centre",
                "territorial_unlocated",
            ])
    }
}
