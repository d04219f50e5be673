import Foundation

/// How a report's region was found.
public enum LocateMethod: String, Codable, Sendable {
    /// The reported point lies in the region's polygon (and no text or choice refined it further).
    case polygon
    /// A street/town (or deeper) name in the address text, inside the point's or the named district.
    case addressText = "address_text"
    /// The region the reporter picked from a list.
    case reporterChoice = "reporter_choice"
    /// Only a district name in the address text: no point, no street.
    case district
    /// An operator chose the region while categorising the report by hand (the triage queue).
    case operatorChoice = "operator_choice"
    /// Not located; the app files such a report at the city root for manual triage.
    case none
}

/// Where a report belongs in the region hierarchy, and how sure we are.
public struct LocatedRegion: Codable, Equatable, Sendable {
    /// The deepest region that is certain, e.g. `310115105` (北蔡镇) or a district when the street is unknown.
    public var regionCode: String
    /// How `regionCode` was found.
    public var method: LocateMethod
    /// When the text named several regions that could not be told apart (虹桥街道 in 长宁 and 虹桥镇 in 闵行),
    /// their codes, ordered by code; `regionCode` is then their common ancestor. Empty otherwise.
    public var candidates: [String]

    /// Creates a located region.
    public init(regionCode: String, method: LocateMethod, candidates: [String] = []) {
        self.regionCode = regionCode
        self.method = method
        self.candidates = candidates
    }

    /// The result for a report that could not be located: the root region with method ``LocateMethod/none``.
    public static func unlocated(in hierarchy: RegionHierarchy) -> LocatedRegion {
        LocatedRegion(regionCode: hierarchy.root.code, method: .none)
    }
}

/// Why a report could not be located.
public enum LocateError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The point lies outside every boundary (outside Shanghai, or at sea), WGS84 degrees.
    case outsideCoverage(latitude: Double, longitude: Double)
    /// The chosen region code is not in the hierarchy.
    case unknownRegion(String)
    /// The chosen region is not inside the district (or deeper region) the point lies in.
    case conflict(chosenRegionCode: String, locatedRegionCode: String)
    /// Neither a point, nor a known place name, nor a chosen region.
    case noLocation

    public var description: String {
        switch self {
        case .outsideCoverage(let latitude, let longitude):
            "The point latitude \(latitude), longitude \(longitude) (WGS84) is outside every covered region "
                + "(outside Shanghai or at sea)."
        case .unknownRegion(let code):
            "Region code \(code) is not in the region hierarchy."
        case .conflict(let chosen, let located):
            "The chosen region \(chosen) is not inside region \(located), where the reported point lies."
        case .noLocation:
            "The report has no point, no known place name in its address text and no chosen region."
        }
    }
}
