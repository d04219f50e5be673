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

    /// Points gathered per cell of the first grid and per area (as the city screen's query counts them in the
    /// database) give the same marks as the points one by one, at every cap: counts, flags, ids, areas and the
    /// weighted mean positions.
    @Test func groupsCountedPerCellClusterAsTheirPoints() {
        var generator = SystemRandomNumberGenerator()
        var points: [MapPoint] = []
        for id in 1...600 {
            let near = id % 3 == 0  // a dense part, so clusters form
            points.append(
                Self.point(
                    id,
                    near
                        ? Double.random(in: 100..<140, using: &generator)
                        : Double.random(in: 0..<800, using: &generator),
                    near
                        ? Double.random(in: 200..<230, using: &generator)
                        : Double.random(in: 0..<600, using: &generator),
                    flagged: id % 7 == 0, area: id % 2 == 0 ? "east" : "west"))
        }
        let cell = 14.0
        struct Key: Hashable {
            var row: Int
            var column: Int
            var area: String
        }
        func key(_ point: MapPoint) -> Key {
            Key(
                row: Int((point.y / cell).rounded(.down)), column: Int((point.x / cell).rounded(.down)),
                area: point.area)
        }
        func group(_ members: [MapPoint]) -> MapPoint {
            let n = Double(members.count)
            let x = members.reduce(0.0) { $0 + $1.x } / n
            let y = members.reduce(0.0) { $0 + $1.y } / n
            let first = members.reduce(Int.max) { min($0, $1.id) }
            let flagged = members.filter { $0.flagged }.count
            return MapPoint(
                id: first, x: x, y: y, count: members.count, flaggedCount: flagged, area: members[0].area)
        }
        let groups = Dictionary(grouping: points, by: key).values.map(group)
        #expect(groups.count < points.count)
        for cap in [500, 160, 40, 5] {
            let one = MapClustering.marks(points, cell: cell, maxMarks: cap)
            let grouped = MapClustering.marks(groups, cell: cell, maxMarks: cap)
            #expect(one.count == grouped.count, "cap \(cap)")
            for (a, b) in zip(one, grouped) {
                #expect(
                    a.count == b.count && a.flagged == b.flagged && a.firstID == b.firstID && a.area == b.area
                        && a.areaCount == b.areaCount, "cap \(cap)")
                #expect(abs(a.x - b.x) < 1e-6 && abs(a.y - b.y) < 1e-6, "cap \(cap)")
            }
            #expect(grouped.reduce(0) { $0 + $1.count } == 600)
        }
    }

    @Test func theGridInDegreesMatchesTheCanvasCells() {
        let box = BoundingBox(minLatitude: 31.0, maxLatitude: 31.5, minLongitude: 121.0, maxLongitude: 122.0)
        let map = MapProjection(box: box, width: 800)
        let grid = map.grid(side: 14)
        for (latitude, longitude) in [(31.4, 121.2), (31.01, 121.93), (31.25, 121.5)] {
            let (x, y) = map.project(latitude: latitude, longitude: longitude)
            #expect(
                Int(((longitude - grid.westLongitude) / grid.longitudeStep).rounded(.down))
                    == Int((x / 14).rounded(.down)))
            #expect(
                Int(((grid.northLatitude - latitude) / grid.latitudeStep).rounded(.down))
                    == Int((y / 14).rounded(.down)))
        }
    }
}
