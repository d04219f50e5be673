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
    /// Why it matched, for the operator: category, place, time and text similarity, one line each.
    public var reasons: [String]

    /// Creates a match.
    public init(caseID: Int, score: Double, reasons: [String]) {
        self.caseID = caseID
        self.score = score
        self.reasons = reasons
    }
}
