import CityDomain
import Foundation
import SQLKit

/// Case counts by Asia/Shanghai day and by region within a span of time (issue #12 §4): what the league counts
/// within a window (``ReportingWindow``) and what the trend charts draw. Each read aggregates in SQL over the cases
/// received (`created_at`) or closed (`closed_at`) within the span only: whole days from the daily rollups
/// (``CaseDayCounts``), partial days through the covering indexes
/// `cases_created_window_idx` and `cases_closed_window_idx` (``CreateCaseWindowIndexes``), so its cost is that of
/// the span, not of the whole history.
///
/// What each measure means within a span [from, to):
/// - *received*: cases created (受理) within it;
/// - *closed*: cases whose closing (`closed_at`) falls within it — a case reopened and closed again counts at its
///   last closing, and not at all while reopened (``CaseRules`` clears `closed_at` on reopening);
/// - *on time* (按期结案, CJ/T 315-2009): of the closed ones, those closed with no overall limit or by it
///   (``CaseOnTime``), so the on-time closure rate is on time / closed;
/// - *first dispatch kept* (一次派遣准确): of the received ones, those still held by the unit first dispatched to
///   (``CaseFirstDispatch``, as the all-time league counts it), so first-dispatch accuracy is kept /
///   received.
enum TrendQueries {
    /// Which instant of a case a count follows.
    enum Event: Sendable {
        /// `created_at`; the second count is "first dispatch kept".
        case received
        /// `closed_at`; the second count is "closed on time".
        case closed

        var column: String { self == .received ? "created_at" : "closed_at" }
    }

    /// Cases counted, and of them those kept by the first unit (received) or closed on time (closed).
    struct Tally: Equatable, Sendable {
        var count = 0
        var kept = 0

        static func += (a: inout Tally, b: Tally) {
            a.count += b.count
            a.kept += b.kept
        }
    }

    /// Seconds Asia/Shanghai is ahead of UTC: 8 hours, with no daylight saving since 1991 (``ShanghaiTime``), so a
    /// day bucket is plain arithmetic on the stored instant in both databases.
    static let shanghaiOffset = 28_800

    /// The Asia/Shanghai day of `column` of `cases`, as days since 1970-01-01 (``CalendarDay/daysSince1970``):
    /// SQLite stores instants as seconds since 1970 (a float), PostgreSQL as `timestamptz`. 23:30 UTC is 07:30 the
    /// next day in Beijing, and counts there.
    static func dayBucket(_ column: String, on sql: any SQLDatabase) -> SQLQueryString {
        let field: SQLQueryString = #""cases"."\#(unsafeRaw: column)""#
        let dialect = LiteralRows.Dialect(sql)
        let seconds: SQLQueryString = dialect == .postgres ? "EXTRACT(EPOCH FROM \(field))" : field
        return dialect.floor("(\(seconds) + \(unsafeRaw: String(shanghaiOffset))) / 86400")
    }

    /// Counts of `event` in [`from`, `to`) by Asia/Shanghai day (days since 1970), within `scope` and, when given,
    /// `regions` (region codes, those outside the scope ignored; nil: all of the scope). Days without cases are
    /// absent. Whole days from the daily rollups, partial ones from the cases (``CaseWindowCounts``).
    /// - Throws: database errors.
    static func byDay(
        _ event: Event, from: Date, to: Date, scope: OperatorScope, regions: [String]?, reference: CityReference,
        on sql: any SQLDatabase
    ) async throws -> [Int: Tally] {
        let counts = try await CaseWindowCounts.count(
            event, in: .halfOpen(from, to), by: .day, regions: codes(regions, scope: scope, reference: reference),
            unit: scope.onlyUnit, on: sql)
        return Dictionary(uniqueKeysWithValues: counts.map { ($0.key.day, $0.value) })
    }

    /// Counts of `event` in [`from`, `to`) by the region code (as stored) and the unit holding the case, within
    /// `scope`: what the leagues count within a window — by district (``league(_:scope:reference:on:)``), by street
    /// or by unit (``RoleLeagueQueries``). Pairs without cases are absent. Whole days from the daily rollups, partial
    /// ones from the cases (``CaseWindowCounts``).
    /// - Throws: database errors.
    static func byRegionAndUnit(
        _ event: Event, from: Date, to: Date, scope: OperatorScope, reference: CityReference,
        on sql: any SQLDatabase
    ) async throws -> [(region: String, unit: String, tally: Tally)] {
        let counts = try await CaseWindowCounts.count(
            event, in: .halfOpen(from, to), by: .regionAndUnit,
            regions: codes(nil, scope: scope, reference: reference), unit: scope.onlyUnit, on: sql)
        return counts.map { ($0.key.region, $0.key.unit, $0.value) }
    }

    /// The region codes counted: `regions` narrowed to the scope (it never widens it), or the scope's (nil: the
    /// whole city).
    static func codes(_ regions: [String]?, scope: OperatorScope, reference: CityReference) -> [String]? {
        let hierarchy = reference.hierarchy
        return regions?.filter { hierarchy.isWithin($0, ancestor: scope.regionCode) }
            ?? scope.regionCodes(in: hierarchy)
    }
}
