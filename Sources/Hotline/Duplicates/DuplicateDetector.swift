import CityDomain
import Foundation

/// Decides whether a new report is about the same incident as an open case (CityNet hotline issue §4: "same fine
/// category, same place or within 250 m, inside a time window, similar text").
///
/// A candidate must pass four gates:
/// 1. the same leaf category code;
/// 2. the same place: both points within ``radius`` metres when both have points, else the same region code;
/// 3. `|receivedAt − openedAt|` ≤ ``window`` (a replayed report may predate the case);
/// 4. text similarity (``DuplicateTextSimilarity``, cosine of 2–3-gram counts) ≥ ``similarity``.
///
/// Passing candidates are scored `0.6 × text + 0.2 × place + 0.2 × time`, where place is `1 − d/radius` (1 for a
/// region match) and time `1 − Δt/window`; the best wins, ties to the newest case, then the lowest id.
public struct DuplicateDetector: Sendable {
    /// Default text-similarity threshold once category, place and time already agree: 0.12. Short calls about one
    /// incident share few grams (莲溪路工地夜间施工，打桩声音很大 / 莲溪路工地晚上11点还在打桩施工 score 0.14; two
    /// 装修 calls 0.41; two 消防通道 calls 0.39), while a different complaint at the same site scored 0.07
    /// (北蔡镇某工地白天施工扬尘). Our judgement on such pairs, not a measurement: no labelled hotline merges exist yet.
    public static let defaultSimilarity = 0.12

    /// Threshold for grouping by text alone (no category or place known, e.g. hotspot mining): 0.30, the knee of
    /// the curve measured on the 4,310 unlabelled Teddy Cup messages (`Sources/Hotline/Duplicates/MERGE-EVALUATION.md`):
    /// 4,310 reports → 4,068 cases in 24 h windows, about 4 in 5 merges between 0.30 and 0.50 right by eye.
    public static let textOnlySimilarity = 0.30

    /// Longest time between the case opening and the report, in seconds.
    public let window: TimeInterval
    /// Largest distance between the two points, in metres.
    public let radius: Double
    /// Smallest text similarity, 0…1.
    public let similarity: Double
    let measure = DuplicateTextSimilarity()

    /// Creates a detector.
    /// - Parameters:
    ///   - window: seconds, default 24 h (the time window; a daily 12345 hotspot report works by day).
    ///   - radius: metres, default 250 (the figure, about one grid cell's diagonal of 141 m plus GPS error).
    ///   - similarity: text threshold 0…1, default ``defaultSimilarity``.
    public init(window: TimeInterval = 24 * 3600, radius: Double = 250, similarity: Double = defaultSimilarity) {
        self.window = window
        self.radius = radius
        self.similarity = similarity
    }

    /// The open case a report duplicates, or `nil`.
    /// - Parameters:
    ///   - report: the new report.
    ///   - candidates: open cases, any order (the caller pre-filters by category and time for speed).
    /// - Returns: the best passing case with its score and reasons.
    public func bestMatch(for report: DuplicateReport, among candidates: [DuplicateCandidate]) -> DuplicateMatch? {
        let profile = measure.profile(report.text)
        var best: (match: DuplicateMatch, openedAt: Date)?
        for candidate in candidates {
            guard let match = score(report, profile: profile, candidate) else { continue }
            if let current = best {
                let better =
                    (match.score, candidate.openedAt, -match.caseID)
                    > (current.match.score, current.openedAt, -current.match.caseID)
                if !better { continue }
            }
            best = (match, candidate.openedAt)
        }
        return best?.match
    }

    /// The same as the ``DuplicateReport`` form of `bestMatch(for:among:)`, for a report given as a labelled tuple.
    public func bestMatch(
        for report: (categoryCode: String, regionCode: String, point: GeoPoint?, receivedAt: Date, text: String),
        among candidates: [DuplicateCandidate]
    ) -> DuplicateMatch? {
        bestMatch(
            for: DuplicateReport(
                categoryCode: report.categoryCode, regionCode: report.regionCode, point: report.point,
                receivedAt: report.receivedAt, text: report.text),
            among: candidates)
    }

    func score(
        _ report: DuplicateReport, profile: DuplicateTextSimilarity.Profile, _ candidate: DuplicateCandidate
    ) -> DuplicateMatch? {
        guard report.categoryCode == candidate.categoryCode else { return nil }
        var reasons: [MergeReason] = [.sameCategory(candidate.categoryCode)]
        let place: Double
        if let a = report.point, let b = candidate.point {
            let distance = a.distance(to: b)
            guard distance <= radius else { return nil }
            place = radius > 0 ? 1 - distance / radius : 1
            reasons.append(.distance(metres: Int(distance.rounded()), limit: Int(radius)))
        } else {
            guard report.regionCode == candidate.regionCode else { return nil }
            place = 1
            reasons.append(.sameRegion(candidate.regionCode))
        }
        let elapsed = abs(report.receivedAt.timeIntervalSince(candidate.openedAt))
        guard elapsed <= window else { return nil }
        let time = window > 0 ? 1 - elapsed / window : 1
        reasons.append(.hours(elapsed / 3600, limit: window / 3600))
        let text = measure.similarity(profile, measure.profile(candidate.text))
        guard text >= similarity else { return nil }
        reasons.append(.similarity(text, limit: similarity))
        return DuplicateMatch(caseID: candidate.caseID, score: 0.6 * text + 0.2 * place + 0.2 * time, why: reasons)
    }
}
