import Foundation
import Testing

@testable import CityDomain

@Suite("Map projection and grid clustering")
struct MapClusteringTests {
    static func point(_ id: Int, _ x: Double, _ y: Double, flagged: Bool = false, area: String = "a") -> MapPoint {
        MapPoint(id: id, x: x, y: y, flagged: flagged, area: area)
    }

    @Test func theProjectionPutsTheBoxCornersAtTheCanvasCorners() {
        let box = BoundingBox(minLatitude: 31.0, maxLatitude: 31.5, minLongitude: 121.0, maxLongitude: 122.0)
        let map = MapProjection(box: box, width: 800)
        #expect(map.width == 800)
        // East–west degrees shrink by cos(31.25°) = 0.8549: 1° × 0.8549 is 800 units, so 0.5° of latitude is 467.88 (468 rounded up).
        #expect(map.height == 468)
        let northWest = map.project(latitude: 31.5, longitude: 121.0)
        #expect(abs(northWest.x) < 1e-9 && abs(northWest.y) < 1e-9)
        let southEast = map.project(latitude: 31.0, longitude: 122.0)
        #expect(abs(southEast.x - 800) < 1e-9)
        #expect(abs(southEast.y - 467.88) < 0.01)
    }

    @Test func aTallAreaIsFittedIntoTheMaximumHeight() {
        let box = BoundingBox(minLatitude: 31.0, maxLatitude: 31.4, minLongitude: 121.0, maxLongitude: 121.1)
        let map = MapProjection(box: box, width: 800, maxHeight: 600)
        #expect(map.height == 600)
        #expect(map.width < 800)
        let south = map.project(latitude: 31.0, longitude: 121.1)
        #expect(abs(south.y - 600) < 1e-9)
        #expect(south.x <= map.width)
    }

    @Test func aLonePointIsDrawnWhereItIs() {
        let marks = MapClustering.marks([Self.point(7, 10.5, 20.25, flagged: true)], cell: 16, maxMarks: 500)
        #expect(
            marks == [MapMark(x: 10.5, y: 20.25, count: 1, flagged: 1, firstID: 7, area: "a", areaCount: 1)])
        #expect(marks.first?.isSingle == true)
    }

    @Test func nearPointsClusterAtTheirMeanAndFarPointsStayApart() {
        let marks = MapClustering.marks(
            [
                Self.point(3, 1, 1, area: "s1"), Self.point(1, 5, 3, flagged: true, area: "s2"),
                Self.point(2, 9, 2, area: "s2"), Self.point(9, 300, 300),
            ], cell: 16, maxMarks: 500)
        #expect(marks.count == 2)
        // The unflagged single first, the flagged cluster last (drawn on top).
        #expect(marks[0] == MapMark(x: 300, y: 300, count: 1, flagged: 0, firstID: 9, area: "a", areaCount: 1))
        #expect(marks[1] == MapMark(x: 5, y: 2, count: 3, flagged: 1, firstID: 1, area: "s2", areaCount: 2))
    }

    @Test func aClusterNamesTheAreaMostOfItLiesInTiesGoingToTheSmallestCode() {
        let marks = MapClustering.marks(
            [Self.point(1, 1, 1, area: "b"), Self.point(2, 2, 2, area: "a")], cell: 16, maxMarks: 500)
        #expect(marks.map(\.area) == ["a"])
        #expect(marks.map(\.areaCount) == [2])
    }

    @Test func theNumberOfMarksNeverExceedsTheCap() {
        var random = SystemRandomNumberGenerator()
        let points = (0..<20_000).map {
            Self.point(
                $0, Double.random(in: 0..<800, using: &random), Double.random(in: 0..<800, using: &random),
                flagged: $0 % 97 == 0)
        }
        for cap in [1, 7, 100, 500] {
            let marks = MapClustering.marks(points, cell: 8, maxMarks: cap)
            #expect(marks.count <= cap, "cap \(cap)")
            #expect(marks.map(\.count).reduce(0, +) == points.count)
            #expect(marks.map(\.flagged).reduce(0, +) == points.filter(\.flagged).count)
        }
    }

    @Test func pointsWithoutUsableCoordinatesAreLeftOut() {
        #expect(MapClustering.marks([], cell: 16, maxMarks: 500).isEmpty)
        let marks = MapClustering.marks(
            [Self.point(1, .nan, 3), Self.point(2, 4, .infinity), Self.point(3, 4, 4)], cell: 0, maxMarks: 0)
        #expect(marks.map(\.firstID) == [3])
    }
}
