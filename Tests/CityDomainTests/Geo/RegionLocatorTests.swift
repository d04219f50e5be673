import Foundation
import Testing

@testable import CityDomain

@Suite("Locating reports: polygon, address text, reporter's choice")
struct RegionLocatorTests {
    let locator: RegionLocator

    init() throws {
        locator = RegionLocator(
            hierarchy: try RegionHierarchy.shanghai(), boundaries: try BoundaryIndex.shanghaiDistricts())
    }

    private func point(_ latitude: Double, _ longitude: Double) throws -> GeoPoint {
        try GeoPoint(latitude: latitude, longitude: longitude)
    }

    @Test func pointAloneStaysAtTheDistrict() throws {
        let located = try locator.locate(point: point(31.2304, 121.4737), addressText: nil, chosenRegionCode: nil)
        #expect(located == LocatedRegion(regionCode: "310101", method: .polygon))
    }

    @Test func addressTextRefinesThePointToAStreet() throws {
        let pudong = try point(31.188, 121.545)
        #expect(
            try locator.locate(point: pudong, addressText: "浦东新区北蔡镇莲溪路", chosenRegionCode: nil)
                == LocatedRegion(regionCode: "310115105", method: .addressText))
        #expect(
            try locator.locate(point: pudong, addressText: "北蔡这边路灯不亮", chosenRegionCode: nil).regionCode == "310115105")
        // A street of another district in the text does not move the point.
        #expect(
            try locator.locate(point: pudong, addressText: "南京东路街道", chosenRegionCode: nil)
                == LocatedRegion(regionCode: "310115", method: .polygon))
    }

    @Test func longestMatchWins() throws {
        let matches = locator.gazetteer.matches(in: "黄浦区南京东路街道附近")
        #expect(matches.map(\.name) == ["黄浦区", "南京东路街道"])
        #expect(locator.gazetteer.matches(in: "北外滩").map(\.codes) == [["310109018"]])
        #expect(locator.placeNames(in: "北外滩滨江").map(\.nameZh) == ["北外滩街道"])
        #expect(locator.placeNames(in: "上海市浦东新区北蔡镇").map(\.code) == ["310115105", "310115", "310000"])
    }

    @Test func hongqiaoIsAmbiguousWithoutADistrict() throws {
        let located = try locator.locate(point: nil, addressText: "虹桥那边有人占道经营", chosenRegionCode: nil)
        #expect(located.regionCode == "310000")
        #expect(located.candidates == ["310105009", "310112107"])
        #expect(
            try locator.locate(point: nil, addressText: "闵行区虹桥", chosenRegionCode: nil)
                == LocatedRegion(regionCode: "310112107", method: .addressText))
        #expect(try locator.locate(point: nil, addressText: "虹桥镇吴中路", chosenRegionCode: nil).regionCode == "310112107")
        // A point in 长宁区 settles it.
        #expect(
            try locator.locate(point: point(31.199, 121.41), addressText: "虹桥", chosenRegionCode: nil)
                == LocatedRegion(regionCode: "310105009", method: .addressText))
    }

    @Test func twoStreetsInOneDistrictStayAtTheDistrict() throws {
        let located = try locator.locate(point: point(31.188, 121.545), addressText: "北蔡和花木交界处", chosenRegionCode: nil)
        #expect(located.regionCode == "310115")
        #expect(located.method == .polygon)
        #expect(located.candidates == ["310115016", "310115105"])
    }

    @Test func reporterChoice() throws {
        let pudong = try point(31.188, 121.545)
        #expect(
            try locator.locate(point: pudong, addressText: nil, chosenRegionCode: "310115105")
                == LocatedRegion(regionCode: "310115105", method: .reporterChoice))
        #expect(throws: LocateError.conflict(chosenRegionCode: "310112107", locatedRegionCode: "310115")) {
            try locator.locate(point: pudong, addressText: nil, chosenRegionCode: "310112107")
        }
        #expect(throws: LocateError.unknownRegion("310199999")) {
            try locator.locate(point: pudong, addressText: nil, chosenRegionCode: "310199999")
        }
        #expect(
            try locator.locate(point: nil, addressText: "北蔡", chosenRegionCode: "310115")
                == LocatedRegion(regionCode: "310115105", method: .addressText))
        #expect(
            try locator.locate(point: nil, addressText: nil, chosenRegionCode: "310101002")
                == LocatedRegion(regionCode: "310101002", method: .reporterChoice))
    }

    @Test func textAlone() throws {
        #expect(
            try locator.locate(point: nil, addressText: "浦东新区某小区", chosenRegionCode: nil)
                == LocatedRegion(regionCode: "310115", method: .district))
        #expect(
            try locator.locate(point: nil, addressText: "南京东路街道", chosenRegionCode: nil)
                == LocatedRegion(regionCode: "310101002", method: .addressText))
        #expect(throws: LocateError.noLocation) {
            try locator.locate(point: nil, addressText: "楼下很吵", chosenRegionCode: nil)
        }
        #expect(throws: LocateError.noLocation) {
            try locator.locate(point: nil, addressText: nil, chosenRegionCode: nil)
        }
    }

    @Test func outsideCoverage() throws {
        #expect(throws: LocateError.outsideCoverage(latitude: 30.27, longitude: 120.15)) {
            try locator.locate(point: point(30.27, 120.15), addressText: "浦东新区", chosenRegionCode: nil)
        }
        #expect(
            LocateError.outsideCoverage(latitude: 0, longitude: 0).description.contains("outside every covered region"))
    }

    @Test func deepestImportedPolygonWins() throws {
        let square = GeoRing(
            longitudes: [121.53, 121.56, 121.56, 121.53, 121.53], latitudes: [31.17, 31.17, 31.20, 31.20, 31.17])
        let streets = try BoundaryIndex.shanghaiDistricts()
            .adding([RegionBoundary(regionCode: "310115105", polygons: [GeoPolygon(exterior: square)])])
        let fine = RegionLocator(hierarchy: locator.hierarchy, boundaries: streets)
        #expect(
            try fine.locate(point: point(31.188, 121.545), addressText: nil, chosenRegionCode: nil)
                == LocatedRegion(regionCode: "310115105", method: .polygon))
        // A choice elsewhere in the same district does not override the finer polygon; another district conflicts.
        #expect(
            try fine.locate(point: point(31.188, 121.545), addressText: nil, chosenRegionCode: "310115016").regionCode
                == "310115105")
    }
}
