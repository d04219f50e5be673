import Foundation

/// Turns the coordinates of one feature's `Polygon` or `MultiPolygon` into ``GeoPolygon`` values, reporting the
/// first problem with its position in the feature.
struct GeoJSONGeometryParser {
    /// 0-based index of the feature, for error messages.
    let feature: Int

    func polygons(of geometry: GeoJSONRawGeometry) throws -> [GeoPolygon] {
        guard let type = geometry.type else { throw GeoJSONError.unsupportedGeometry(feature: feature, type: "(none)") }
        if let polygon = geometry.polygon { return [try self.polygon(polygon.map(Self.wrap), index: 0)] }
        if let multiPolygon = geometry.multiPolygon {
            guard !multiPolygon.isEmpty else {
                throw GeoJSONError.invalidCoordinates(feature: feature, reason: "MultiPolygon has no polygons")
            }
            return try multiPolygon.enumerated().map { index, rings in
                try self.polygon(rings.map(Self.wrap), index: index)
            }
        }
        guard let coordinates = geometry.coordinates, case .array(let items) = coordinates else {
            throw GeoJSONError.invalidCoordinates(
                feature: feature, reason: "\"coordinates\" is missing or not an array")
        }
        switch type {
        case "Polygon":
            return [try polygon(items, index: 0)]
        case "MultiPolygon":
            guard !items.isEmpty else {
                throw GeoJSONError.invalidCoordinates(feature: feature, reason: "MultiPolygon has no polygons")
            }
            return try items.enumerated().map { index, item in
                guard case .array(let rings) = item else {
                    throw GeoJSONError.invalidCoordinates(
                        feature: feature, reason: "polygon \(index) is not an array of rings")
                }
                return try polygon(rings, index: index)
            }
        default:
            throw GeoJSONError.unsupportedGeometry(feature: feature, type: type)
        }
    }

    /// Wraps a typed ring as the raw value the checks below read.
    private static func wrap(_ ring: [[Double]]) -> JSONValue { .array(ring.map { .array($0.map { .number($0) }) }) }

    private func polygon(_ rings: [JSONValue], index: Int) throws -> GeoPolygon {
        guard !rings.isEmpty else {
            throw GeoJSONError.invalidCoordinates(feature: feature, reason: "polygon \(index) has no rings")
        }
        let parsed = try rings.enumerated().map { ringIndex, value in try ring(value, polygon: index, ring: ringIndex) }
        return GeoPolygon(exterior: parsed[0], holes: Array(parsed.dropFirst()))
    }

    private func ring(_ value: JSONValue, polygon: Int, ring: Int) throws -> GeoRing {
        guard case .array(let positions) = value else {
            throw GeoJSONError.invalidRing(
                feature: feature, polygon: polygon, ring: ring, reason: "ring is not an array of positions")
        }
        var longitudes: [Double] = []
        var latitudes: [Double] = []
        longitudes.reserveCapacity(positions.count)
        latitudes.reserveCapacity(positions.count)
        for (index, position) in positions.enumerated() {
            guard case .array(let numbers) = position, numbers.count >= 2,
                case .number(let longitude) = numbers[0], case .number(let latitude) = numbers[1]
            else {
                throw GeoJSONError.invalidRing(
                    feature: feature, polygon: polygon, ring: ring,
                    reason: "position \(index) is not an array of at least two numbers [longitude, latitude]")
            }
            guard longitude.isFinite, latitude.isFinite, abs(longitude) <= 180, abs(latitude) <= 90 else {
                throw GeoJSONError.coordinateOutOfRange(feature: feature, longitude: longitude, latitude: latitude)
            }
            longitudes.append(longitude)
            latitudes.append(latitude)
        }
        guard positions.count >= 4 else {
            throw GeoJSONError.invalidRing(
                feature: feature, polygon: polygon, ring: ring,
                reason: "ring has \(positions.count) positions, at least 4 are required")
        }
        guard longitudes.first == longitudes.last, latitudes.first == latitudes.last else {
            throw GeoJSONError.invalidRing(
                feature: feature, polygon: polygon, ring: ring,
                reason: "ring is not closed: its last position differs from its first")
        }
        return GeoRing(longitudes: longitudes, latitudes: latitudes)
    }
}
