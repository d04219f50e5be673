import CityDomain
import Fluent
import FluentSQL
import Foundation
import SQLKit

/// The console desk's pages (issue #17): keyset paging in both directions over the work queue
/// (``inQueueOrder(_:)``), so page 1,000 costs what page 1 does. A page is named by the case it follows (`after`) or
/// precedes (`before`), never by a number of cases to skip.
extension CaseQueries {
    /// Where a desk page starts.
    enum DeskPosition: Equatable, Sendable {
        /// The head of the queue.
        case first
        /// The cases right after this one in queue order (the "next page" link: the last case shown).
        case after(CaseCursor)
        /// The cases right before this one (the "previous page" link: the first case shown).
        case before(CaseCursor)
    }

    /// One desk page, with the cursors of its neighbours.
    struct DeskPage {
        /// The page, in queue order.
        var cases: [Case]
        /// Cases matching the filter on every page (``total(_:scope:reference:on:now:)``).
        var total: Int
        /// Whether this page is the head of the queue.
        var isFirst: Bool
        /// The cursor of the next page (its `after`), nil when this page is the last.
        var next: CaseCursor?
        /// The cursor of the previous page (its `before`), nil on the first page.
        var previous: CaseCursor?
    }

    /// The `size` cases of `filter` at `position`. A `before` position that reaches the head of the queue answers
    /// the first page (full, so the pages never shift by a few cases); an `after` position past the end answers the
    /// page before it. A cursor of another filter is still a position in the queue.
    /// - Throws: as ``matching(_:scope:reference:on:now:openOnly:)``; database errors.
    static func deskPage(
        _ filter: CaseFilter, scope: OperatorScope, reference: CityReference, on db: any Database, now: Date,
        at position: DeskPosition, size: Int
    ) async throws -> DeskPage {
        let query = try matching(filter, scope: scope, reference: reference, on: db, now: now)
        let total = try await total(filter, scope: scope, reference: reference, on: db, now: now)
        func forward(_ cursor: CaseCursor?) async throws -> DeskPage {
            let rows = try await queuePage(
                query, filter: filter, scope: scope, reference: reference, on: db, now: now, after: cursor,
                limit: size + 1)
            let shown = Array(rows.prefix(size))
            return DeskPage(
                cases: shown, total: total, isFirst: cursor == nil,
                next: rows.count > size ? try shown.last.map(CaseCursor.init(after:)) : nil,
                previous: cursor == nil ? nil : try shown.first.map(CaseCursor.init(after:)))
        }
        switch position {
        case .first: return try await forward(nil)
        case .after(let cursor):
            let page = try await forward(cursor)
            guard page.cases.isEmpty else { return page }
            return try await deskPage(
                filter, scope: scope, reference: reference, on: db, now: now, at: .before(cursor), size: size)
        case .before(let cursor):
            let rows = try await queuePage(
                query, filter: filter, scope: scope, reference: reference, on: db, now: now, before: cursor,
                limit: size + 1)
            guard rows.count > size else { return try await forward(nil) }
            let shown = Array(rows.prefix(size).reversed())
            return DeskPage(
                cases: shown, total: total, isFirst: false, next: try shown.last.map(CaseCursor.init(after:)),
                previous: try shown.first.map(CaseCursor.init(after:)))
        }
    }

    /// `limit` cases of `query` right before `cursor` in queue order, nearest first (the queue read backwards): the
    /// closed part oldest first up the primary key from the cursor, then the open part from its end, each from its
    /// index as ``queuePage(_:filter:scope:reference:on:now:after:limit:)`` reads it forwards.
    /// - Throws: database errors.
    static func queuePage(
        _ query: QueryBuilder<Case>, filter: CaseFilter, scope: OperatorScope, reference: CityReference,
        on db: any Database, now: Date, before cursor: CaseCursor, limit: Int
    ) async throws -> [Case] {
        let (wantsOpen, wantsClosed) = parts(filter)
        var rows: [Case] = []
        var openBefore: (due: Date?, id: Int)?
        switch cursor {
        case .closed(let id):
            if wantsClosed {
                rows = try await query.copy().filter(\.$state == .closed).filter(\.$id > id).sort(\.$id, .ascending)
                    .limit(limit).all()
            }
        case .open(let due, let id): openBefore = (due, id)
        }
        guard wantsOpen, rows.count < limit else { return rows }
        let open = try matching(filter, scope: scope, reference: reference, on: db, now: now, openOnly: true)
        if let before = openBefore {
            // What precedes (due, id) in (limit ascending, no limit last, id descending).
            let id = before.id
            if let due = before.due {
                open.group(.or) { before in
                    before.filter(\.$stepDueAt < due)
                        .group(.and) { $0.filter(\.$stepDueAt == due).filter(\.$id > id) }
                }
            } else {
                open.group(.or) { before in
                    before.filter(\.$stepDueAt != nil)
                        .group(.and) { $0.filter(\.$stepDueAt == nil).filter(\.$id > id) }
                }
            }
        }
        rows += try await inReverseQueueOrder(open).limit(limit - rows.count).all()
        return rows
    }

    /// Open cases of `query` in the reverse of ``inQueueOrder(_:)``: cases without a running limit first (oldest
    /// first), then the latest limit first.
    static func inReverseQueueOrder(_ query: QueryBuilder<Case>) -> QueryBuilder<Case> {
        query
            .sort(.sql(unsafeRaw: #"CASE WHEN "step_due_at" IS NULL THEN 0 ELSE 1 END"#))
            .sort(\.$stepDueAt, .descending).sort(\.$id, .ascending)
    }
}
