import Foundation

/// Why a GeoJSON document could not be imported as region boundaries. Feature indexes are 0-based positions in
/// the `features` array; polygon and ring indexes are 0-based too.
public enum GeoJSONError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The data is not JSON, or not of the expected shape (the decoder's message).
    case invalidJSON(String)
    /// The top-level object is not a `FeatureCollection` (the `type` found, if any).
    case notFeatureCollection(found: String?)
    /// A feature lacks the code property, or its value is neither a string nor an integer.
    case missingCode(feature: Int, property: String)
    /// A feature has no geometry (`null` or absent).
    case missingGeometry(feature: Int)
    /// A feature's geometry is not a `Polygon` or `MultiPolygon`.
    case unsupportedGeometry(feature: Int, type: String)
    /// Coordinates of the wrong nesting or non-numeric positions.
    case invalidCoordinates(feature: Int, reason: String)
    /// A ring with fewer than 4 positions or whose last position differs from its first (RFC 7946 §3.1.6).
    case invalidRing(feature: Int, polygon: Int, ring: Int, reason: String)
    /// A position outside −180…180 longitude or −90…90 latitude.
    case coordinateOutOfRange(feature: Int, longitude: Double, latitude: Double)

    public var description: String {
        switch self {
        case .invalidJSON(let message):
            "GeoJSON could not be decoded: \(message)"
        case .notFeatureCollection(let found):
            "GeoJSON top-level type must be FeatureCollection, found \(found.map { "\"\($0)\"" } ?? "none")."
        case .missingCode(let feature, let property):
            "Feature \(feature): property \"\(property)\" is missing or is neither a string nor an integer."
        case .missingGeometry(let feature):
            "Feature \(feature) has no geometry."
        case .unsupportedGeometry(let feature, let type):
            "Feature \(feature): geometry type \"\(type)\" is not supported; use Polygon or MultiPolygon."
        case .invalidCoordinates(let feature, let reason):
            "Feature \(feature): invalid coordinates: \(reason)."
        case .invalidRing(let feature, let polygon, let ring, let reason):
            "Feature \(feature), polygon \(polygon), ring \(ring): \(reason) (RFC 7946 section 3.1.6)."
        case .coordinateOutOfRange(let feature, let longitude, let latitude):
            "Feature \(feature): position [\(longitude), \(latitude)] is outside longitude -180...180 / latitude -90...90."
        }
    }
}
