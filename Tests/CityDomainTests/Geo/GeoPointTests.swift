import Foundation
import Testing

@testable import CityDomain

@Suite("WGS84 points and haversine distance")
struct GeoPointTests {
    @Test func validatesRanges() throws {
        #expect(throws: GeoError.invalidCoordinate(latitude: 91, longitude: 0)) {
            try GeoPoint(latitude: 91, longitude: 0)
        }
        #expect(throws: GeoError.invalidCoordinate(latitude: 0, longitude: -180.5)) {
            try GeoPoint(latitude: 0, longitude: -180.5)
        }
        #expect(throws: GeoError.self) { try GeoPoint(latitude: .nan, longitude: 121) }
        #expect(throws: GeoError.self) { try GeoPoint(latitude: 31, longitude: .infinity) }
        _ = try GeoPoint(latitude: -90, longitude: 180)
    }

    @Test func decodingValidates() throws {
        let ok = try JSONDecoder().decode(GeoPoint.self, from: Data(#"{"latitude":31.2304,"longitude":121.4737}"#.utf8))
        #expect(ok == (try GeoPoint(latitude: 31.2304, longitude: 121.4737)))
        #expect(throws: GeoError.self) {
            try JSONDecoder().decode(GeoPoint.self, from: Data(#"{"latitude":121.4737,"longitude":31.2304}"#.utf8))
        }
    }

    @Test func haversineDistances() throws {
        let equator = try GeoPoint(latitude: 0, longitude: 0)
        // One degree of arc on a sphere of 6 371 008.8 m: 2πR/360 = 111 195.08 m.
        #expect(abs(equator.distance(to: try GeoPoint(latitude: 0, longitude: 1)) - 111_195.08) < 0.01)
        let peoplesSquare = try GeoPoint(latitude: 31.2304, longitude: 121.4737)
        let lujiazui = try GeoPoint(latitude: 31.2397, longitude: 121.4998)
        #expect(abs(peoplesSquare.distance(to: lujiazui) - 2_688.36) < 0.5)
        #expect(peoplesSquare.distance(to: peoplesSquare) == 0)
        let beijing = try GeoPoint(latitude: 39.9042, longitude: 116.4074)
        #expect(abs(peoplesSquare.distance(to: beijing) - 1_067_311.6) < 1)
    }
}
