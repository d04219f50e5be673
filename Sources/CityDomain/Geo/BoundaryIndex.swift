import Foundation

/// A set of region boundaries answering "which regions contain this point?".
///
/// Each query tests a bounding box first and runs ray casting only for boxes that contain the point, so the 16
/// Shanghai districts cost a few microseconds a point.
public struct BoundaryIndex: Sendable {
    private struct Entry: Sendable {
        let boundary: RegionBoundary
        let box: BoundingBox
    }

    private let entries: [Entry]

    /// Indexes boundaries; boundaries without polygons are ignored, and several boundaries with one region code
    /// count as one area.
    public init(boundaries: [RegionBoundary]) {
        entries = boundaries.compactMap { boundary in
            boundary.boundingBox.map { Entry(boundary: boundary, box: $0) }
        }
    }

    /// Shanghai's 16 district boundaries from the bundled WGS84 GeoJSON (property `adcode` → district code).
    ///
    /// Source: `Resources/shanghai/shanghai_310000_districts_wgs84_derived.geojson`, DataV.GeoAtlas polygons
    /// (GCJ-02) converted to WGS84; see `Resources/shanghai/PROVENANCE.md`. WGS84 because every point CityNet
    /// receives — phone GPS in Open311 `lat`/`long`, sensors — is WGS84; against the GCJ-02 original they would land
    /// about 500 m off, enough to put a report near a border in the wrong district. Parses on every call: keep the
    /// result.
    /// - Throws: ``RegionError/missingResource(_:)`` or ``GeoJSONError``.
    public static func shanghaiDistricts() throws -> BoundaryIndex {
        let data = try CityDomainBundledFile.data(
            folder: "shanghai", name: "shanghai_310000_districts_wgs84_derived.geojson")
        return BoundaryIndex(boundaries: try GeoJSONImport.boundaries(from: data, codeProperty: "adcode"))
    }

    /// A new index with more boundaries (imported street or grid-cell polygons) after the existing ones.
    public func adding(_ more: [RegionBoundary]) -> BoundaryIndex {
        BoundaryIndex(boundaries: boundaries + more)
    }

    /// Every boundary, in the order given.
    public var boundaries: [RegionBoundary] { entries.map(\.boundary) }

    /// Codes of the regions that have a boundary, without repeats, in the order given.
    public var regionCodes: [String] {
        var seen = Set<String>()
        return entries.map(\.boundary.regionCode).filter { seen.insert($0).inserted }
    }

    /// Every ring (exteriors and holes) of one region, as longitude/latitude arrays in WGS84 degrees, for drawing;
    /// empty for a region without a boundary.
    public func outline(of regionCode: String) -> [GeoRing] {
        entries.filter { $0.boundary.regionCode == regionCode }.flatMap(\.boundary.rings)
    }

    /// Codes of all regions whose area contains the point, without repeats, in the order the boundaries were given
    /// (for Shanghai: the district first, then any imported street or grid cell). Empty for points outside every
    /// polygon, such as the sea off the coast.
    public func regions(containing point: GeoPoint) -> [String] {
        var codes: [String] = []
        for entry in entries where entry.box.contains(point) && entry.boundary.contains(point) {
            if !codes.contains(entry.boundary.regionCode) { codes.append(entry.boundary.regionCode) }
        }
        return codes
    }
}
