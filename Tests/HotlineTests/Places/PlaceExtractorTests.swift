import CityDomain
import Hotline
import Testing

/// Place extraction against Shanghai's bundled gazetteer (16 districts, 234 streets/towns) and a small road list.
struct PlaceExtractorTests {
    static let hierarchy: RegionHierarchy = try! RegionHierarchy.shanghai()
    static let roads = [
        RoadName(name: "莲溪路", regionCodes: ["310115105", "310115016"]),  // 北蔡镇, 花木街道
        RoadName(name: "虹桥路", regionCodes: ["310104", "310105"]),  // 徐汇区, 长宁区
        RoadName(name: "人民路", regionCodes: ["310101002", "310101015"]),
        RoadName(name: "沪闵路", regionCodes: ["310112"]),
    ]
    static let extractor = PlaceExtractor(hierarchy: hierarchy)
    static let withRoads = PlaceExtractor(hierarchy: hierarchy, roads: roads)

    @Test(arguments: [
        ("浦东新区北蔡镇莲溪路500弄工地夜间施工", "310115105"),
        ("北蔡这边的工地半夜打桩", "310115105"),
        ("浦东北蔡有个工地", "310115105"),
        ("我在浦东，楼上装修", "310115"),
        ("黄浦区南京东路街道有人占道经营", "310101002"),
        ("闵行区虹桥镇的小区停车乱", "310112107"),
        ("长宁虹桥街道路灯不亮", "310105009"),
        ("上海市徐汇区徐家汇街道", "310104014"),
    ])
    func resolvesTheDeepestRegion(text: String, expected: String) {
        let result = Self.extractor.extract(text)
        #expect(result.regionCode == expected, "\(text): \(result)")
        #expect(result.candidates.isEmpty)
    }

    @Test func ambiguousNameGivesCandidates() {
        let result = Self.extractor.extract("虹桥这边晚上施工太吵")
        #expect(result.regionCode == nil)
        #expect(result.candidates == ["310105009", "310112107"])
        #expect(result.mentions.map(\.text) == ["虹桥"])
    }

    @Test func conflictingDistrictsGiveCandidates() {
        let result = Self.extractor.extract("浦东新区和闵行区交界处的垃圾没人清运")
        #expect(result.regionCode == nil)
        #expect(result.candidates == ["310112", "310115"])
    }

    @Test func streetOutsideTheNamedDistrictIsAConflict() {
        let result = Self.extractor.extract("我住浦东，要投诉徐家汇街道的一个工地")
        #expect(result.regionCode == nil)
        #expect(result.candidates == ["310104014", "310115"])
    }

    @Test func twoStreetsInOneDistrictResolveToTheDistrict() {
        let result = Self.extractor.extract("北蔡镇和张江镇之间的路面塌陷")
        #expect(result.regionCode == "310115")
        #expect(result.candidates == ["310115105", "310115125"])
    }

    @Test func noPlaceLeavesTheReceivingCentre() {
        let result = Self.extractor.extract("楼上装修太吵了")
        #expect(result == PlaceResult(regionCode: nil, candidates: [], mentions: []))
        #expect(Self.extractor.extract("上海这边的12345").regionCode == nil)
    }

    @Test func roadNarrowsWithTheStreet() {
        #expect(Self.withRoads.extract("莲溪路上有个大坑").candidates == ["310115016", "310115105"])
        #expect(Self.withRoads.extract("莲溪路上有个大坑").regionCode == "310115")
        #expect(Self.withRoads.extract("北蔡镇莲溪路上有个大坑").regionCode == "310115105")
    }

    @Test func roadBeatsTheShorterRegionName() {
        let result = Self.withRoads.extract("虹桥路上乱停车")
        #expect(result.mentions.map(\.text) == ["虹桥路"])
        #expect(result.mentions.first?.isRoad == true)
        #expect(result.candidates == ["310104", "310105"])
        #expect(Self.withRoads.extract("长宁区虹桥路乱停车").regionCode == "310105")
    }

    @Test func roadWithADistrictCodeActsAsADistrict() {
        #expect(Self.withRoads.extract("沪闵路七宝段积水").regionCode == "310112102")
    }

    @Test func fullWidthSpacesAndCaseDoNotHide() {
        #expect(Self.extractor.extract("浦东新区　北蔡镇").regionCode == "310115105")
    }
}
