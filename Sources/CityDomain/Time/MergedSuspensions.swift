import Foundation

/// Suspensions (clock stops, 挂账 / 补正 / 特别程序) sorted and merged into disjoint spans, as seconds since 1970.
///
/// DESIGN.md §4: a suspension removes exactly the suspended span from the count, so overlapping or touching spans
/// count once and empty ones not at all.
struct MergedSuspensions: Sendable {
    /// Disjoint, non-empty spans `start..<end` in increasing order.
    let spans: [(start: TimeInterval, end: TimeInterval)]

    init(_ intervals: [DateInterval]) {
        let sorted = intervals.filter { $0.duration > 0 }
            .map { (start: $0.start.timeIntervalSince1970, end: $0.end.timeIntervalSince1970) }
            .sorted { $0.start < $1.start }
        var merged: [(start: TimeInterval, end: TimeInterval)] = []
        merged.reserveCapacity(sorted.count)
        for span in sorted {
            if let last = merged.last, span.start <= last.end {
                merged[merged.count - 1].end = max(last.end, span.end)
            } else {
                merged.append(span)
            }
        }
        spans = merged
    }
}
