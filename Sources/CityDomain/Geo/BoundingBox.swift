import Foundation

/// An axis-aligned box in WGS84 degrees, used to skip polygons cheaply before the exact test.
public struct BoundingBox: Codable, Hashable, Sendable {
    /// Southern edge, degrees latitude.
    public var minLatitude: Double
    /// Northern edge, degrees latitude.
    public var maxLatitude: Double
    /// Western edge, degrees longitude.
    public var minLongitude: Double
    /// Eastern edge, degrees longitude.
    public var maxLongitude: Double

    /// Creates a box from its edges in degrees.
    public init(minLatitude: Double, maxLatitude: Double, minLongitude: Double, maxLongitude: Double) {
        self.minLatitude = minLatitude
        self.maxLatitude = maxLatitude
        self.minLongitude = minLongitude
        self.maxLongitude = maxLongitude
    }

    /// The smallest box around the given longitude and latitude arrays (same length, not empty).
    init(longitudes: [Double], latitudes: [Double]) {
        self.init(
            minLatitude: latitudes.min() ?? 0, maxLatitude: latitudes.max() ?? 0,
            minLongitude: longitudes.min() ?? 0, maxLongitude: longitudes.max() ?? 0)
    }

    /// The smallest box around several boxes; `nil` for an empty list.
    static func union(_ boxes: [BoundingBox]) -> BoundingBox? {
        guard let first = boxes.first else { return nil }
        return boxes.dropFirst().reduce(first) { box, next in
            BoundingBox(
                minLatitude: min(box.minLatitude, next.minLatitude),
                maxLatitude: max(box.maxLatitude, next.maxLatitude),
                minLongitude: min(box.minLongitude, next.minLongitude),
                maxLongitude: max(box.maxLongitude, next.maxLongitude))
        }
    }

    /// Whether the point lies inside or on the edge of the box.
    public func contains(_ point: GeoPoint) -> Bool {
        point.latitude >= minLatitude && point.latitude <= maxLatitude
            && point.longitude >= minLongitude && point.longitude <= maxLongitude
    }
}
