import Foundation

extension RegionLocator {
    /// Regions named in the text, restricted to those inside `scope` (every region when `nil`); when the text
    /// names districts, street names outside those districts are dropped (闵行区虹桥镇 is not ambiguous).
    /// Returns the matches at the deepest level found.
    func namedRegions(in text: String, within scope: String?) -> [Region] {
        var named = placeNames(in: text)
        if let scope { named = named.filter { hierarchy.isWithin($0.code, ancestor: scope) } }
        let districts = named.filter { $0.level == .district }.map(\.code)
        if !districts.isEmpty {
            named = named.filter { region in
                region.level <= .district || districts.contains { hierarchy.isWithin(region.code, ancestor: $0) }
            }
        }
        guard let deepest = named.first?.level else { return [] }
        return named.filter { $0.level == deepest }.sorted { $0.code < $1.code }
    }

    /// Moves a located region deeper when the text names a region inside it; several names inside it leave the
    /// result at their common ancestor (if that is deeper) with the names as candidates.
    func refine(_ located: LocatedRegion, text: String) -> LocatedRegion {
        guard !text.isEmpty, let current = hierarchy[located.regionCode] else { return located }
        let named = namedRegions(in: text, within: current.code).filter { $0.level > current.level }
        guard !named.isEmpty else { return located }
        if named.count == 1 { return LocatedRegion(regionCode: named[0].code, method: .addressText) }
        let common = hierarchy.commonAncestor(of: named.map(\.code)) ?? current
        let method = common.code == current.code ? located.method : .addressText
        return LocatedRegion(regionCode: common.code, method: method, candidates: named.map(\.code))
    }

    /// Locates from the address text alone.
    func locate(text: String) throws -> LocatedRegion {
        let named = namedRegions(in: text, within: nil)
        guard let first = named.first else { throw LocateError.noLocation }
        if named.count == 1 {
            return LocatedRegion(regionCode: first.code, method: first.level == .district ? .district : .addressText)
        }
        let common = hierarchy.commonAncestor(of: named.map(\.code)) ?? hierarchy.root
        let method: LocateMethod = common.level == .district ? .district : .addressText
        return LocatedRegion(regionCode: common.code, method: method, candidates: named.map(\.code))
    }
}
