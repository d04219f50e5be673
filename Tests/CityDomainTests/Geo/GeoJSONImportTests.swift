import Foundation
import Testing

@testable import CityDomain

@Suite("GeoJSON import and its errors")
struct GeoJSONImportTests {
    private func collection(_ features: String) -> Data {
        Data(#"{"type":"FeatureCollection","features":[\#(features)]}"#.utf8)
    }
    private let square = "[[[0,0],[1,0],[1,1],[0,1],[0,0]]]"

    @Test func importsPolygonAndMultiPolygonWithStringOrIntegerCodes() throws {
        let data = collection(
            """
            {"type":"Feature","properties":{"code":"G1"},"geometry":{"type":"Polygon","coordinates":\(square)}},
            {"type":"Feature","properties":{"code":42},"geometry":{"type":"MultiPolygon","coordinates":[\(square),\(square)]}},
            {"type":"Feature","properties":{"code":"G1"},"geometry":{"type":"Polygon","coordinates":\(square)}}
            """)
        let boundaries = try GeoJSONImport.boundaries(from: data, codeProperty: "code")
        #expect(boundaries.map(\.regionCode) == ["G1", "42"])
        #expect(boundaries.map(\.polygons.count) == [2, 2])
    }

    @Test func errorsNameTheFeatureAndTheProblem() {
        #expect(throws: GeoJSONError.notFeatureCollection(found: "Feature")) {
            try GeoJSONImport.boundaries(from: Data(#"{"type":"Feature"}"#.utf8), codeProperty: "code")
        }
        #expect(throws: GeoJSONError.missingCode(feature: 0, property: "adcode")) {
            try GeoJSONImport.boundaries(
                from: collection(
                    #"{"type":"Feature","properties":{"name":"x"},"geometry":{"type":"Polygon","coordinates":\#(square)}}"#
                ),
                codeProperty: "adcode")
        }
        #expect(throws: GeoJSONError.unsupportedGeometry(feature: 1, type: "Point")) {
            try GeoJSONImport.boundaries(
                from: collection(
                    """
                    {"type":"Feature","properties":{"c":"a"},"geometry":{"type":"Polygon","coordinates":\(square)}},
                    {"type":"Feature","properties":{"c":"b"},"geometry":{"type":"Point","coordinates":[1,2]}}
                    """), codeProperty: "c")
        }
        #expect(throws: GeoJSONError.missingGeometry(feature: 0)) {
            try GeoJSONImport.boundaries(
                from: collection(#"{"type":"Feature","properties":{"c":"a"},"geometry":null}"#), codeProperty: "c")
        }
        #expect(
            throws: GeoJSONError.invalidRing(
                feature: 0, polygon: 0, ring: 0, reason: "ring is not closed: its last position differs from its first")
        ) {
            try GeoJSONImport.boundaries(
                from: collection(
                    #"{"properties":{"c":"a"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}}"#
                ),
                codeProperty: "c")
        }
        #expect(
            throws: GeoJSONError.invalidRing(
                feature: 0, polygon: 0, ring: 1, reason: "ring has 3 positions, at least 4 are required")
        ) {
            try GeoJSONImport.boundaries(
                from: collection(
                    #"{"properties":{"c":"a"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]],[[0,0],[1,1],[0,0]]]}}"#
                ),
                codeProperty: "c")
        }
        #expect(throws: GeoJSONError.coordinateOutOfRange(feature: 0, longitude: 200, latitude: 0)) {
            try GeoJSONImport.boundaries(
                from: collection(
                    #"{"properties":{"c":"a"},"geometry":{"type":"Polygon","coordinates":[[[200,0],[1,0],[1,1],[200,0]]]}}"#
                ),
                codeProperty: "c")
        }
        #expect(
            throws: GeoJSONError.invalidRing(
                feature: 0, polygon: 1, ring: 0,
                reason: "position 2 is not an array of at least two numbers [longitude, latitude]")
        ) {
            try GeoJSONImport.boundaries(
                from: collection(
                    #"{"properties":{"c":"a"},"geometry":{"type":"MultiPolygon","coordinates":[\#(square),[[[0,0],[1,0],["x",1],[0,0]]]]}}"#
                ),
                codeProperty: "c")
        }
    }

    @Test func invalidJSONKeepsTheDecoderMessage() {
        do {
            _ = try GeoJSONImport.boundaries(from: Data("{not json".utf8), codeProperty: "c")
            Issue.record("expected an error")
        } catch let error as GeoJSONError {
            guard case .invalidJSON = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(error.description.hasPrefix("GeoJSON could not be decoded"))
        } catch { Issue.record("wrong error type \(error)") }
    }

    @Test func messages() {
        #expect(
            GeoJSONError.unsupportedGeometry(feature: 3, type: "LineString").description
                == "Feature 3: geometry type \"LineString\" is not supported; use Polygon or MultiPolygon.")
    }
}
