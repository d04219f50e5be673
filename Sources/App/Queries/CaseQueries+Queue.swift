import CityDomain
import Fluent
import FluentSQL
import Foundation
import SQLKit

/// The work queue read in two parts, so that a page costs what the open work costs, not what history costs
/// (issue #17): the open cases (few, however long the history; the partial index `cases_open_idx`) in queue order,
/// then the closed ones newest first, walked down the primary key.
extension CaseQueries {
    /// `limit` cases of `query` in queue order right after `cursor` (from the start when nil): keyset paging, each
    /// part read from its index at the cursor, so a deep page costs what the first does. Parts as in
    /// ``queuePage(_:filter:scope:reference:on:now:offset:limit:)``. A cursor from another filter is still a
    /// position in the queue: the page after it under this filter.
    /// - Throws: database errors.
    static func queuePage(
        _ query: QueryBuilder<Case>, filter: CaseFilter, scope: OperatorScope, reference: CityReference,
        on db: any Database, now: Date, after cursor: CaseCursor?, limit: Int
    ) async throws -> [Case] {
        let (wantsOpen, wantsClosed) = parts(filter)
        var rows: [Case] = []
        var closedAfter: Int?
        switch cursor {
        case nil, .open:
            guard wantsOpen else { break }
            let open = try matching(filter, scope: scope, reference: reference, on: db, now: now, openOnly: true)
            if case .open(let due, let id) = cursor {
                // Queue order is (no limit last, limit ascending, id descending): what follows (due, id).
                if let due {
                    open.group(.or) { after in
                        after.filter(\.$stepDueAt > due).filter(\.$stepDueAt == nil)
                            .group(.and) { $0.filter(\.$stepDueAt == due).filter(\.$id < id) }
                    }
                } else {
                    open.filter(\.$stepDueAt == nil).filter(\.$id < id)
                }
            }
            rows = try await inQueueOrder(open).limit(limit).all()
        case .closed(let id): closedAfter = id
        }
        if wantsClosed, rows.count < limit {
            let closed = newestClosed(query)
            if let closedAfter { closed.filter(\.$id < closedAfter) }
            rows += try await closed.limit(limit - rows.count).all()
        }
        return rows
    }

    /// `limit` cases of `query` (``matching(_:scope:reference:on:now:openOnly:)`` of `filter`) in queue order
    /// (``inQueueOrder(_:)``) from `offset` on (the API's `offset`, numbered pages). A part the filter rules out is not
    /// read at all (`overdue` or open states only: no closed case; `state=closed`: no open one), so that no filter
    /// walks the history for nothing.
    /// - Returns: the page and how many open cases `query` matches.
    /// - Throws: database errors.
    static func queuePage(
        _ query: QueryBuilder<Case>, filter: CaseFilter, scope: OperatorScope, reference: CityReference,
        on db: any Database, now: Date, offset: Int, limit: Int
    ) async throws -> (cases: [Case], open: Int) {
        let (wantsOpen, wantsClosed) = parts(filter)
        var openCount = 0
        var rows: [Case] = []
        if wantsOpen {
            let open = try matching(filter, scope: scope, reference: reference, on: db, now: now, openOnly: true)
            openCount = try await open.copy().count()
            if offset < openCount {
                rows = try await inQueueOrder(open).offset(offset).limit(limit).all()
            }
        }
        if wantsClosed, rows.count < limit {
            let closed = newestClosed(query)
            rows += try await closed.offset(max(0, offset - openCount)).limit(limit - rows.count).all()
        }
        return (rows, openCount)
    }

    /// Which parts of the queue `filter` can match: open cases unless it asks for closed ones only, closed cases
    /// unless it asks for open states only or for overdue cases (a closed case is never overdue).
    static func parts(_ filter: CaseFilter) -> (open: Bool, closed: Bool) {
        let closedState = CaseState.closed.rawValue
        return (
            filter.states.map { $0.contains { $0 != closedState } } ?? true,
            !filter.overdue && (filter.states.map { $0.contains(closedState) } ?? true)
        )
    }

    /// The closed cases of `query`, newest first (down the primary key).
    private static func newestClosed(_ query: QueryBuilder<Case>) -> QueryBuilder<Case> {
        query.copy().filter(\.$state == .closed).sort(\.$id, .descending)
    }

    /// How many cases match `filter` for `scope`: from ``CaseCounters`` when the filter narrows only by region,
    /// unit and state (what the counters are kept by: exact, and a few thousand rows at most), else by counting
    /// the cases. `filter` must have passed ``matching(_:scope:reference:on:now:)`` (codes checked).
    /// - Throws: database errors.
    static func total(
        _ filter: CaseFilter, scope: OperatorScope, reference: CityReference, on db: any Database, now: Date
    ) async throws -> Int {
        guard filter.category == nil, filter.assignee.nonBlank == nil, !filter.overdue else {
            return try await matching(filter, scope: scope, reference: reference, on: db, now: now).count()
        }
        var select = try db.sql().select()
            .column(SQLFunction("COALESCE", args: SQLFunction("SUM", args: SQLColumn("n")), SQLLiteral.numeric("0")))
            .from("case_counters")
        if let codes = scope.regionCodes(in: reference.hierarchy) { select = select.where("region_code", .in, codes) }
        if let unit = scope.onlyUnit { select = select.where("unit_code", .equal, unit) }
        if let region = filter.region, region != reference.hierarchy.root.code {
            select = select.where("region_code", .in, reference.hierarchy.subtree(of: region))
        }
        if let unit = filter.unit { select = select.where("unit_code", .equal, unit) }
        if let states = filter.states { select = select.where("state", .in, states) }
        // PostgreSQL sums BIGINT to NUMERIC: cast back to an integer on both databases.
        let row = try await db.sql().raw("SELECT CAST(\(SQLGroupExpression(select.select)) AS BIGINT) AS n").first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }
}
