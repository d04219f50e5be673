import Foundation

/// Where an incident is: region codes (a district, street or grid cell, each with its subtree) and/or a point with
/// a radius.
///
/// A case or report lies in the area when its region is one of ``regionCodes`` or inside one of them (the region
/// hierarchy's subtree), or when its point lies within ``radiusMeters`` of ``center`` by great-circle distance
/// (``GeoPoint/distance(to:)``). Either is enough.
public struct IncidentArea: Codable, Sendable, Equatable {
    public var regionCodes: [String]
    public var center: GeoPoint?
    /// Metres; set exactly when ``center`` is.
    public var radiusMeters: Double?

    public init(regionCodes: [String], center: GeoPoint? = nil, radiusMeters: Double? = nil) {
        self.regionCodes = regionCodes
        self.center = center
        self.radiusMeters = radiusMeters
    }

    /// The largest radius an area may have: 50 km, the width of Shanghai's mainland.
    public static let maxRadiusMeters = 50_000.0

    /// Why this area is not acceptable, as (field, code, message), or nil.
    public func problem(in hierarchy: RegionHierarchy) -> IncidentFieldError? {
        if regionCodes.isEmpty && center == nil {
            return .init(
                field: "area", code: "empty_area", message: "an area needs region_codes or a point with radius_m")
        }
        for code in regionCodes where hierarchy[code] == nil {
            return .init(field: "area.region_codes", code: "unknown_region", message: "unknown region code '\(code)'")
        }
        if (center == nil) != (radiusMeters == nil) {
            return .init(
                field: "area.radius_m", code: "point_and_radius",
                message: "a point needs radius_m and radius_m needs a point")
        }
        if let radius = radiusMeters, !(radius > 0 && radius <= Self.maxRadiusMeters) {
            return .init(
                field: "area.radius_m", code: "out_of_range",
                message: "radius_m must be more than 0 and at most \(Int(Self.maxRadiusMeters)) metres")
        }
        return nil
    }

    /// Whether a place at `regionCode` (and, when known, `point`) lies in the area.
    public func contains(regionCode: String?, point: GeoPoint?, in hierarchy: RegionHierarchy) -> Bool {
        if let regionCode, regionCodes.contains(where: { hierarchy.isWithin(regionCode, ancestor: $0) }) {
            return true
        }
        if let center, let radius = radiusMeters, let point, center.distance(to: point) <= radius { return true }
        return false
    }
}

/// One refused field of an incident or plan body: the field's path, a stable code and an English message.
public struct IncidentFieldError: Codable, Sendable, Equatable, Error {
    public var field: String
    public var code: String
    public var message: String

    public init(field: String, code: String, message: String) {
        self.field = field
        self.code = code
        self.message = message
    }
}
