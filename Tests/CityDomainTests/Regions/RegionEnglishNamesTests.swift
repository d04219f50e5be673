import CityDomain
import Testing

@Suite struct RegionEnglishNamesTests {
    @Test func everyBundledRegionHasAnEnglishName() throws {
        let hierarchy = try RegionHierarchy.shanghai()
        #expect(RegionEnglishNames.shanghai.count == 251)
        let codes = hierarchy.subtree(of: RegionHierarchy.shanghaiCityCode)
        #expect(codes.count == 251)
        for code in codes { #expect(RegionEnglishNames.shanghai[code] != nil, "no English name for \(code)") }
    }

    @Test func officialDistrictNamesAndPolyphonesReadRight() throws {
        let hierarchy = try RegionHierarchy.shanghai()
        let expected = [
            "310000": "Shanghai", "310115": "Pudong New Area", "310106": "Jing'an District",
            "310112": "Minhang District", "310105": "Changning District",
            // 行 read hang, 重 read chong in these place names (pinyin tools get them wrong).
            "310113103": "Yanghang Town", "310118109": "Chonggu Town", "310115105": "Beicai Town",
        ]
        for (code, name) in expected { #expect(hierarchy[code]?.nameEn == name) }
    }

    @Test func aRegionWithoutOneFallsBackToChinese() {
        let cell = Region(code: "grid-1", nameZh: "北蔡1号网格", level: .grid, parentCode: "310115105")
        #expect(cell.nameEn == "北蔡1号网格")
    }
}
