import CityDomain
import Foundation

/// Shanghai's districts as SVG paths for the city screen, drawn from the real boundary polygons (WGS84, the
/// bundled DataV slice) in an equirectangular projection true to scale at the map's middle latitude.
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
    /// Vertices closer than this (map units) to the previous kept one are dropped: no visible change, far fewer
    /// points.
    static let tolerance = 0.6

    var width: Int
    var height: Int
    var shapes: [Shape]
    private let minLongitude: Double
    private let maxLatitude: Double
    private let scale: Double
    private let squeeze: Double

    /// - Parameters: the districts (level 2 of `hierarchy`) that have a boundary in `boundaries` are drawn.
    ///   `language` names the districts.
    init(boundaries: BoundaryIndex, hierarchy: RegionHierarchy, language: DisplayLanguage = .zh) {
        let districts = hierarchy.children(of: hierarchy.root.code).filter { !boundaries.outline(of: $0.code).isEmpty }
        let rings = districts.flatMap { boundaries.outline(of: $0.code) }
        let minLon = rings.flatMap(\.longitudes).min() ?? 120.8
        let maxLon = rings.flatMap(\.longitudes).max() ?? 122.0
        let minLat = rings.flatMap(\.latitudes).min() ?? 30.6
        let maxLat = rings.flatMap(\.latitudes).max() ?? 31.9
        squeeze = cos((minLat + maxLat) / 2 * .pi / 180)
        scale = Self.width / max((maxLon - minLon) * squeeze, 1e-9)
        minLongitude = minLon
        maxLatitude = maxLat
        width = Int(Self.width)
        height = Int(((maxLat - minLat) * scale).rounded(.up))
        shapes = []
        shapes = districts.map { district in
            let outline = boundaries.outline(of: district.code)
            let path = outline.map(ringPath).joined(separator: " ")
            let largest = outline.max { $0.longitudes.count < $1.longitudes.count }
            let box = largest?.boundingBox
            let (x, y) = project(
                latitude: box.map { ($0.minLatitude + $0.maxLatitude) / 2 } ?? minLat,
                longitude: box.map { ($0.minLongitude + $0.maxLongitude) / 2 } ?? minLon)
            let (left, _) = project(latitude: box?.minLatitude ?? minLat, longitude: box?.minLongitude ?? minLon)
            let (right, _) = project(latitude: box?.minLatitude ?? minLat, longitude: box?.maxLongitude ?? minLon)
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
        ((longitude - minLongitude) * squeeze * scale, (maxLatitude - latitude) * scale)
    }

    private func ringPath(_ ring: GeoRing) -> String {
        var parts: [String] = []
        var last: (Double, Double)?
        for (longitude, latitude) in zip(ring.longitudes, ring.latitudes) {
            let (x, y) = project(latitude: latitude, longitude: longitude)
            if let last, abs(last.0 - x) < Self.tolerance, abs(last.1 - y) < Self.tolerance { continue }
            parts.append("\(parts.isEmpty ? "M" : "L")\(String(format: "%.1f", x)) \(String(format: "%.1f", y))")
            last = (x, y)
        }
        return parts.joined(separator: " ") + " Z"
    }

    enum CodingKeys: String, CodingKey { case width, height, shapes }
}
