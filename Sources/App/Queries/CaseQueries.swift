import CityDomain
import Fluent
import FluentSQL
import Vapor

/// Case lists within an operator's scope, for the API (`GET /api/v1/cases`), the console's desk and anything else
/// that lists cases. Each function takes the database, the operator's scope, the reference data and the time;
/// none takes a request.
enum CaseQueries {
    /// One page of a list and how many cases match in all.
    struct Listing {
        /// The page, in queue order (``inQueueOrder(_:)``).
        var cases: [Case]
        /// Cases matching the filter, on every page.
        var total: Int
        /// Where the next page starts; nil when this page is the last (fewer cases than asked for).
        var next: CaseCursor? = nil
    }

    /// The cases `scope` may see that match `filter`, unsorted and unpaged.
    /// - Parameters:
    ///   - filter: what to narrow to; `assignee: "me"` means `scope`'s operator.
    ///   - scope: the operator asking: their region subtree, and for caseworkers and grid workers their unit.
    ///   - reference: the regions, units and categories the filter's codes are checked against.
    ///   - db: the database.
    ///   - now: the instant `filter.overdue` is judged at.
    ///   - openOnly: only the open cases, read through the partial index `cases_open_idx` alone: every other
    ///     condition is then spelled so that no index of its column serves it (``unindexed(_:_:)``), because a
    ///     database that started from one of those would walk a whole slice of the history.
    /// - Throws: ``LocalizedRefusal`` 400 naming an unknown region, unit, state or category (checked in that order,
    ///   `filter.*`); 403 for a region outside `scope`.
    static func matching(
        _ filter: CaseFilter, scope: OperatorScope, reference: CityReference, on db: any Database, now: Date,
        openOnly: Bool = false
    ) throws -> QueryBuilder<Case> {
        let query = Case.query(on: db)
        func narrow(_ field: KeyPath<Case, FieldProperty<Case, String>>, _ values: [String]) {
            let column = Case.path(for: field)[0].description
            if openOnly {
                query.filter(.sql(unindexed(column, values)))
            } else {
                query.filter(field ~~ values)
            }
        }
        if openOnly { query.filter(.sql(CaseOverdue.openExpression)) }
        if let codes = scope.regionCodes(in: reference.hierarchy) { narrow(\.$regionCode, codes) }
        if let unit = scope.onlyUnit { narrow(\.$unitCode, [unit]) }
        if let region = filter.region {
            guard reference.hierarchy[region] != nil else {
                throw LocalizedRefusal(.badRequest, "filter.unknown_region", ["code": region])
            }
            guard reference.hierarchy.isWithin(region, ancestor: scope.regionCode) else {
                throw LocalizedRefusal(
                    .forbidden, "filter.region_outside", ["region": region, "region_scope": scope.regionCode])
            }
            if region != reference.hierarchy.root.code {
                narrow(\.$regionCode, reference.hierarchy.subtree(of: region))
            }
        }
        if let unit = filter.unit {
            guard reference.units[unit] != nil else {
                throw LocalizedRefusal(.badRequest, "filter.unknown_unit", ["code": unit])
            }
            narrow(\.$unitCode, [unit])
        }
        if let states = filter.states {
            let known = CaseState.allCases.map(\.rawValue).joined(separator: ", ")
            guard !states.isEmpty else {
                throw LocalizedRefusal(.badRequest, "filter.no_state", ["states_known": known])
            }
            let typed = try states.map { value in
                guard let state = CaseState(rawValue: value) else {
                    throw LocalizedRefusal(
                        .badRequest, "filter.unknown_state", ["value": value, "states_known": known])
                }
                return state
            }
            if openOnly {
                query.filter(.sql(unindexed("state", typed.map(\.rawValue))))
            } else {
                query.filter(\.$state ~~ typed)
            }
        }
        if let category = filter.category {
            guard reference.taxonomy[category] != nil else {
                throw LocalizedRefusal(.badRequest, "filter.unknown_category", ["code": category])
            }
            let codes = reference.taxonomy.all.map(\.code).filter { $0 == category || $0.hasPrefix(category + ".") }
            narrow(\.$categoryCode, codes)
        }
        if let assignee = filter.assignee.nonBlank {
            let name = assignee == "me" ? scope.username : assignee
            if openOnly {
                query.filter(.sql(unindexed("assignee", [name])))
            } else {
                query.filter(\.$assignee == name)
            }
        }
        if filter.overdue { CaseOverdue.filter(query, now: now) }
        return query
    }

    /// `"cases"."column" IN (values…)` spelled as `("cases"."column" || '') IN (…)`: the same rows (a NULL stays
    /// unmatched), but no index of the column can serve it, on SQLite and PostgreSQL alike.
    static func unindexed(_ column: String, _ values: [String]) -> any SQLExpression {
        let text = SQLBinaryExpression(
            left: SQLColumn(column, table: Case.schema), op: SQLRaw("||"), right: SQLLiteral.string(""))
        return SQLBinaryExpression(
            SQLGroupExpression(text), .in, SQLGroupExpression(values.map { SQLBind($0) as any SQLExpression }))
    }

    /// `query` sorted as a work queue: open before closed, then the earliest running time limit first (cases
    /// without one last, on SQLite and PostgreSQL alike, so overdue and due-soon cases lead), then newest.
    /// Lists read it in two parts (``queuePage(_:filter:scope:reference:on:now:offset:limit:)``): the open cases in this order, then the closed
    /// ones newest first (a closed case has no running limit).
    static func inQueueOrder(_ query: QueryBuilder<Case>) -> QueryBuilder<Case> {
        query
            .sort(.sql(unsafeRaw: #"CASE WHEN "state" = 'closed' THEN 1 ELSE 0 END"#))
            .sort(.sql(unsafeRaw: #"CASE WHEN "step_due_at" IS NULL THEN 1 ELSE 0 END"#))
            .sort(\.$stepDueAt, .ascending).sort(\.$id, .descending)
    }

    /// The cases of ``matching(_:scope:reference:on:now:)`` in queue order, `limit` of them from `offset` on,
    /// with the total (the API's list).
    /// - Throws: as ``matching(_:scope:reference:on:now:)``; database errors.
    /// - Parameter cursor: when given, the page right after it (keyset paging; `offset` must then be 0).
    static func list(
        _ filter: CaseFilter, scope: OperatorScope, reference: CityReference, on db: any Database, now: Date,
        limit: Int, offset: Int, after cursor: CaseCursor? = nil
    ) async throws -> Listing {
        let query = try matching(filter, scope: scope, reference: reference, on: db, now: now)
        let total = try await total(filter, scope: scope, reference: reference, on: db, now: now)
        let rows: [Case]
        if offset == 0 {
            rows = try await queuePage(
                query, filter: filter, scope: scope, reference: reference, on: db, now: now, after: cursor,
                limit: limit)
        } else {
            rows = try await queuePage(
                query, filter: filter, scope: scope, reference: reference, on: db, now: now, offset: offset,
                limit: limit
            ).cases
        }
        return Listing(cases: rows, total: total, next: rows.count == limit ? try rows.last.map(CaseCursor.init) : nil)
    }

    /// A numbered page of ``matching(_:scope:reference:on:now:)`` in queue order (a grid worker's task list; the
    /// desk pages by cursor: ``deskPage(_:scope:reference:on:now:at:size:)``).
    struct Page {
        var listing: Listing
        /// The page shown: the one asked for, kept inside 1…``pages``.
        var number: Int
        /// How many pages of `size` the matching cases fill (at least 1).
        var pages: Int
    }

    /// Page `number` (from 1; one past the end shows the last page) of `size` cases matching `filter`.
    /// - Throws: as ``matching(_:scope:reference:on:now:)``; database errors.
    static func page(
        _ filter: CaseFilter, scope: OperatorScope, reference: CityReference, on db: any Database, now: Date,
        number: Int, size: Int
    ) async throws -> Page {
        let query = try matching(filter, scope: scope, reference: reference, on: db, now: now)
        let total = try await total(filter, scope: scope, reference: reference, on: db, now: now)
        let pages = max(1, (total + size - 1) / size)
        let shown = min(max(number, 1), pages)
        let rows = try await queuePage(
            query, filter: filter, scope: scope, reference: reference, on: db, now: now, offset: (shown - 1) * size,
            limit: size
        ).cases
        return Page(listing: Listing(cases: rows, total: total), number: shown, pages: pages)
    }

    /// The case `id` if `scope` may see it; nil when it does not exist or lies outside the scope (callers answer
    /// both with the same 404, so that nobody learns which ids exist elsewhere).
    static func visible(
        _ id: Int, scope: OperatorScope, reference: CityReference, on db: any Database
    ) async throws -> Case? {
        guard let record = try await Case.find(id, on: db),
            scope.canSee(regionCode: record.regionCode, unitCode: record.unitCode, in: reference.hierarchy)
        else { return nil }
        return record
    }
}
