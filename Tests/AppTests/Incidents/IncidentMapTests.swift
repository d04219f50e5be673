import CityDomain
import Foundation
import Testing
import VaporTesting

@testable import App

/// The incident room's map (``IncidentMap``): outlines of the incident's regions (a street's district when the street
/// has no boundary of its own), and resources placed by their state.
@Suite("Incident room map")
struct IncidentMapTests {
    @Test func resourcesArePlacedByStateAndAStreetIsDrawnAsItsDistrict() async throws {
        try await TestApp.withApp { app, _ in
            let point = try GeoPoint(latitude: 31.3520, longitude: 121.6000)
            let depot = (lat: 31.2000, long: 121.4500)
            func bus(_ id: Int, _ state: AssignmentState) -> IncidentMap.Resource {
                .init(
                    assignmentID: id, name: "bus \(id)", depot: "depot A", latitude: depot.lat,
                    longitude: depot.long, state: state)
            }
            let map = IncidentMap(
                regionCodes: ["310115105"], center: point, radiusMeters: 3000,
                resources: [bus(1, .requested), bus(2, .dispatched), bus(3, .arrived), bus(4, .released)],
                boundaries: app.reference.boundaries, hierarchy: app.reference.hierarchy)
            #expect(map.outlines.map(\.code) == ["310115"])  // 北蔡镇 drawn as Pudong
            #expect(map.depots.count == 1)
            let dots = Dictionary(uniqueKeysWithValues: map.dots.map { ($0.id, $0) })
            let home = try #require(dots[1])
            let centerX = try #require(map.centerX)
            let centerY = try #require(map.centerY)
            #expect(abs((map.depots[0].x + 4) - home.x) < 0.2 && abs((map.depots[0].y + 4) - home.y) < 0.2)
            let halfway = try #require(dots[2])
            #expect(abs(halfway.x - (home.x + centerX) / 2) < 0.2 && abs(halfway.y - (home.y + centerY) / 2) < 0.2)
            let arrived = try #require(dots[3])
            #expect(arrived.x == centerX && arrived.y == centerY)
            let released = try #require(dots[4])  // back at the depot, beside the requested one
            let gap = ((released.x - home.x) * (released.x - home.x) + (released.y - home.y) * (released.y - home.y))
                .squareRoot()
            #expect(gap > 1 && gap < 5)
            #expect(map.dots.map(\.state) == ["requested", "dispatched", "arrived", "released"])
            #expect(map.width == 600 && map.height >= 240)
            #expect(map.dots.allSatisfy { (0...600).contains($0.x) && (0...Double(map.height)).contains($0.y) })
        }
    }
}
