import Foundation
import Testing

@testable import CityDomain

@Suite("Standard unit catalogue for Shanghai")
struct UnitCatalogueTests {
    let shanghai: RegionHierarchy
    let units: [Unit]

    init() throws {
        shanghai = try RegionHierarchy.shanghai()
        units = UnitCatalogue.standard(for: shanghai)
    }

    private func unit(_ code: String) -> Unit? { units.first { $0.code == code } }

    @Test func countsPerLevel() {
        // 19 kinds at the city and each district: 13 operations kinds, education and health (the router's labels,
        // issue 10), 3 more government-service departments (issue 13) and the meteorological service (issue 15).
        #expect(units.count == 19 + 16 * 19 + 215 * 6 + 19)
        #expect(Set(units.map(\.code)).count == units.count)
        #expect(units.filter { $0.regionCode == "310000" }.count == UnitKind.allCases.count)
        #expect(units.filter { $0.regionCode == "310115105" }.map(\.kind) == UnitCatalogue.streetKinds)
        // 张江高科技园区, a statistical unit, has only an operations centre.
        #expect(units.filter { $0.regionCode == "310115503" }.map(\.kind) == [.operationsCentre])
        #expect(units.filter { $0.kind == .operationsCentre }.count == 1 + 16 + 234)
    }

    @Test func realisticNames() {
        #expect(unit("310000.operations_centre")?.nameZh == "上海市城市运行管理中心")
        #expect(unit("310115.operations_centre")?.nameZh == "浦东新区城市运行管理中心")
        #expect(unit("310115105.operations_centre")?.nameZh == "北蔡镇城市运行管理中心")
        #expect(unit("310115.urban_management")?.nameZh == "浦东新区城管执法局")
        #expect(unit("310115105.urban_management")?.nameZh == "北蔡镇城管执法中队")
        #expect(unit("310115.police")?.nameZh == "浦东公安分局")
        #expect(unit("310115105.police")?.nameZh == "北蔡派出所")
        #expect(unit("310115.traffic_police")?.nameZh == "浦东新区交警支队")
        #expect(unit("310115.housing")?.nameZh == "浦东新区房管局")
        #expect(unit("310115105.housing")?.nameZh == "北蔡镇房管办")
        #expect(unit("310101002.police")?.nameZh == "南京东路派出所")
        #expect(unit("310101.police")?.nameZh == "黄浦公安分局")
        #expect(unit("310115105.traffic_police") == nil)
        #expect(unit("310115105.urban_management")?.nameEn == "Beicai Town urban management enforcement")
        #expect(unit("310115.water")?.nameEn == "Pudong New Area water authority")
        #expect(unit("310115.medical_insurance")?.nameZh == "浦东新区医疗保障局")
        #expect(unit("310000.health")?.nameZh == "上海市卫生健康委员会")
        #expect(unit("310115105.health") == nil)
        #expect(unit("310000.meteorology")?.nameZh == "上海市气象局")
    }

    @Test func kindNames() {
        #expect(UnitKind.allCases.count == 19)
        #expect(UnitKind.education.nameZh == "教育" && UnitKind.health.nameEn == "health commission")
        #expect(UnitKind.urbanManagement.nameZh == "城管执法")
        #expect(UnitKind.cultureTourism.nameZh == "文化旅游执法")
        #expect(UnitKind(rawValue: "operations_centre") == .operationsCentre)
        #expect(Unit.code(regionCode: "310115", kind: .urbanManagement) == "310115.urban_management")
    }
}
