import Foundation

/// One located thing to draw on a map (an open case at its stored point), already projected to map units.
public struct MapPoint: Sendable, Equatable {
    /// The thing's id (a case number).
    public var id: Int
    /// Map coordinates (``MapProjection``), in map units.
    public var x: Double
    public var y: Double
    /// Whether it is drawn as a warning (an overdue case): a cluster holding one is flagged too.
    public var flagged: Bool
    /// The area it belongs to (a region code), so a cluster can say where it mostly lies.
    public var area: String

    public init(id: Int, x: Double, y: Double, flagged: Bool, area: String) {
        self.id = id
        self.x = x
        self.y = y
        self.flagged = flagged
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
    ///   - points: projected points; those with a non-finite coordinate are left out.
    ///   - cell: the side of a grid cell in map units at first (points closer than about this share a mark);
    ///     values below 1 are taken as 1.
    ///   - maxMarks: the most marks to return (at least 1 is assumed).
    /// - Returns: at most `maxMarks` marks, every usable point in exactly one; the unflagged first and flagged last
    ///   (drawn on top), each group in row-major cell order. The counts add up to the number of usable points.
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
        let count = Double(members.count)
        var areas: [String: Int] = [:]
        for member in members { areas[member.area, default: 0] += 1 }
        let area = areas.min { ($1.value, $0.key) < ($0.value, $1.key) }?.key ?? ""
        return MapMark(
            x: members.map(\.x).reduce(0, +) / count, y: members.map(\.y).reduce(0, +) / count,
            count: members.count, flagged: members.filter(\.flagged).count, firstID: members.map(\.id).min() ?? 0,
            area: area, areaCount: areas.count)
    }
}
