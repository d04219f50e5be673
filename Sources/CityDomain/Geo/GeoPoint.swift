import Foundation

/// A position on the WGS84 ellipsoid in decimal degrees, as GPS receivers and Open311 `lat`/`long` give it.
public struct GeoPoint: Codable, Hashable, Sendable {
    /// Latitude in WGS84 degrees, −90…90, north positive.
    public var latitude: Double
    /// Longitude in WGS84 degrees, −180…180, east positive.
    public var longitude: Double

    /// Mean Earth radius R₁ = 6 371 008.8 m (IUGG / Moritz, Geodetic Reference System 1980), used by ``distance(to:)``.
    public static let meanEarthRadiusMetres = 6_371_008.8

    /// Creates a validated point.
    /// - Parameters:
    ///   - latitude: WGS84 degrees, finite, in −90…90.
    ///   - longitude: WGS84 degrees, finite, in −180…180.
    /// - Throws: ``GeoError/invalidCoordinate(latitude:longitude:)`` when either value is not finite or out of range.
    public init(latitude: Double, longitude: Double) throws {
        guard latitude.isFinite, longitude.isFinite, (-90...90).contains(latitude), (-180...180).contains(longitude)
        else { throw GeoError.invalidCoordinate(latitude: latitude, longitude: longitude) }
        self.latitude = latitude
        self.longitude = longitude
    }

    private enum CodingKeys: String, CodingKey { case latitude, longitude }

    /// Decodes `{"latitude": …, "longitude": …}` and validates it as ``init(latitude:longitude:)`` does.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            latitude: container.decode(Double.self, forKey: .latitude),
            longitude: container.decode(Double.self, forKey: .longitude))
    }

    /// Great-circle distance to another point in metres, by the haversine formula on a sphere of radius
    /// ``meanEarthRadiusMetres``; error against the ellipsoid is below 0.5 %.
    public func distance(to other: GeoPoint) -> Double {
        let lat1 = latitude * .pi / 180
        let lat2 = other.latitude * .pi / 180
        let deltaLat = lat2 - lat1
        let deltaLon = (other.longitude - longitude) * .pi / 180
        let a = sin(deltaLat / 2) * sin(deltaLat / 2) + cos(lat1) * cos(lat2) * sin(deltaLon / 2) * sin(deltaLon / 2)
        return 2 * Self.meanEarthRadiusMetres * asin(min(1, a.squareRoot()))
    }
}

/// Errors of coordinates and geometry.
public enum GeoError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A latitude/longitude pair that is not finite or outside −90…90 / −180…180 degrees.
    case invalidCoordinate(latitude: Double, longitude: Double)

    public var description: String {
        switch self {
        case .invalidCoordinate(let latitude, let longitude):
            "Invalid WGS84 coordinate latitude \(latitude), longitude \(longitude): latitude must be finite and "
                + "within -90...90, longitude finite and within -180...180 degrees."
        }
    }
}
