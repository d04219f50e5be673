import CityDomain
import Foundation

/// The city screen's dots and clusters (issue #12 §5): every open case with a stored point, projected onto the map
/// and grouped by ``CityDomain/MapClustering``; each mark a link with an accessible name.
///
/// A single case links to its case page. A cluster on the whole city's map links to the zoom of the district most
/// of its cases lie in; on a district's zoom, to the desk filtered to its street (or to the district when it spans
/// several streets).
struct CaseMapMarks {
    struct Mark: Encodable, Equatable {
        var x: Int
        var y: Int
        /// Circle radius in map units.
        var r: Int
        /// Cases inside: 1 for a dot.
        var count: Int
        var overdue: Bool
        var cluster: Bool
        var url: String
        /// The link's accessible name (and tooltip).
        var name: String
    }

    /// Grid cell side in map units (the map is 800 wide): cases closer than about this share a cluster.
    static let cell = 14.0
    /// The most marks drawn (a dot is two SVG elements, a cluster three: at most 480 elements however many cases).
    static let maxMarks = 160

    var marks: [Mark]
    /// Open cases with a point drawn (inside dots or clusters), by street (or district, on the city's map) code.
    var drawnByArea: [String: Int]

    /// - Parameters:
    ///   - markers: the open located cases counted per cell of the map's first grid
    ///     (``CityScreenQueries/markers(scope:regions:grid:reference:on:now:)`` with `map.grid(side: Self.cell)`).
    ///   - map: the map they are drawn on; its focus decides what a mark groups by and where a cluster leads.
    ///   - colourQuery: `&colour=…` kept on links to the city screen.
    init(
        _ markers: [CityScreenMarker], map: DistrictMap, reference: CityReference, language: DisplayLanguage,
        words: [String: String], colourQuery: String
    ) {
        let hierarchy = reference.hierarchy
        // Clusters group by the district on the city's map and by the street on a district's zoom.
        let level: RegionLevel = map.focus == nil ? .district : .street
        var byID: [Int: CityScreenMarker] = [:]
        var drawn: [String: Int] = [:]
        let points = markers.map { marker in
            byID[marker.firstCaseID] = marker
            let (x, y) = map.project(latitude: marker.latitude, longitude: marker.longitude)
            let area =
                hierarchy.ancestor(of: marker.regionCode, at: level)?.code
                ?? hierarchy.ancestor(of: marker.regionCode, at: .district)?.code ?? marker.regionCode
            drawn[area, default: 0] += marker.count
            return MapPoint(
                id: marker.firstCaseID, x: x, y: y, count: marker.count, flaggedCount: marker.overdueCount, area: area)
        }
        drawnByArea = drawn
        func fill(_ key: String, _ values: [String: String]) -> String {
            values.reduce(words[key, default: ""]) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
        }
        marks = MapClustering.marks(points, cell: Self.cell, maxMarks: Self.maxMarks).map { mark in
            let (x, y) = (Int(mark.x.rounded()), Int(mark.y.rounded()))
            if mark.isSingle, let marker = byID[mark.firstID], marker.count == 1 {
                let category = reference.categoryName(marker.categoryCode, in: language)
                return Mark(
                    x: x, y: y, r: map.focus == nil ? 4 : 5, count: 1, overdue: marker.overdue, cluster: false,
                    url: "/console/cases/\(marker.firstCaseID)",
                    name: fill(
                        marker.overdue ? "map_dot_overdue" : "map_dot",
                        ["category": category, "n": "\(marker.firstCaseID)"]))
            }
            let url: String
            if map.focus == nil {
                url = "/console?district=\(mark.area)\(colourQuery)"
            } else {
                url = "/console/cases?region=\(mark.areaCount == 1 ? mark.area : map.focus ?? mark.area)"
            }
            let name = fill(
                mark.areaCount == 1 ? "map_cluster" : "map_cluster_mostly",
                [
                    "n": "\(mark.count)", "k": "\(mark.flagged)",
                    "area": reference.regionName(mark.area, in: language),
                ])
            let radius = 7 + min(9, Int(2 * log2(Double(mark.count))))
            return Mark(
                x: x, y: y, r: radius, count: mark.count, overdue: mark.flagged > 0, cluster: true, url: url,
                name: name)
        }
    }
}
