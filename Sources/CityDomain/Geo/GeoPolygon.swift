import Foundation

/// A closed ring of vertices in WGS84 degrees, stored as parallel longitude and latitude arrays (first vertex
/// repeated last, as GeoJSON requires), ready to be drawn as an SVG path.
public struct GeoRing: Codable, Hashable, Sendable {
    /// Longitudes in degrees, one per vertex.
    public let longitudes: [Double]
    /// Latitudes in degrees, one per vertex.
    public let latitudes: [Double]
    /// Box around the ring.
    public let boundingBox: BoundingBox

    /// Creates a ring; the arrays must have the same length (the shorter one wins otherwise).
    public init(longitudes: [Double], latitudes: [Double]) {
        let count = min(longitudes.count, latitudes.count)
        self.longitudes = Array(longitudes.prefix(count))
        self.latitudes = Array(latitudes.prefix(count))
        self.boundingBox = BoundingBox(longitudes: self.longitudes, latitudes: self.latitudes)
    }

    /// Even-odd ray casting (W. Randolph Franklin's PNPOLY): a ray from the point towards east crosses the ring's
    /// edges an odd number of times exactly when the point is inside. Points exactly on an edge may go either way.
    public func contains(_ point: GeoPoint) -> Bool {
        guard boundingBox.contains(point) else { return false }
        let x = point.longitude
        let y = point.latitude
        var inside = false
        var j = longitudes.count - 1
        for i in 0..<longitudes.count {
            let yi = latitudes[i]
            let yj = latitudes[j]
            if (yi > y) != (yj > y) {
                let xCross = longitudes[i] + (y - yi) * (longitudes[j] - longitudes[i]) / (yj - yi)
                if x < xCross { inside.toggle() }
            }
            j = i
        }
        return inside
    }
}

/// A polygon with one exterior ring and any number of holes (GeoJSON `Polygon`, RFC 7946 §3.1.6).
public struct GeoPolygon: Codable, Hashable, Sendable {
    /// Outer boundary.
    public var exterior: GeoRing
    /// Holes cut out of the exterior (an enclave of another region, a lake).
    public var holes: [GeoRing]

    /// Creates a polygon from its exterior ring and holes.
    public init(exterior: GeoRing, holes: [GeoRing] = []) {
        self.exterior = exterior
        self.holes = holes
    }

    /// Whether the point is inside the exterior ring and inside none of the holes.
    public func contains(_ point: GeoPoint) -> Bool {
        exterior.contains(point) && !holes.contains { $0.contains(point) }
    }

    /// The exterior followed by the holes: everything to draw.
    public var rings: [GeoRing] { [exterior] + holes }
}
