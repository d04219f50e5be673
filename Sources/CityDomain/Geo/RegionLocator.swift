import Foundation

/// Places a report in the region hierarchy from its point, its address text and the reporter's choice.
///
/// Rules (CityNet locating issue): a point is located by polygon (the deepest region whose polygon contains it);
/// then refined to a deeper region chosen by the reporter (which must lie inside the point's region) or named in
/// the address text (only names inside the point's region count); otherwise it stays at the polygon's region.
/// Without a point the chosen region, refined by the text, or the text alone decide. Names that fit several
/// regions leave the result at their common ancestor with the regions listed in `candidates`.
public struct RegionLocator: Sendable {
    /// The hierarchy regions are looked up in.
    public let hierarchy: RegionHierarchy
    /// The polygons points are tested against.
    public let boundaries: BoundaryIndex
    /// The place-name index built from `hierarchy`.
    public let gazetteer: RegionGazetteer

    /// Creates a locator; builds the gazetteer once.
    public init(hierarchy: RegionHierarchy, boundaries: BoundaryIndex) {
        self.hierarchy = hierarchy
        self.boundaries = boundaries
        self.gazetteer = RegionGazetteer(hierarchy: hierarchy)
    }

    /// Locates a report.
    /// - Parameters:
    ///   - point: WGS84 position from GPS or Open311 `lat`/`long`, if any.
    ///   - addressText: free address or description text, e.g. `浦东新区北蔡镇莲溪路`.
    ///   - chosenRegionCode: a region the reporter picked, if any.
    /// - Returns: the deepest certain region, how it was found, and ambiguous candidates.
    /// - Throws: ``LocateError/outsideCoverage(latitude:longitude:)`` for a point outside every polygon,
    ///   ``LocateError/unknownRegion(_:)`` for an unknown chosen code,
    ///   ``LocateError/conflict(chosenRegionCode:locatedRegionCode:)``
    ///   when the chosen region is outside the point's region, ``LocateError/noLocation`` when nothing is usable.
    public func locate(point: GeoPoint?, addressText: String?, chosenRegionCode: String?) throws -> LocatedRegion {
        let chosen = try chosenRegionCode.map { code in
            guard let region = hierarchy[code] else { throw LocateError.unknownRegion(code) }
            return region
        }
        let text = addressText ?? ""
        if let point {
            let base = try polygonRegion(of: point)
            if let chosen {
                if hierarchy.isWithin(chosen.code, ancestor: base.code) {
                    let result = LocatedRegion(
                        regionCode: chosen.code, method: chosen.code == base.code ? .polygon : .reporterChoice)
                    return refine(result, text: text)
                }
                let district = hierarchy.ancestor(of: base.code, at: .district) ?? base
                guard hierarchy.isWithin(chosen.code, ancestor: district.code) else {
                    throw LocateError.conflict(chosenRegionCode: chosen.code, locatedRegionCode: district.code)
                }
                // The choice is in the right district (or is an ancestor): the finer polygon stands.
            }
            return refine(LocatedRegion(regionCode: base.code, method: .polygon), text: text)
        }
        if let chosen { return refine(LocatedRegion(regionCode: chosen.code, method: .reporterChoice), text: text) }
        return try locate(text: text)
    }

    /// Regions named in the text (full names and short forms), deepest level first, then in reading order;
    /// each region once. An ambiguous name such as 虹桥 yields every region bearing it.
    public func placeNames(in text: String) -> [Region] {
        var seen = Set<String>()
        let regions = gazetteer.matches(in: text).flatMap(\.codes).filter { seen.insert($0).inserted }.compactMap {
            hierarchy[$0]
        }
        return regions.enumerated().sorted { ($1.element.level, $0.offset) < ($0.element.level, $1.offset) }.map(
            \.element)
    }

    /// The deepest region whose polygon contains the point (later boundaries win ties).
    private func polygonRegion(of point: GeoPoint) throws -> Region {
        let regions = boundaries.regions(containing: point).compactMap { hierarchy[$0] }
        guard let deepest = regions.reversed().max(by: { $0.level < $1.level }) else {
            throw LocateError.outsideCoverage(latitude: point.latitude, longitude: point.longitude)
        }
        return deepest
    }
}
