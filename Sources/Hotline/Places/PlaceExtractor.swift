import CityDomain
import Foundation

/// Finds place names in a hotline message and resolves them to the deepest region they agree on (CityNet hotline
/// issue §4).
///
/// Names come from ``CityDomain/RegionGazetteer`` (districts, streets/towns and their short forms: 浦东, 北蔡) and
/// from an optional road list. Where a road and a region name overlap, the longer wins (虹桥路 is a road, not
/// 虹桥镇); on equal length the region wins. Resolution:
/// 1. Named districts narrow deeper names: 闵行区虹桥镇 keeps only 闵行's 虹桥.
/// 2. Of the deeper names' regions, those consistent with every deeper mention (inside or containing one of its
///    regions) are kept, the deepest of them: 北蔡镇 + 莲溪路 (北蔡, 花木) → 北蔡镇.
/// 3. One region left → ``PlaceResult/regionCode``. Several (虹桥 alone) or a conflict (a street outside the named
///    district, two districts) → ``PlaceResult/candidates``, with the common ancestor as the region when it is
///    below the city. The city itself (上海) never decides anything.
public struct PlaceExtractor: Sendable {
    /// The hierarchy names resolve in.
    public let hierarchy: RegionHierarchy
    let gazetteer: RegionGazetteer
    let roads: RoadIndex

    /// Builds the name indexes once.
    /// - Parameters:
    ///   - hierarchy: regions, e.g. `RegionHierarchy.shanghai()`.
    ///   - roads: road names a city loads (``RoadName/load(csv:)``); region codes unknown to `hierarchy` are ignored.
    public init(hierarchy: RegionHierarchy, roads: [RoadName] = []) {
        self.hierarchy = hierarchy
        self.gazetteer = RegionGazetteer(hierarchy: hierarchy)
        self.roads = RoadIndex(roads: roads, isKnown: { hierarchy[$0] != nil })
    }

    /// Extracts and resolves the places named in a message.
    /// - Parameter text: the message, any length; only the first 4,000 characters are read.
    /// - Returns: the resolved region (or `nil`), candidates for the operator, and every mention.
    public func extract(_ text: String) -> PlaceResult {
        let characters = RuleText.normalize(text)
        let mentions = self.mentions(in: characters)
        let (regionCode, candidates) = resolve(mentions)
        return PlaceResult(regionCode: regionCode, candidates: candidates, mentions: mentions)
    }

    /// Region and road mentions merged in reading order; overlapping ones resolved longer-first, regions on ties.
    func mentions(in characters: [Character]) -> [PlaceMention] {
        let regionMentions = gazetteer.matches(in: String(characters)).map {
            PlaceMention(text: $0.name, codes: $0.codes, offset: $0.offset, isRoad: false)
        }
        let roadMentions = roads.matches(in: characters)
        func overlaps(_ a: PlaceMention, _ b: PlaceMention) -> Bool {
            a.offset < b.offset + b.text.count && b.offset < a.offset + a.text.count
        }
        let keptRegions = regionMentions.filter { region in
            !roadMentions.contains { overlaps($0, region) && $0.text.count > region.text.count }
        }
        let keptRoads = roadMentions.filter { road in
            !keptRegions.contains { overlaps($0, road) }
        }
        return (keptRegions + keptRoads).sorted { $0.offset < $1.offset }
    }
}
