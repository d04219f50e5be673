import Foundation
import Testing

@testable import CityDomain

@Suite("Shanghai region hierarchy from the bundled NBS 2022 codes")
struct ShanghaiHierarchyTests {
    let shanghai: RegionHierarchy

    init() throws { shanghai = try RegionHierarchy.shanghai() }

    @Test func rootAndCounts() {
        #expect(shanghai.root.code == "310000")
        #expect(shanghai.root.nameZh == "上海市")
        #expect(shanghai.regions(at: .district).count == 16)
        #expect(shanghai.regions(at: .street).count == 234)
        #expect(shanghai.count == 251)
        #expect(shanghai.regions(at: .street).filter(RegionHierarchy.isStatisticalUnit).count == 19)
    }

    @Test(
        "Per-district counts as listed in the data set's PROVENANCE",
        arguments: [
            ("310101", 10), ("310104", 14), ("310105", 10), ("310106", 14), ("310107", 10), ("310109", 8),
            ("310110", 12), ("310112", 14), ("310113", 13), ("310114", 12), ("310115", 42), ("310116", 11),
            ("310117", 20), ("310118", 11), ("310120", 12), ("310151", 21),
        ])
    func streetsPerDistrict(code: String, count: Int) {
        #expect(shanghai.children(of: code).count == count)
        #expect(shanghai.children(of: code).allSatisfy { $0.parentCode == code && $0.level == .street })
    }

    @Test func parentsAndAncestors() throws {
        let beicai = try #require(shanghai["310115105"])
        #expect(beicai.nameZh == "北蔡镇")
        #expect(beicai.parentCode == "310115")
        #expect(shanghai.ancestors(of: "310115105").map(\.code) == ["310115105", "310115", "310000"])
        #expect(shanghai.ancestor(of: "310115105", at: .district)?.nameZh == "浦东新区")
        #expect(shanghai.ancestor(of: "310115", at: .street) == nil)
        #expect(shanghai["310101002"]?.nameZh == "南京东路街道")
        #expect(shanghai.isWithin("310101002", ancestor: "310101"))
        #expect(shanghai.isWithin("310101", ancestor: "310101"))
        #expect(!shanghai.isWithin("310101002", ancestor: "310115"))
        #expect(!shanghai.isWithin("999", ancestor: "310000"))
        #expect(shanghai.ancestors(of: "nope").isEmpty)
    }

    @Test func stableOrder() {
        let all = shanghai.all
        #expect(all.first?.code == "310000")
        #expect(all[1].code == "310101")
        #expect(all[16].code == "310151")
        #expect(all[17].code == "310101002")
        #expect(all.last?.code == "310151501")
    }

    @Test func shortNames() {
        #expect(shanghai["310115"]?.shortNames == ["浦东"])
        #expect(shanghai["310101"]?.shortNames == ["黄浦"])
        #expect(shanghai["310115105"]?.shortNames == ["北蔡"])
        #expect(shanghai["310101002"]?.shortNames == ["南京东路"])
        #expect(shanghai["310000"]?.shortNames == ["上海"])
        // 唐镇 would shorten to one character; 新村乡 to the generic word 新村.
        let tang = shanghai.all.first { $0.nameZh == "唐镇" }
        #expect(tang?.shortNames == [])
        #expect(shanghai.all.first { $0.nameZh == "新村乡" }?.shortNames == [])
        #expect(shanghai.all.first { $0.nameZh == "川沙新镇" }?.shortNames == ["川沙"])
        #expect(shanghai.all.allSatisfy { $0.shortNames.allSatisfy { $0.count >= 2 } })
    }

    @Test func hongqiaoIsAmbiguous() {
        let gazetteer = RegionGazetteer(hierarchy: shanghai)
        #expect(gazetteer.codes(named: "虹桥") == ["310105009", "310112107"])
        #expect(gazetteer.codes(named: "虹桥镇") == ["310112107"])
    }

    @Test func addingGridCells() throws {
        let grid = Region(code: "310115105-G001", nameZh: "北蔡1号网格", level: .grid, parentCode: "310115105")
        let extended = try shanghai.adding([grid])
        #expect(extended.count == 252)
        #expect(extended.ancestors(of: grid.code).map(\.code) == [grid.code, "310115105", "310115", "310000"])
        #expect(extended.children(of: "310115105").map(\.code) == [grid.code])
        #expect(throws: RegionError.duplicateCode("310115105")) {
            try shanghai.adding([Region(code: "310115105", nameZh: "重复", level: .grid, parentCode: "310115105")])
        }
    }
}

@Suite("Region hierarchy validation")
struct RegionValidationTests {
    let city = Region(code: "1", nameZh: "市", level: .city, parentCode: nil)

    @Test func errors() {
        #expect(throws: RegionError.noRoot) {
            try RegionHierarchy(regions: [Region(code: "2", nameZh: "区", level: .district, parentCode: "1")])
        }
        #expect(throws: RegionError.multipleRoots(["1", "9"])) {
            try RegionHierarchy(regions: [city, Region(code: "9", nameZh: "另一市", level: .city, parentCode: nil)])
        }
        #expect(throws: RegionError.unknownParent(code: "2", parentCode: "7")) {
            try RegionHierarchy(regions: [city, Region(code: "2", nameZh: "区", level: .district, parentCode: "7")])
        }
        #expect(throws: RegionError.levelNotDeeper(code: "2", level: .city, parentCode: "1", parentLevel: .city)) {
            try RegionHierarchy(regions: [city, Region(code: "2", nameZh: "区", level: .city, parentCode: "1")])
        }
        #expect(throws: RegionError.duplicateCode("1")) { try RegionHierarchy(regions: [city, city]) }
        #expect(throws: RegionError.emptyField(code: "3", field: "nameZh")) {
            try RegionHierarchy(regions: [city, Region(code: "3", nameZh: "", level: .district, parentCode: "1")])
        }
    }

    @Test func messagesNameTheProblem() {
        let error = RegionError.unknownParent(code: "2", parentCode: "7")
        #expect(error.description == "Region 2 names parent 7, which is not in the hierarchy.")
    }

    @Test func levelsAreOrderedByDepth() {
        #expect(RegionLevel.city < .district && RegionLevel.district < .street && RegionLevel.street < .grid)
        #expect(RegionLevel.allCases.map(\.nameZh) == ["市", "区", "街镇", "网格"])
    }
}
