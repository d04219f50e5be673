import Foundation
import Testing

@testable import CityDomain

@Suite("Point in Shanghai district polygons (bundled WGS84 GeoJSON)")
struct BoundaryIndexTests {
    let districts: BoundaryIndex

    init() throws { districts = try BoundaryIndex.shanghaiDistricts() }

    @Test func loadsSixteenDistricts() {
        #expect(districts.regionCodes.count == 16)
        #expect(districts.regionCodes.first == "310101")
        #expect(districts.boundaries.first { $0.regionCode == "310151" }?.polygons.count == 5)
        let huangpu = districts.outline(of: "310101")
        #expect(huangpu.count == 1)
        #expect(huangpu[0].longitudes.count == huangpu[0].latitudes.count)
        #expect(huangpu[0].longitudes.first == huangpu[0].longitudes.last)
        #expect(districts.outline(of: "999").isEmpty)
    }

    @Test(
        "Real points land in their district",
        arguments: [
            (31.2304, 121.4737, "310101"),  // People's Square, 黄浦区
            (31.2397, 121.4998, "310115"),  // Lujiazui, 浦东新区
            (31.62, 121.40, "310151"),  // Chongming island, 崇明区
            (31.1955, 121.4365, "310104"),  // Xujiahui, 徐汇区
            (31.1443, 121.8083, "310115"),  // Pudong airport
            (31.03, 121.22, "310117"),  // Songjiang
            (30.74, 121.34, "310116"),  // Jinshan
        ])
    func locatesDistricts(latitude: Double, longitude: Double, code: String) throws {
        #expect(districts.regions(containing: try GeoPoint(latitude: latitude, longitude: longitude)) == [code])
    }

    @Test(
        "Points outside Shanghai or at sea are in no polygon",
        arguments: [
            (30.27, 120.15),  // Hangzhou
            (39.9042, 116.4074),  // Beijing
            (0.0, 0.0),
            (31.0, 122.3),  // East China Sea
        ])
    func outside(latitude: Double, longitude: Double) throws {
        #expect(districts.regions(containing: try GeoPoint(latitude: latitude, longitude: longitude)).isEmpty)
    }

    @Test func holesAreOutside() throws {
        let outer = GeoRing(longitudes: [0, 10, 10, 0, 0], latitudes: [0, 0, 10, 10, 0])
        let hole = GeoRing(longitudes: [4, 6, 6, 4, 4], latitudes: [4, 4, 6, 6, 4])
        let index = BoundaryIndex(boundaries: [
            RegionBoundary(regionCode: "A", polygons: [GeoPolygon(exterior: outer, holes: [hole])])
        ])
        #expect(index.regions(containing: try GeoPoint(latitude: 5, longitude: 5)).isEmpty)
        #expect(index.regions(containing: try GeoPoint(latitude: 2, longitude: 2)) == ["A"])
        #expect(index.regions(containing: try GeoPoint(latitude: 11, longitude: 2)).isEmpty)
    }

    @Test func addingImportedPolygons() throws {
        let square = GeoRing(
            longitudes: [121.53, 121.56, 121.56, 121.53, 121.53], latitudes: [31.17, 31.17, 31.20, 31.20, 31.17])
        let more = districts.adding([RegionBoundary(regionCode: "310115105", polygons: [GeoPolygon(exterior: square)])])
        #expect(
            more.regions(containing: try GeoPoint(latitude: 31.188, longitude: 121.545)) == ["310115", "310115105"])
        #expect(districts.regionCodes.count == 16)
    }
}
