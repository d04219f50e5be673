import Foundation

/// One located thing to draw on a map (an open case at its stored point), already projected to map units, or a
/// group of such things already gathered where they lie close together (a database can count them by grid cell, so
/// a map of a million cases never reads them one by one).
public struct MapPoint: Sendable, Equatable {
    /// The thing's id (a case number); for a group, the smallest id inside.
    public var id: Int
    /// Map coordinates (``MapProjection``), in map units: the point, or the mean position of the group's points.
    public var x: Double
    public var y: Double
    /// How many things it stands for: 1 for a single point (at least 1 is assumed).
    public var count: Int
    /// Of them, how many are drawn as a warning (overdue cases): a cluster holding one is flagged too.
    public var flaggedCount: Int
    /// The area it belongs to (a region code), so a cluster can say where it mostly lies.
    public var area: String

    /// Whether any thing inside is flagged.
    public var flagged: Bool { flaggedCount > 0 }

    /// A single point.
    public init(id: Int, x: Double, y: Double, flagged: Bool, area: String) {
        self.init(id: id, x: x, y: y, count: 1, flaggedCount: flagged ? 1 : 0, area: area)
    }

    /// A group of `count` points of one area, `flaggedCount` of them flagged, at their mean position (`x`, `y`),
    /// with `id` the smallest of their ids. Clustering groups gives the same marks as clustering their points when
    /// each group lies inside one cell of the first grid (``MapClustering/marks(_:cell:maxMarks:)``'s `cell`, same
    /// origin): ``MapProjection/grid(side:)`` gives that grid in degrees.
    public init(id: Int, x: Double, y: Double, count: Int, flaggedCount: Int, area: String) {
        self.id = id
        self.x = x
        self.y = y
        self.count = max(1, count)
        self.flaggedCount = min(max(0, flaggedCount), self.count)
        self.area = area
    }
}

/// What a map draws for one grid cell: a single point (``count`` 1, at the point itself) or a cluster of several
/// (drawn at their mean position with their count).
public struct MapMark: Sendable, Equatable {
    /// Where to draw it, in map units: the point itself, or the mean of the cluster's points.
    public var x: Double
    public var y: Double
    /// Points inside (1 for a single point).
    public var count: Int
    /// Of them, flagged (overdue).
    public var flagged: Int
    /// The smallest id inside: the point's own id for a single point.
    public var firstID: Int
    /// The area most of its points belong to (ties: the smallest code), and how many different areas it spans.
    public var area: String
    public var areaCount: Int

    /// Whether this mark is one point, not a cluster.
    public var isSingle: Bool { count == 1 }
}

/// Grid-based clustering of map points (the usual server-side clustering of dense markers, as Supercluster's and
/// Leaflet.markercluster's grid mode do it): the canvas is cut into square cells, a cell holding one point draws
/// that point, a cell holding several draws one cluster. When the cells in use would exceed the cap on drawn
/// elements, the cell side doubles until they fit, so a page never draws more than the cap whatever the number of
/// points.
public enum MapClustering {
    /// The marks for `points`.
    /// - Parameters:
    ///   - points: projected points or groups of points; those with a non-finite coordinate are left out.
    ///   - cell: the side of a grid cell in map units at first (points closer than about this share a mark);
    ///     values below 1 are taken as 1.
    ///   - maxMarks: the most marks to return (at least 1 is assumed).
    /// - Returns: at most `maxMarks` marks, every usable point in exactly one; the unflagged first and flagged last
    ///   (drawn on top), each group in row-major cell order. The counts add up to the usable points' counts.
    public static func marks(_ points: [MapPoint], cell: Double, maxMarks: Int) -> [MapMark] {
        let usable = points.filter { $0.x.isFinite && $0.y.isFinite }
        guard !usable.isEmpty else { return [] }
        let cap = max(1, maxMarks)
        var side = max(1, cell)
        var cells = bucket(usable, side: side)
        while cells.count > cap {
            side *= 2
            cells = bucket(usable, side: side)
        }
        let marks = cells.sorted { $0.key < $1.key }.map { mark(of: $0.value.map { usable[$0] }) }
        return marks.filter { $0.flagged == 0 } + marks.filter { $0.flagged > 0 }
    }

    private struct CellKey: Hashable, Comparable {
        var row: Int
        var column: Int
        static func < (a: CellKey, b: CellKey) -> Bool { (a.row, a.column) < (b.row, b.column) }
    }

    /// Indices of `points` by the cell they fall in.
    private static func bucket(_ points: [MapPoint], side: Double) -> [CellKey: [Int]] {
        var cells: [CellKey: [Int]] = [:]
        for (index, point) in points.enumerated() {
            // Clamped so a far-off point cannot overflow Int; such a point still lands in a cell of its own.
            let row = Int(max(-1e15, min(1e15, (point.y / side).rounded(.down))))
            let column = Int(max(-1e15, min(1e15, (point.x / side).rounded(.down))))
            cells[CellKey(row: row, column: column), default: []].append(index)
        }
        return cells
    }

    private static func mark(of members: [MapPoint]) -> MapMark {
        let count = members.map(\.count).reduce(0, +)
        var areas: [String: Int] = [:]
        for member in members { areas[member.area, default: 0] += member.count }
        let area = areas.min { ($1.value, $0.key) < ($0.value, $1.key) }?.key ?? ""
        return MapMark(
            x: members.map { $0.x * Double($0.count) }.reduce(0, +) / Double(count),
            y: members.map { $0.y * Double($0.count) }.reduce(0, +) / Double(count),
            count: count, flagged: members.map(\.flaggedCount).reduce(0, +), firstID: members.map(\.id).min() ?? 0,
            area: area, areaCount: areas.count)
    }
}
