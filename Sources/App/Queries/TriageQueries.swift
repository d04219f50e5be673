import CityDomain
import Fluent
import Foundation
import SQLKit

/// The triage queue: hotline reports the classifier was unsure of, waiting for an operations centre
/// (`GET /api/v1/triage`, the console's triage desk). Scoped by the operator's region subtree; callers check
/// that the operator may triage at all (``OperatorScope/worksForACentre``).
///
/// Pages are keyset pages in queue order (received, then id; oldest first): a page starts after (or ends before) a
/// report, so a decision taken meanwhile by someone else never shifts a page, and a deep page costs what the first
/// does. Both read `reports_triage_queue_idx` / `reports_triage_category_idx` (``UpdateReportsAddTriageCategory``).
enum TriageQueries {
    /// Which suggested category a page shows: all, one category code, or the reports triage suggested none for.
    enum CategoryFilter: Equatable, Sendable {
        case all
        case category(String)
        case none

        /// The filter a query parameter names: absent or empty → all, `none` → no suggestion, else a code.
        init(parameter: String?) {
            switch parameter?.trimmingCharacters(in: .whitespaces) {
            case nil, "": self = .all
            case "none": self = .none
            case let code?: self = .category(code)
            }
        }

        /// The query parameter that names it; nil for all.
        var parameter: String? {
            switch self {
            case .all: nil
            case .none: "none"
            case .category(let code): code
            }
        }
    }

    /// Where a keyset page starts or ends.
    enum Anchor: Equatable, Sendable {
        /// The page starts at the head of the queue.
        case head
        /// The page starts right after this report (queue order).
        case after(Report.Key)
        /// The page ends right before this report (the previous page).
        case before(Report.Key)
    }

    /// Queued reports within `scope` under `filter`, in queue order, at most `limit`, placed by `anchor`.
    /// - Parameters: `limit` 1…500 (the caller checks it).
    /// - Returns: the page, oldest first (also for ``Anchor/before(_:)``).
    /// - Throws: database errors.
    static func page(
        scope: OperatorScope, reference: CityReference, filter: CategoryFilter = .all, anchor: Anchor = .head,
        limit: Int, on db: any Database
    ) async throws -> [Report] {
        let query = queued(scope: scope, reference: reference, filter: filter, on: db)
        switch anchor {
        case .head:
            return try await query.sort(\.$receivedAt).sort(\.$id).limit(limit).all()
        case .after(let key):
            // `received_at >= t` seeks in the index; the OR only sorts out the reports received at the same instant.
            return try await query.filter(\.$receivedAt >= key.receivedAt).group(.or) {
                $0.filter(\.$receivedAt > key.receivedAt).filter(\.$id > key.id)
            }.sort(\.$receivedAt).sort(\.$id).limit(limit).all()
        case .before(let key):
            return try await query.filter(\.$receivedAt <= key.receivedAt).group(.or) {
                $0.filter(\.$receivedAt < key.receivedAt).filter(\.$id < key.id)
            }.sort(\.$receivedAt, .descending).sort(\.$id, .descending).limit(limit).all().reversed()
        }
    }

    /// How many queued reports under `filter` come before `key` in queue order: where a page starting at `key`
    /// sits (its first row is number `position + 1`).
    /// - Throws: database errors.
    static func position(
        of key: Report.Key, scope: OperatorScope, reference: CityReference, filter: CategoryFilter = .all,
        on db: any Database
    ) async throws -> Int {
        try await queued(scope: scope, reference: reference, filter: filter, on: db)
            .filter(\.$receivedAt <= key.receivedAt).group(.or) {
                $0.filter(\.$receivedAt < key.receivedAt).filter(\.$id < key.id)
            }.count()
    }

    /// Queued hotline reports within `scope`'s region subtree, oldest first, `limit` of them from `offset` on (the
    /// API's offset paging, kept for its callers; the desk pages by keyset, ``page(scope:reference:filter:anchor:limit:on:)``).
    /// - Throws: database errors.
    static func queue(
        scope: OperatorScope, reference: CityReference, on db: any Database, limit: Int, offset: Int = 0
    ) async throws -> [Report] {
        try await queued(scope: scope, reference: reference, filter: .all, on: db).sort(\.$receivedAt).sort(\.$id)
            .offset(offset).limit(limit).all()
    }

    /// How many reports the queue holds within `scope` under `filter`.
    /// - Throws: database errors.
    static func count(
        scope: OperatorScope, reference: CityReference, filter: CategoryFilter = .all, on db: any Database
    ) async throws -> Int {
        try await queued(scope: scope, reference: reference, filter: filter, on: db).count()
    }

    /// The queue within `scope` counted per suggested category (nil: triage suggested none), most first, then by
    /// code; the counts add up to ``count(scope:reference:filter:on:)`` for all.
    /// - Throws: database errors.
    static func countsByCategory(scope: OperatorScope, reference: CityReference, on db: any Database) async throws
        -> [(code: String?, count: Int)]
    {
        let sql = try db.sql()
        var select = sql.select().column("triage_category")
            .column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n")))
            .from(Report.schema)
            .where("triage_state", .equal, HotlineTriageState.queued.rawValue)
            .where("source", .equal, ReportSource.hotline.rawValue)
        if let codes = scope.regionCodes(in: reference.hierarchy) { select = select.where("region_code", .in, codes) }
        let rows = try await select.groupBy("triage_category").all()
        return try rows.map {
            (try $0.decode(column: "triage_category", as: String?.self), try $0.decode(column: "n", as: Int.self))
        }.sorted { $0.count != $1.count ? $0.count > $1.count : ($0.code ?? "") < ($1.code ?? "") }
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

    /// The queue place of hotline report `id`, the anchor `after=`/`before=` names (API and desk); nil when there is
    /// no hotline report with that id that `scope` covers (``hotlineReport(_:scope:reference:on:)``), so an answer
    /// never tells whether a report exists outside the operator's region.
    /// - Throws: database errors.
    static func anchorKey(
        _ id: Int, scope: OperatorScope, reference: CityReference, on db: any Database
    ) async throws -> Report.Key? {
        try await hotlineReport(id, scope: scope, reference: reference, on: db)?.queueKey()
    }

    /// What the live feed watches to tell open triage desks that the queue within their region changed (issue #12
    /// §7): the number of hotline reports waiting in a region's subtree and the newest of their ids. A report
    /// entering the queue (always a new, highest id) or leaving it (decided, dismissed, forwarded) changes the mark
    /// of its region and of every region above it, and no other region's.
    struct QueueMark: Equatable, Sendable {
        var waiting: Int
        var newestID: Int?

        /// Nothing waiting.
        static let empty = QueueMark(waiting: 0, newestID: nil)
    }

    /// Every region's ``QueueMark`` at one instant.
    struct QueueMarks: Equatable, Sendable {
        /// By region code: each region holding waiting reports and every region above it. The city's root holds the
        /// whole queue, with the reports without a region or with one the hierarchy does not know (they count as
        /// the city's, as in ``hotlineReport(_:scope:reference:on:)``).
        var byRegion: [String: QueueMark] = [:]

        /// The mark of the subtree of the region `code` (``QueueMark/empty`` when nothing waits there).
        subscript(code: String) -> QueueMark { byRegion[code] ?? .empty }

        /// The region codes whose mark differs from the one in `old`.
        func changed(since old: QueueMarks) -> Set<String> {
            Set(byRegion.keys).union(old.byRegion.keys).filter { self[$0] != old[$0] }
        }
    }

    /// The queue's marks now, per region (``QueueMarks``): one read of the waiting hotline reports' count and
    /// newest id grouped by region, over `reports_triage_region_idx` (``CreateReportsTriageRegionIndex``: index
    /// entries of waiting reports only, whatever the history's size), folded up `hierarchy` in memory.
    /// - Throws: database errors.
    static func queueMarks(hierarchy: RegionHierarchy, on db: any Database) async throws -> QueueMarks {
        let root = hierarchy.root.code
        var marks = QueueMarks()
        for row in try await queueByRegion(on: db.sql()).all(decoding: QueueRow.self) {
            var codes = row.region.map { hierarchy.ancestors(of: $0).map(\.code) } ?? []
            if codes.last != root { codes.append(root) }
            for code in codes {
                var mark = marks[code]
                mark.waiting += row.count
                mark.newestID = [mark.newestID, row.newestID].compactMap { $0 }.max()
                marks.byRegion[code] = mark
            }
        }
        return marks
    }

    /// One region's waiting reports: how many, and the newest id.
    private struct QueueRow: Decodable {
        var region: String?
        var count: Int
        var newestID: Int?
        enum CodingKeys: String, CodingKey { case region = "region_code", count = "n", newestID = "newest_id" }
    }

    /// The read behind ``queueMarks(hierarchy:on:)``: waiting hotline reports' count and newest id by region.
    static func queueByRegion(on sql: any SQLDatabase) -> SQLSelectBuilder {
        sql.select().column("region_code").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .column(SQLFunction("MAX", args: SQLColumn("id")), as: "newest_id").from(Report.schema)
            .where("triage_state", .equal, HotlineTriageState.queued.rawValue)
            .where("source", .equal, ReportSource.hotline.rawValue).groupBy("region_code")
    }

    /// Every hotline report waiting in the queue, city-wide; unsorted, unlimited.
    static func waiting(on db: any Database) -> QueryBuilder<Report> {
        Report.query(on: db).filter(\.$triageState == .queued).filter(\.$source == .hotline)
    }

    /// Hotline reports waiting in the queue within the operator's region subtree under `filter`; unsorted,
    /// unlimited.
    private static func queued(
        scope: OperatorScope, reference: CityReference, filter: CategoryFilter, on db: any Database
    ) -> QueryBuilder<Report> {
        let query = waiting(on: db)
        switch filter {
        case .all: break
        case .none: query.filter(\.$triageCategory == nil)
        case .category(let code): query.filter(\.$triageCategory == code)
        }
        if let codes = scope.regionCodes(in: reference.hierarchy) { query.filter(\.$regionCode ~~ codes) }
        return query
    }
}

extension Report {
    /// A report's place in the triage queue's order: received, then id.
    struct Key: Equatable, Sendable {
        var receivedAt: Date
        var id: Int
    }

    /// This report's place in queue order.
    /// - Throws: when the report has no id (not stored).
    func queueKey() throws -> Key { Key(receivedAt: receivedAt, id: try requireID()) }
}
