import CityDomain
import Foundation

/// The incident room's map (issue 15 §5), drawn by CityNet as SVG: the outlines of the incident's regions (or,
/// for a street or town without a bundled boundary, of the district holding it), the incident's point and radius,
/// the depots its resources come from, and one dot per assigned resource placed by its state — at its depot while
/// requested or once released, half-way to the incident while dispatched, around the incident point once arrived
/// (dots sharing a place spread around it).
/// Equirectangular projection true to scale at the map's middle latitude (as ``DistrictMap``); no tiles.
struct IncidentMap: Encodable, Sendable {
    struct Outline: Encodable, Sendable {
        var code: String
        var path: String
    }

    struct Dot: Encodable, Sendable {
        /// The assignment id.
        var id: Int
        var x: Double
        var y: Double
        /// `requested`, `dispatched`, `arrived` or `released`.
        var state: String
        var name: String
    }

    struct Depot: Encodable, Sendable {
        /// The top-left corner of its 8 × 8 square.
        var x: Double
        var y: Double
        var name: String
    }

    /// A resource as the map needs it: its assignment, its depot and its state.
    struct Resource: Sendable {
        var assignmentID: Int
        var name: String
        var depot: String
        var latitude: Double
        var longitude: Double
        var state: AssignmentState
    }

    /// Map width in SVG units; the height follows from the area's proportions (at least ``minHeight``).
    static let width = 600.0
    static let minHeight = 240.0
    /// Margin around everything drawn, in map units.
    static let margin = 16.0

    var width: Int
    var height: Int
    var outlines: [Outline]
    var centerX: Double?
    var centerY: Double?
    /// The incident radius in map units (nil without a point or radius).
    var radius: Double?
    var depots: [Depot]
    var dots: [Dot]

    /// - Parameters: `regionCodes` are the incident's regions; `center` and `radiusMeters` its point and radius;
    ///   `resources` its assignments.
    init(
        regionCodes: [String], center: GeoPoint?, radiusMeters: Double?, resources: [Resource],
        boundaries: BoundaryIndex, hierarchy: RegionHierarchy
    ) {
        var drawn: [(String, [GeoRing])] = []
        for code in regionCodes {
            let withOutline = hierarchy.ancestors(of: code).first { !boundaries.outline(of: $0.code).isEmpty }
            if let region = withOutline, !drawn.contains(where: { $0.0 == region.code }) {
                drawn.append((region.code, boundaries.outline(of: region.code)))
            }
        }
        var lons = drawn.flatMap { $0.1.flatMap(\.longitudes) } + resources.map(\.longitude)
        var lats = drawn.flatMap { $0.1.flatMap(\.latitudes) } + resources.map(\.latitude)
        if let center {
            let dLat = (radiusMeters ?? 0) / 111_320
            let dLon = dLat / max(cos(center.latitude * .pi / 180), 0.1)
            lons += [center.longitude - dLon, center.longitude + dLon]
            lats += [center.latitude - dLat, center.latitude + dLat]
        }
        let minLon = lons.min() ?? 121.0
        let maxLon = max(lons.max() ?? 122.0, minLon + 0.01)
        let minLat = lats.min() ?? 31.0
        let maxLat = max(lats.max() ?? 31.5, minLat + 0.01)
        let squeeze = cos((minLat + maxLat) / 2 * .pi / 180)
        let inner = Self.width - 2 * Self.margin
        let scale = inner / ((maxLon - minLon) * squeeze)
        func project(_ latitude: Double, _ longitude: Double) -> (Double, Double) {
            (
                ((longitude - minLon) * squeeze * scale + Self.margin).rounded(toPlaces: 1),
                ((maxLat - latitude) * scale + Self.margin).rounded(toPlaces: 1)
            )
        }
        width = Int(Self.width)
        height = Int(max((maxLat - minLat) * scale + 2 * Self.margin, Self.minHeight).rounded(.up))
        outlines = drawn.map { code, rings in
            Outline(
                code: code,
                path: rings.map { ring in
                    var parts: [String] = []
                    var last: (Double, Double)?
                    for (lon, lat) in zip(ring.longitudes, ring.latitudes) {
                        let (x, y) = project(lat, lon)
                        if let last, abs(last.0 - x) < 0.6, abs(last.1 - y) < 0.6 { continue }
                        parts.append("\(parts.isEmpty ? "M" : "L")\(x) \(y)")
                        last = (x, y)
                    }
                    return parts.joined(separator: " ") + " Z"
                }.joined(separator: " "))
        }
        let point = center.map { project($0.latitude, $0.longitude) }
        centerX = point?.0
        centerY = point?.1
        radius = radiusMeters.map { ($0 / 111_320 * scale).rounded(toPlaces: 1) }
        var seen: Set<String> = []
        depots = resources.compactMap { resource in
            guard seen.insert(resource.depot).inserted else { return nil }
            let (x, y) = project(resource.latitude, resource.longitude)
            return Depot(x: x - 4, y: y - 4, name: resource.depot)
        }
        // Dots sharing a place (a depot, the road half-way, the incident point) spread on a sunflower spiral around
        // it, so each stays visible and none hides another.
        var crowd: [String: Int] = [:]
        dots = resources.map { resource in
            let home = project(resource.latitude, resource.longitude)
            var anchor = home
            var place = resource.depot
            switch resource.state {
            case .dispatched:
                if let point { anchor = ((home.0 + point.0) / 2, (home.1 + point.1) / 2) }
                place = "dispatched " + resource.depot
            case .arrived:
                if let point { anchor = point }
                place = "arrived"
            case .requested, .released: break
            }
            let index = crowd[place, default: 0]
            crowd[place] = index + 1
            let angle = Double(index) * 2.39996
            let distance = index == 0 ? 0 : 3.2 * Double(index).squareRoot()
            return Dot(
                id: resource.assignmentID, x: (anchor.0 + distance * cos(angle)).rounded(toPlaces: 1),
                y: (anchor.1 + distance * sin(angle)).rounded(toPlaces: 1), state: resource.state.rawValue,
                name: resource.name)
        }
    }
}

extension Double {
    fileprivate func rounded(toPlaces places: Int) -> Double {
        var factor = 1.0
        for _ in 0..<places { factor *= 10 }
        return (self * factor).rounded() / factor
    }
}
