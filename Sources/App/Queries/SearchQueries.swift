import CityDomain
import Fluent
import FluentSQL
import Foundation
import SQLKit

/// Search over cases and reports (issue #12 §2) within an operator's scope: the same rule as the desks
/// (``OperatorScope/canSee(regionCode:unitCode:in:)``: the region subtree, and for caseworkers and grid workers only
/// their unit's cases), plus, for operations centres, the hotline reports still waiting in triage of their region
/// (as ``TriageQueries``).
///
/// One hit is one report (every case is made of reports; a case's text is its first report's), shown with its case.
/// Hits come newest report first, down the report ids (keyset paging: a page costs the same however deep); there is
/// no relevance ranking. A text query walks the postings of its rarest gram (``CityDomain/SearchText``) newest first
/// and confirms the others and the exact phrase per candidate; each page walks at most ``window`` postings, so a
/// page costs at most that however long the history and however narrow the filters: when the window ends before a
/// page is full, the page says how far it searched and its cursor continues from there.
enum SearchQueries {
    /// Postings a page may walk.
    static let window = 20_000
    /// Postings counted per gram to pick the rarest (as many as a page may walk: a gram under the cap is read whole).
    static let gramCountCap = window

    struct Hit: Sendable {
        var reportID: Int
        var receivedAt: Date
        var source: String
        var channel: String?
        var description: String?
        var address: String?
        var regionCode: String?
        var triageState: String?
        var caseID: Int?
        var caseState: String?
        var caseRegion: String?
        var caseUnit: String?
        var caseCategory: String?
        var overdue: Bool
    }

    struct Result: Sendable {
        /// `case_number`, `phone` or `text`: how the query was read.
        var kind: String
        /// The case the query names exactly, when it exists and the operator may see it.
        var caseID: Int?
        var hits: [Hit]
        /// Hits between the start of the page and the end of the searched window (exact when ``totalExact``).
        var total: Int
        /// Whether ``total`` counts every hit of the search (first page, window not cut short).
        var totalExact: Bool
        /// The report id the next page starts below; nil on the last page.
        var next: Int?
        /// Whether a phone number was searched as text only, because the operator may not search by phone.
        var phoneNotEntitled: Bool
        /// The oldest report id the page searched down to (the window's end), when the window cut the search short.
        var searchedTo: Int?
    }

    /// Runs `request` for `scope`.
    /// Collects the statements a search runs, for the query-plan tests.
    // @unchecked Sendable: one search at a time appends to it, in order.
    final class Recorder: @unchecked Sendable {
        var statements: [SQLQueryString] = []
    }

    /// - Parameters: `now`, the instant `overdue` is judged at; `recorder`, given by tests, receives every
    ///   statement run.
    /// - Throws: database errors.
    static func search(
        _ request: SearchRequest, scope: OperatorScope, reference: CityReference, on db: any Database, now: Date,
        recorder: Recorder? = nil
    ) async throws -> Result {
        let sql = Recording(sql: try db.sql(), recorder: recorder)
        var caseID: Int?
        var phone: String?
        var text: String
        var kind = "text"
        var phoneNotEntitled = false
        switch request.query {
        case .caseNumber(let id, let digits):
            kind = "case_number"
            if try await CaseQueries.visible(id, scope: scope, reference: reference, on: db) != nil { caseID = id }
            if let digits, scope.seesReporterContact { phone = digits }
            text = String(id)
        case .phone(let digits):
            if scope.seesReporterContact {
                kind = "phone"
                phone = digits
            } else {
                phoneNotEntitled = true
            }
            text = digits
        case .text(let normalised): text = normalised
        }
        var result = Result(
            kind: kind, caseID: caseID, hits: [], total: 0, totalExact: true, next: nil,
            phoneNotEntitled: phoneNotEntitled)
        // The case asked for by its number: the console opens it, so no text search is spent on its digits.
        if caseID != nil { return result }
        let conditions = filters(request.filter, scope: scope, reference: reference, now: now)
        let before = request.before ?? Int(Int32.max)
        if let phone {
            // One reporter's reports: few, read down the phone index.
            let driver = SQLQueryString(#""search_texts" AS "d""#)
            let match: SQLQueryString = #""d"."phone" = \#(bind: phone)"#
            try await fill(
                &result, driver: driver, match: match, conditions: conditions, before: before, floor: 0,
                limit: request.limit, first: request.before == nil, now: now, on: sql)
            return result
        }
        let grams = SearchText.queryGrams(text)
        var counts: [(gram: String, n: Int)] = []
        for gram in grams.prefix(16) {
            let row = try await sql.raw(
                #"SELECT COUNT(*) AS "n" FROM (SELECT 1 FROM "search_grams" WHERE "gram" = \#(bind: gram) LIMIT \#(unsafeRaw: String(gramCountCap))) AS "x""#
            ).first()
            let n = try row?.decode(column: "n", as: Int.self) ?? 0
            if n == 0 { return result }  // a gram no report has: nothing matches
            counts.append((gram, n))
        }
        counts.sort { $0.n < $1.n }
        let driver = counts[0].gram
        var match: SQLQueryString = #""d"."gram" = \#(bind: driver)"#
        for other in counts.dropFirst().prefix(3) {
            match.appendInterpolation(
                SQLQueryString(
                    #" AND EXISTS (SELECT 1 FROM "search_grams" AS "o" WHERE "o"."gram" = \#(bind: other.gram) AND "o"."report_id" = "d"."report_id")"#
                ))
        }
        if text.count > 2 {
            match.appendInterpolation(
                SQLQueryString(
                    #" AND EXISTS (SELECT 1 FROM "search_texts" AS "t" WHERE "t"."report_id" = "d"."report_id" AND "t"."body" LIKE \#(bind: "%" + text + "%"))"#
                ))
        }
        // The window: the report id of the driver's window-th posting below the cursor (0: the postings end first).
        let edge = try await sql.raw(
            #"SELECT "report_id" FROM "search_grams" WHERE "gram" = \#(bind: driver) AND "report_id" < \#(bind: before) ORDER BY "report_id" DESC LIMIT 1 OFFSET \#(unsafeRaw: String(window - 1))"#
        ).first()
        let floor = try edge?.decode(column: "report_id", as: Int.self) ?? 0
        try await fill(
            &result, driver: SQLQueryString(#""search_grams" AS "d""#), match: match, conditions: conditions,
            before: before, floor: floor, limit: request.limit, first: request.before == nil, now: now, on: sql)
        return result
    }

    /// Reads a page and its count from `driver` (a table aliased `d` with a `report_id`) where `match`, between
    /// `floor` (inclusive) and `before` (exclusive), newest first.
    private static func fill(
        _ result: inout Result, driver: SQLQueryString, match: SQLQueryString, conditions: [any SQLExpression],
        before: Int, floor: Int, limit: Int, first: Bool, now: Date, on sql: Recording
    ) async throws {
        var whereClause = match
        whereClause.appendInterpolation(
            SQLQueryString(#" AND "d"."report_id" < \#(bind: before) AND "d"."report_id" >= \#(bind: floor)"#))
        for condition in conditions { whereClause.appendInterpolation(SQLQueryString(" AND \(condition)")) }
        let from = SQLQueryString(
            #"FROM \#(driver) JOIN "reports" ON "reports"."id" = "d"."report_id" LEFT JOIN "cases" ON "cases"."id" = "reports"."case_id" WHERE \#(whereClause)"#
        )
        let rows = try await sql.raw(
            #"SELECT \#(unsafeRaw: columns) \#(from) ORDER BY "d"."report_id" DESC LIMIT \#(unsafeRaw: String(limit + 1))"#
        ).all()
        var hits = try rows.map { try hit($0, now: now) }
        let more = hits.count > limit
        if more { hits.removeLast() }
        result.hits = hits
        if more {
            let counted = try await sql.raw(#"SELECT COUNT(*) AS "n" \#(from)"#).first()
            result.total = try counted?.decode(column: "n", as: Int.self) ?? 0
        } else {
            result.total = hits.count  // the page holds every match of the window: no second walk to count them
        }
        result.totalExact = first && floor == 0
        if more, let last = hits.last {
            result.next = last.reportID
        } else if floor > 0 {
            result.next = floor
            result.searchedTo = floor
        }
    }

    private static let columns = [
        #""reports"."id" AS "report_id""#, #""reports"."received_at""#, #""reports"."source""#,
        #""reports"."channel""#, #""reports"."description""#, #""reports"."address""#, #""reports"."region_code""#,
        #""reports"."triage_state""#, #""reports"."case_id""#, #""cases"."state" AS "case_state""#,
        #""cases"."region_code" AS "case_region""#, #""cases"."unit_code" AS "case_unit""#,
        #""cases"."category_code" AS "case_category""#, #""cases"."suspended_since""#, #""cases"."step_due_at""#,
        #""cases"."due_at""#,
    ].joined(separator: ", ")

    private static func hit(_ row: any SQLRow, now: Date) throws -> Hit {
        let state = try row.decode(column: "case_state", as: String?.self)
        let overdue = try state.map { state in
            try CaseWorkflow.isOverdue(
                state: CaseState(rawValue: state) ?? .dispatched,
                suspended: row.decode(column: "suspended_since", as: Date?.self) != nil,
                stepDueAt: row.decode(column: "step_due_at", as: Date?.self),
                dueAt: row.decode(column: "due_at", as: Date?.self), now: now)
        }
        return Hit(
            reportID: try row.decode(column: "report_id", as: Int.self),
            receivedAt: try row.decode(column: "received_at", as: Date.self),
            source: try row.decode(column: "source", as: String.self),
            channel: try row.decode(column: "channel", as: String?.self),
            description: try row.decode(column: "description", as: String?.self),
            address: try row.decode(column: "address", as: String?.self),
            regionCode: try row.decode(column: "region_code", as: String?.self),
            triageState: try row.decode(column: "triage_state", as: String?.self),
            caseID: try row.decode(column: "case_id", as: Int?.self), caseState: state,
            caseRegion: try row.decode(column: "case_region", as: String?.self),
            caseUnit: try row.decode(column: "case_unit", as: String?.self),
            caseCategory: try row.decode(column: "case_category", as: String?.self), overdue: overdue ?? false)
    }

    /// The scope and the filters as SQL conditions over `reports` and the left-joined `cases`.
    static func filters(_ filter: SearchFilter, scope: OperatorScope, reference: CityReference, now: Date)
        -> [any SQLExpression]
    {
        let hierarchy = reference.hierarchy
        var conditions: [any SQLExpression] = []
        // Scope: a visible case, or (centres only) a report waiting in triage of the region.
        var seeCase: SQLQueryString = #""cases"."id" IS NOT NULL"#
        if let codes = scope.regionCodes(in: hierarchy) {
            seeCase.appendInterpolation(SQLQueryString(#" AND "cases"."region_code" IN \#(list(codes))"#))
        }
        if let unit = scope.onlyUnit {
            seeCase.appendInterpolation(SQLQueryString(#" AND "cases"."unit_code" = \#(bind: unit)"#))
        }
        if scope.worksForACentre, !filter.casesOnly {
            var waiting: SQLQueryString = #""reports"."case_id" IS NULL AND "reports"."source" = 'hotline'"#
            if let codes = scope.regionCodes(in: hierarchy) {
                waiting.appendInterpolation(
                    SQLQueryString(
                        #" AND COALESCE("reports"."region_code", \#(bind: hierarchy.root.code)) IN \#(list(codes))"#))
            }
            conditions.append(SQLQueryString("((\(seeCase)) OR (\(waiting)))"))
        } else {
            conditions.append(SQLQueryString("(\(seeCase))"))
        }
        for region in [filter.district, filter.street].compactMap({ $0 }) where region != hierarchy.root.code {
            let codes = hierarchy.subtree(of: region)
            conditions.append(
                SQLQueryString(
                    #"("cases"."region_code" IN \#(list(codes)) OR ("reports"."case_id" IS NULL AND "reports"."region_code" IN \#(list(codes))))"#
                ))
        }
        if let unit = filter.unit { conditions.append(SQLQueryString(#""cases"."unit_code" = \#(bind: unit)"#)) }
        if let categories = filter.categories {
            conditions.append(SQLQueryString(#""cases"."category_code" IN \#(list(categories))"#))
        }
        if let states = filter.states {
            conditions.append(SQLQueryString(#""cases"."state" IN \#(list(states))"#))
        }
        if filter.overdue { conditions.append(CaseOverdue.sqlExpression(now: now)) }
        if let from = filter.from {
            conditions.append(SQLQueryString(#""reports"."received_at" >= \#(bind: from)"#))
        }
        if let to = filter.to { conditions.append(SQLQueryString(#""reports"."received_at" < \#(bind: to)"#)) }
        if let source = filter.source {
            conditions.append(SQLQueryString(#""reports"."source" = \#(bind: source)"#))
        }
        if let channel = filter.hotlineChannel {
            conditions.append(SQLQueryString(#""reports"."channel" = \#(bind: channel)"#))
        }
        return conditions
    }

    /// The database, recording each statement first when a test asks.
    struct Recording {
        let sql: any SQLDatabase
        let recorder: Recorder?

        func raw(_ statement: SQLQueryString) -> SQLRawBuilder {
            recorder?.statements.append(statement)
            return sql.raw(statement)
        }
    }

    private static func list(_ values: [String]) -> any SQLExpression {
        SQLGroupExpression(SQLList(values.map { SQLBind($0) as any SQLExpression }))
    }
}
