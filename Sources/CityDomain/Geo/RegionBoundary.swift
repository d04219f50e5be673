import Foundation

/// The area of one region: a multipolygon (one or more polygons, each with holes) in WGS84 degrees.
public struct RegionBoundary: Hashable, Sendable {
    /// Code of the region this area belongs to, e.g. `310101` (黄浦区).
    public var regionCode: String
    /// The polygons: a district with islands has several (崇明区 has five in the bundled data).
    public var polygons: [GeoPolygon]
    /// Box around every polygon; `nil` when there are none.
    public var boundingBox: BoundingBox? { BoundingBox.union(polygons.map(\.exterior.boundingBox)) }

    /// Creates a boundary for a region.
    public init(regionCode: String, polygons: [GeoPolygon]) {
        self.regionCode = regionCode
        self.polygons = polygons
    }

    /// Whether any polygon contains the point (holes excluded).
    public func contains(_ point: GeoPoint) -> Bool { polygons.contains { $0.contains(point) } }

    /// Every ring (exteriors and holes) as longitude/latitude arrays, e.g. to draw an SVG map.
    public var rings: [GeoRing] { polygons.flatMap(\.rings) }
}
