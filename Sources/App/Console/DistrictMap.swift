import CityDomain
import Foundation

/// Shanghai's districts as SVG paths for the city screen, drawn from the real boundary polygons (WGS84, the
/// bundled DataV slice) in an equirectangular projection true to scale at the map's middle latitude
/// (``CityDomain/MapProjection``): the whole city, or one district zoomed to fill the map. The bundled data hold
/// district outlines only (no street or town outlines: shared/data/shanghai_district_boundaries/PROVENANCE.md), so
/// a district's zoom draws its outline and lists its streets' counts beside it.
struct DistrictMap: Encodable, Sendable {
    struct Shape: Encodable, Sendable {
        var code: String
        /// The full name (the map's tooltip).
        var name: String
        /// The short name drawn on the map (黄浦, Pudong), small for the small central districts so labels do not
        /// run into each other.
        var label: String
        var smallLabel: Bool
        /// SVG path data (`M x y L … Z` per ring), in map units.
        var path: String
        var labelX: Int
        var labelY: Int
        /// Extra classes for the shape, after a space: the band of the indicator colouring the map (``VitalTiles``).
        var tone = ""
    }

    /// Map width in SVG units; the height follows from the area's proportions.
    static let width = 800.0
    /// The largest height of a district's zoom in SVG units: a tall district gets a narrower map instead.
    static let zoomHeight = 800.0
    /// Vertices closer than this (map units) to the previous kept one are dropped: no visible change, far fewer
    /// points.
    static let tolerance = 0.6

    var width: Int
    var height: Int
    var shapes: [Shape]
    /// The district the map is zoomed into (its outline fills the map), or nil for the whole city.
    var focus: String?
    private let projection: MapProjection

    /// - Parameters: the districts (level 2 of `hierarchy`) that have a boundary in `boundaries` are drawn, or only
    ///   `focus` when given (a district's zoom: its outline scaled to fill the map, at most ``zoomHeight`` high).
    ///   `language` names the districts. Only outlines in `boundaries` are drawn; CityNet invents no geometry.
    init(
        boundaries: BoundaryIndex, hierarchy: RegionHierarchy, language: DisplayLanguage = .zh, focus: String? = nil
    ) {
        var districts = hierarchy.children(of: hierarchy.root.code).filter { !boundaries.outline(of: $0.code).isEmpty }
        if let focus, districts.contains(where: { $0.code == focus }) {
            districts = districts.filter { $0.code == focus }
            self.focus = focus
        }
        let rings = districts.flatMap { boundaries.outline(of: $0.code) }
        let box =
            BoundingBox.around(rings)
            ?? BoundingBox(minLatitude: 30.6, maxLatitude: 31.9, minLongitude: 120.8, maxLongitude: 122.0)
        let projection = MapProjection(
            box: box, width: Self.width, maxHeight: self.focus == nil ? nil : Self.zoomHeight)
        self.projection = projection
        width = Int(projection.width)
        height = Int(projection.height)
        shapes = districts.map { district in
            let outline = boundaries.outline(of: district.code)
            let path = outline.map { Self.ringPath($0, projection) }.joined(separator: " ")
            let largest = outline.max { $0.longitudes.count < $1.longitudes.count }
            let area = largest?.boundingBox ?? box
            let (x, y) = projection.project(
                latitude: (area.minLatitude + area.maxLatitude) / 2,
                longitude: (area.minLongitude + area.maxLongitude) / 2)
            let (left, _) = projection.project(latitude: area.minLatitude, longitude: area.minLongitude)
            let (right, _) = projection.project(latitude: area.minLatitude, longitude: area.maxLongitude)
            return Shape(
                code: district.code, name: district.name(in: language), label: Self.label(district, language),
                smallLabel: right - left < Self.smallDistrictWidth, path: path, labelX: Int(x), labelY: Int(y))
        }
    }

    /// Districts narrower than this (map units) get a small label: the seven central ones.
    static let smallDistrictWidth = 60.0

    /// The short name: 黄浦区 → 黄浦, 浦东新区 → 浦东; Huangpu District → Huangpu, Pudong New Area → Pudong.
    static func label(_ district: Region, _ language: DisplayLanguage) -> String {
        switch language {
        case .zh: return district.shortNames.first ?? district.nameZh
        case .en:
            var name = district.nameEn
            for suffix in [" New Area", " District"] where name.hasSuffix(suffix) {
                name = String(name.dropLast(suffix.count))
            }
            return name
        }
    }

    /// Map coordinates of a WGS84 point.
    func project(latitude: Double, longitude: Double) -> (x: Double, y: Double) {
        projection.project(latitude: latitude, longitude: longitude)
    }

    /// The map's square cells of `side` map units in WGS84 degrees (``CityDomain/MapProjection/grid(side:)``).
    func grid(side: Double) -> MapGrid { projection.grid(side: side) }

    private static func ringPath(_ ring: GeoRing, _ projection: MapProjection) -> String {
        var parts: [String] = []
        var last: (Double, Double)?
        for (longitude, latitude) in zip(ring.longitudes, ring.latitudes) {
            let (x, y) = projection.project(latitude: latitude, longitude: longitude)
            if let last, abs(last.0 - x) < tolerance, abs(last.1 - y) < tolerance { continue }
            parts.append("\(parts.isEmpty ? "M" : "L")\(String(format: "%.1f", x)) \(String(format: "%.1f", y))")
            last = (x, y)
        }
        return parts.joined(separator: " ") + " Z"
    }

    enum CodingKeys: String, CodingKey { case width, height, shapes, focus }
}
