import CityDomain
import Fluent

/// The triage queue: hotline reports the classifier was unsure of, waiting for an operations centre
/// (`GET /api/v1/triage`, the console's triage desk). Scoped by the operator's region subtree; callers check
/// that the operator may triage at all (``OperatorScope/worksForACentre``).
enum TriageQueries {
    /// Queued hotline reports within `scope`'s region subtree, oldest first, `limit` of them from `offset` on.
    /// - Throws: database errors.
    static func queue(
        scope: OperatorScope, reference: CityReference, on db: any Database, limit: Int, offset: Int = 0
    ) async throws -> [Report] {
        try await queued(scope: scope, reference: reference, on: db).offset(offset).limit(limit).all()
    }

    /// How many reports ``queue(scope:reference:on:limit:offset:)`` has in all.
    /// - Throws: database errors.
    static func count(scope: OperatorScope, reference: CityReference, on db: any Database) async throws -> Int {
        try await queued(scope: scope, reference: reference, on: db).count()
    }

    /// The hotline report `id` if it lies in `scope`'s region subtree (a report without a region counts as the
    /// city's), whatever its triage state; nil when it does not exist, came from another channel or lies outside.
    /// - Throws: database errors.
    static func hotlineReport(
        _ id: Int, scope: OperatorScope, reference: CityReference, on db: any Database
    ) async throws -> Report? {
        guard let report = try await Report.find(id, on: db), report.source == .hotline,
            scope.covers(report, in: reference.hierarchy)
        else { return nil }
        return report
    }

    /// Hotline reports waiting in the queue within the operator's region subtree, oldest first; unlimited.
    private static func queued(scope: OperatorScope, reference: CityReference, on db: any Database)
        -> QueryBuilder<Report>
    {
        let query = Report.query(on: db).filter(\.$triageState == .queued)
            .filter(\.$source == .hotline)
        if let codes = scope.regionCodes(in: reference.hierarchy) { query.filter(\.$regionCode ~~ codes) }
        return query.sort(\.$receivedAt).sort(\.$id)
    }
}
