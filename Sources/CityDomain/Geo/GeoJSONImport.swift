import Foundation

/// Reads region boundaries from a GeoJSON `FeatureCollection` (RFC 7946) of `Polygon`/`MultiPolygon` features.
public enum GeoJSONImport {
    /// Parses boundaries, one per distinct region code; features sharing a code are merged into one multipolygon.
    /// - Parameters:
    ///   - data: UTF-8 GeoJSON; positions are `[longitude, latitude]` in degrees (WGS84 expected, not checked).
    ///   - codeProperty: the feature property holding the region code (`adcode` in DataV files); a string or an
    ///     integer value (310101 becomes `"310101"`).
    /// - Returns: boundaries in the order their codes first appear.
    /// - Throws: ``GeoJSONError`` naming the feature (0-based index) and what is wrong with it.
    public static func boundaries(from data: Data, codeProperty: String) throws -> [RegionBoundary] {
        let collection: GeoJSONRawCollection
        do {
            collection = try JSONDecoder().decode(GeoJSONRawCollection.self, from: data)
        } catch let error as DecodingError {
            throw GeoJSONError.invalidJSON(Self.describe(error))
        }
        guard collection.type == "FeatureCollection" else {
            throw GeoJSONError.notFeatureCollection(found: collection.type)
        }
        guard let features = collection.features else {
            throw GeoJSONError.invalidJSON("the FeatureCollection has no \"features\" array")
        }
        var order: [String] = []
        var polygonsByCode: [String: [GeoPolygon]] = [:]
        for (index, feature) in features.enumerated() {
            guard let code = feature.properties?[codeProperty]?.codeString else {
                throw GeoJSONError.missingCode(feature: index, property: codeProperty)
            }
            guard let geometry = feature.geometry else { throw GeoJSONError.missingGeometry(feature: index) }
            let polygons = try GeoJSONGeometryParser(feature: index).polygons(of: geometry)
            if polygonsByCode[code] == nil { order.append(code) }
            polygonsByCode[code, default: []].append(contentsOf: polygons)
        }
        return order.map { RegionBoundary(regionCode: $0, polygons: polygonsByCode[$0] ?? []) }
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context), .typeMismatch(_, let context), .valueNotFound(_, let context),
            .keyNotFound(_, let context):
            let path = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "at \(path): \(context.debugDescription)"
        @unknown default:
            return String(describing: error)
        }
    }
}

/// The loose shape of a GeoJSON document: checked by hand afterwards so errors can name the feature.
struct GeoJSONRawCollection: Decodable {
    var type: String?
    var features: [GeoJSONRawFeature]?
}

struct GeoJSONRawFeature: Decodable {
    var properties: [String: JSONValue]?
    var geometry: GeoJSONRawGeometry?
}

struct GeoJSONRawGeometry: Decodable {
    var type: String?
    /// Fast path: well-formed `Polygon` coordinates.
    var polygon: [[[Double]]]?
    /// Fast path: well-formed `MultiPolygon` coordinates.
    var multiPolygon: [[[[Double]]]]?
    /// Slow path, only when the typed decoding failed: the raw value, so errors can say where it is wrong.
    var coordinates: JSONValue?

    private enum CodingKeys: String, CodingKey { case type, coordinates }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decodeIfPresent(String.self, forKey: .type)
        switch type {
        case "Polygon": polygon = try? container.decode([[[Double]]].self, forKey: .coordinates)
        case "MultiPolygon": multiPolygon = try? container.decode([[[[Double]]]].self, forKey: .coordinates)
        default: break
        }
        if polygon == nil, multiPolygon == nil {
            coordinates = try container.decodeIfPresent(JSONValue.self, forKey: .coordinates)
        }
    }
}

extension JSONValue {
    /// A non-empty string, or an integral number printed without a fraction; `nil` otherwise.
    var codeString: String? {
        switch self {
        case .string(let text): text.isEmpty ? nil : text
        case .number(let number) where number == number.rounded() && abs(number) < 1e15: String(Int64(number))
        default: nil
        }
    }
}
