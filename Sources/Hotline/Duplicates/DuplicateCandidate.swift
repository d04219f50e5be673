import CityDomain
import Foundation

/// An open case a new report might duplicate.
public struct DuplicateCandidate: Sendable, Equatable {
    /// The case's id.
    public var caseID: Int
    /// Its fine (leaf) category code, e.g. `noise.construction`.
    public var categoryCode: String
    /// Its region code (street/town or deeper where known).
    public var regionCode: String
    /// Its WGS84 position, if any.
    public var point: GeoPoint?
    /// When the case was opened.
    public var openedAt: Date
    /// The case's text (first report's title and detail, or a summary).
    public var text: String

    /// Creates a candidate.
    public init(caseID: Int, categoryCode: String, regionCode: String, point: GeoPoint?, openedAt: Date, text: String) {
        self.caseID = caseID
        self.categoryCode = categoryCode
        self.regionCode = regionCode
        self.point = point
        self.openedAt = openedAt
        self.text = text
    }
}

/// A new report, as the duplicate detector sees it.
public struct DuplicateReport: Sendable, Equatable {
    /// Its fine (leaf) category code.
    public var categoryCode: String
    /// Its region code.
    public var regionCode: String
    /// Its WGS84 position, if any.
    public var point: GeoPoint?
    /// When it was received.
    public var receivedAt: Date
    /// Its text.
    public var text: String

    /// Creates a report.
    public init(categoryCode: String, regionCode: String, point: GeoPoint?, receivedAt: Date, text: String) {
        self.categoryCode = categoryCode
        self.regionCode = regionCode
        self.point = point
        self.receivedAt = receivedAt
        self.text = text
    }
}

/// The case a report should attach to.
public struct DuplicateMatch: Sendable, Equatable {
    /// The open case's id.
    public var caseID: Int
    /// Combined score in 0…1 (see ``DuplicateDetector``); higher is a surer duplicate.
    public var score: Double
    /// Why it matched: category, place, time and text similarity, one each.
    public var why: [MergeReason]
    /// ``why`` as English lines (``MergeReason/description``), as records and the API keep them.
    public var reasons: [String] { why.map(\.description) }

    /// Creates a match.
    public init(caseID: Int, score: Double, why: [MergeReason]) {
        self.caseID = caseID
        self.score = score
        self.why = why
    }
}

/// One reason a report was judged a duplicate of an open case (one gate of ``DuplicateDetector``), with its figures,
/// so an application can word it in its reader's language; ``description`` is the English line records keep.
public enum MergeReason: Sendable, Equatable, CustomStringConvertible {
    /// The same leaf category code.
    case sameCategory(String)
    /// Both points within `limit` metres: `metres` apart (both rounded to whole metres).
    case distance(metres: Int, limit: Int)
    /// No points to compare: the same region code.
    case sameRegion(String)
    /// `hours` from the case opening, within `limit` hours.
    case hours(Double, limit: Double)
    /// Text similarity `score` (0…1), at least `limit`.
    case similarity(Double, limit: Double)

    /// The figures as the English line writes them: hours to 0.1 (limit to 1), similarities to 0.01, e.g.
    /// `["hours": "2.5", "limit": "72"]`.
    public var figures: [String: String] {
        switch self {
        case .sameCategory(let code): ["category": code]
        case .distance(let metres, let limit): ["metres": "\(metres)", "limit": "\(limit)"]
        case .sameRegion(let code): ["region": code]
        case .hours(let hours, let limit):
            ["hours": String(format: "%.1f", hours), "limit": String(format: "%.0f", limit)]
        case .similarity(let score, let limit):
            ["score": String(format: "%.2f", score), "limit": String(format: "%.2f", limit)]
        }
    }

    public var description: String {
        let f = figures
        return switch self {
        case .sameCategory(let code): "same category \(code)"
        case .distance: "\(f["metres"] ?? "") m apart (≤ \(f["limit"] ?? "") m)"
        case .sameRegion(let code): "same region \(code)"
        case .hours: "\(f["hours"] ?? "") h from the case opening (≤ \(f["limit"] ?? "") h)"
        case .similarity: "text similarity \(f["score"] ?? "") (≥ \(f["limit"] ?? ""))"
        }
    }
}
