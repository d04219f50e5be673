import Foundation

/// An equirectangular projection of a WGS84 box onto an SVG canvas, true to scale at the box's middle latitude
/// (east–west degrees shrink by cos(latitude)): the city screen's map and a district's zoom.
///
/// North is up: the box's north-west corner is (0, 0) and its south-east corner (``width``, ``height``). Over a city
/// the size of Shanghai (about 1.3° across) the error of this projection against a conformal one is well under a
/// percent, far below what a screen map shows.
public struct MapProjection: Sendable, Equatable {
    /// Canvas width and height, in map units (SVG user units).
    public let width: Double
    public let height: Double
    private let minLongitude: Double
    private let maxLatitude: Double
    private let scale: Double
    private let squeeze: Double

    /// Fits `box` into a canvas `width` units wide, or into `width` × `maxHeight` when a maximum height is given
    /// (a tall district then gets a narrower canvas).
    /// - Parameters:
    ///   - box: the area to show, in WGS84 degrees; a box with no extent is treated as 1e-9° wide and high.
    ///   - width: the canvas width in map units (positive).
    ///   - maxHeight: the largest canvas height in map units, or nil for the height that follows from `width`.
    public init(box: BoundingBox, width: Double, maxHeight: Double? = nil) {
        squeeze = cos((box.minLatitude + box.maxLatitude) / 2 * .pi / 180)
        let across = max((box.maxLongitude - box.minLongitude) * squeeze, 1e-9)
        let down = max(box.maxLatitude - box.minLatitude, 1e-9)
        var scale = width / across
        if let maxHeight, down * scale > maxHeight { scale = maxHeight / down }
        self.scale = scale
        // Rounded up to whole units, but never past the width asked for (floating-point error could add one).
        self.width = min(width, (across * scale).rounded(.up))
        self.height = (down * scale).rounded(.up)
        minLongitude = box.minLongitude
        maxLatitude = box.maxLatitude
    }

    /// Map coordinates of a WGS84 point (degrees): x grows eastward, y southward, both in map units.
    public func project(latitude: Double, longitude: Double) -> (x: Double, y: Double) {
        ((longitude - minLongitude) * squeeze * scale, (maxLatitude - latitude) * scale)
    }

    /// Map units per degree of latitude: how large the projection draws the area.
    public var unitsPerDegree: Double { scale }

    /// The WGS84 grid whose cells project onto the canvas's square cells of `side` map units with their corner at
    /// (0, 0) — the first grid of ``MapClustering/marks(_:cell:maxMarks:)``, so points can be counted per cell
    /// where they are stored.
    /// - Parameter side: the cell side in map units; values below 1 are taken as 1, as the clustering does.
    public func grid(side: Double) -> MapGrid {
        let side = max(1, side)
        return MapGrid(
            westLongitude: minLongitude, longitudeStep: side / (squeeze * scale), northLatitude: maxLatitude,
            latitudeStep: side / scale)
    }
}

/// Square map cells in degrees (``MapProjection/grid(side:)``): the cell of a point is
/// column ⌊(longitude − ``westLongitude``) / ``longitudeStep``⌋ and row ⌊(``northLatitude`` − latitude) /
/// ``latitudeStep``⌋, counted from the map's north-west corner, both in WGS84 degrees.
public struct MapGrid: Sendable, Equatable {
    public var westLongitude: Double
    public var longitudeStep: Double
    public var northLatitude: Double
    public var latitudeStep: Double
}

extension BoundingBox {
    /// The smallest box around every vertex of `rings`; nil when there are none.
    public static func around(_ rings: [GeoRing]) -> BoundingBox? {
        let latitudes = rings.flatMap(\.latitudes)
        let longitudes = rings.flatMap(\.longitudes)
        guard !latitudes.isEmpty, !longitudes.isEmpty else { return nil }
        return BoundingBox(longitudes: longitudes, latitudes: latitudes)
    }
}
