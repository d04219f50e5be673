import CityDomain
import Fluent
import Vapor

/// What the triage desk shows (issue #12 §3): one keyset page of the queue under a suggested-category tab, the
/// counts, the links to the neighbouring pages, and the lists its forms offer.
struct TriageDeskPage: Encodable {
    /// How many reports one page shows.
    static let size = 50

    /// A tab of the queue: all, or one suggested category, with its count.
    struct Tab: Encodable {
        var label: String
        var count: Int
        var href: String
        var active: Bool
        /// The suggested category it shows (`none`: no suggestion; nil: all).
        var category: String?
    }

    /// One report of the page with what its forms need.
    struct Item: Encodable {
        var report: HotlineReportDTO
        /// The suggested category (`none` when triage suggested none), for "select all similar".
        var suggested: String
        /// The suggested category's name in the page's language.
        var suggestedName: String
        /// The report after this one in the queue, where the desk lands after deciding this one.
        var next: Int?
        /// The router's evidence in the page's language, and the citizen's words it rests on
        /// (``ConsoleText/routeEvidence(_:_:reference:)``).
        var evidence = ""
        var evidenceOwnWords = ""
    }

    /// An option of the forward form's unit field.
    struct UnitOption: Encodable {
        var code: String
        var label: String
    }

    var page: ConsolePage
    var items: [Item]
    var tabs: [Tab]
    /// Reports waiting in the operator's scope, all categories.
    var total: Int
    /// Reports under the current tab.
    var filtered: Int
    /// The numbers of the page's first and last rows under the current tab (1-based; 0 on an empty page).
    var first: Int
    var last: Int
    /// The current tab's category parameter ("" for all) and the report the page starts after (nil: the head).
    var category: String
    var after: Int?
    var previousHref: String?
    var nextHref: String?
    var categories: [[String: String]]
    /// Districts and streets/towns of the operator's scope, as the region field offers them.
    var regions: [String]
    var units: [UnitOption]
    var bulkMax: Int
    /// "51–100 of 2,210" in the page's language; the bulk limit's note.
    var summary: String
    var bulkLimit: String

    /// The desk's address for a tab and an anchor (`after` or `before` a report id).
    static func href(category: String?, after: Int? = nil, before: Int? = nil, fragment: Int? = nil) -> String {
        var components = URLComponents()
        components.path = "/console/triage"
        var items: [URLQueryItem] = []
        if let category, !category.isEmpty { items.append(URLQueryItem(name: "category", value: category)) }
        if let after { items.append(URLQueryItem(name: "after", value: String(after))) }
        if let before { items.append(URLQueryItem(name: "before", value: String(before))) }
        components.queryItems = items.isEmpty ? nil : items
        return (components.string ?? "/console/triage") + (fragment.map { "#report-\($0)" } ?? "")
    }

    /// Loads the page for `scope` under `filter`, starting after report `after` or ending before report `before`.
    /// - Throws: database errors.
    static func load(
        _ req: Request, scope: OperatorScope, filter: TriageQueries.CategoryFilter, after: Int?, before: Int?
    ) async throws -> TriageDeskPage {
        let reference = req.reference
        let db = req.db
        let language = ConsoleText.language(req)
        let words = ConsoleText.table(language)
        func anchorKey(_ id: Int?) async throws -> Report.Key? {
            guard let id else { return nil }
            return try await TriageQueries.anchorKey(id, scope: scope, reference: reference, on: db)
        }
        // One row more than a page: the row after the page gives the last row its "next" and says a next page exists.
        var rows: [Report]
        if let key = try await anchorKey(before) {
            rows = try await TriageQueries.page(
                scope: scope, reference: reference, filter: filter, anchor: .before(key), limit: size, on: db)
            if rows.count < size {  // fewer than a page before it: show the first page
                rows = try await TriageQueries.page(
                    scope: scope, reference: reference, filter: filter, limit: size + 1, on: db)
            } else if let last = rows.last {
                let following = try await TriageQueries.page(
                    scope: scope, reference: reference, filter: filter, anchor: .after(try last.queueKey()),
                    limit: 1, on: db)
                rows += following
            }
        } else {
            let anchor: TriageQueries.Anchor = try await anchorKey(after).map { .after($0) } ?? .head
            rows = try await TriageQueries.page(
                scope: scope, reference: reference, filter: filter, anchor: anchor, limit: size + 1, on: db)
        }
        let hasMore = rows.count > size
        let shown = Array(rows.prefix(size))
        let position: Int
        if let first = shown.first {
            position = try await TriageQueries.position(
                of: try first.queueKey(), scope: scope, reference: reference, filter: filter, on: db)
        } else {
            position = 0
        }
        // The report before the page: forms come back to a page starting after it, so a decision keeps the page.
        var pageAfter: Int?
        if position > 0, let first = shown.first {
            pageAfter = try await TriageQueries.page(
                scope: scope, reference: reference, filter: filter, anchor: .before(try first.queueKey()), limit: 1,
                on: db
            ).first?.id
        }
        let counts = try await TriageQueries.countsByCategory(scope: scope, reference: reference, on: db)
        let total = counts.reduce(0) { $0 + $1.count }
        let filtered =
            switch filter {
            case .all: total
            case .none: counts.first { $0.code == nil }?.count ?? 0
            case .category(let code): counts.first { $0.code == code }?.count ?? 0
            }
        var tabs = [
            Tab(
                label: words["triage_all"] ?? "all", count: total, href: href(category: nil), active: filter == .all,
                category: nil)
        ]
        for entry in counts {
            let parameter = entry.code ?? "none"
            let label =
                entry.code.map { reference.taxonomy[$0]?.name(in: language) ?? $0 } ?? (words["triage_no_guess"] ?? "-")
            tabs.append(
                Tab(
                    label: label, count: entry.count, href: href(category: parameter),
                    active: filter.parameter == parameter, category: parameter))
        }
        let items = shown.enumerated().map { index, report in
            var item = Item(
                report: Self.named(HotlineReportDTO(report), language: language, reference: reference),
                suggested: report.triageCategory ?? "none",
                suggestedName: report.triageCategory.map { reference.taxonomy[$0]?.name(in: language) ?? $0 }
                    ?? (words["triage_no_guess"] ?? ""),
                next: index + 1 < rows.count ? rows[index + 1].id : nil)
            if let route = item.report.triage?.route {
                (item.evidence, item.evidenceOwnWords) = ConsoleText.routeEvidence(
                    route, language, reference: reference)
            }
            return item
        }
        let hierarchy = reference.hierarchy
        let category = filter.parameter ?? ""
        return TriageDeskPage(
            page: ConsolePage(req, title: "triage", active: "triage"), items: items, tabs: tabs, total: total,
            filtered: filtered, first: shown.isEmpty ? 0 : position + 1, last: position + shown.count,
            category: category, after: pageAfter,
            previousHref: position > 0 ? shown.first?.id.map { href(category: category, before: $0) } : nil,
            nextHref: hasMore ? shown.last?.id.map { href(category: category, after: $0) } : nil,
            categories: reference.taxonomy.all.filter(reference.isService).map {
                ["code": $0.code, "name": $0.name(in: language)]
            },
            regions: TriageDeskController.fieldRegions(scope, hierarchy: hierarchy)
                .map { TriageDeskController.regionLabel($0, hierarchy: hierarchy, language: language) },
            units: reference.units.values
                .filter { hierarchy.isWithin($0.regionCode, ancestor: scope.regionCode) }
                .sorted { $0.code < $1.code }
                .map { UnitOption(code: $0.code, label: $0.name(in: language)) },
            bulkMax: TriageBulk.maxReports,
            summary: (words["triage_rows"] ?? "").replacingOccurrences(
                of: "{a}", with: "\(shown.isEmpty ? 0 : position + 1)"
            )
            .replacingOccurrences(of: "{b}", with: "\(position + shown.count)")
            .replacingOccurrences(of: "{n}", with: "\(filtered)"),
            bulkLimit: (words["bulk_limit"] ?? "").replacingOccurrences(of: "{n}", with: "\(TriageBulk.maxReports)"))
    }

    /// `report` as the desk shows it in `language`: why it waits, the model's category and the region worded in it
    /// (the record keeps the API's Chinese names and English reason).
    static func named(_ report: HotlineReportDTO, language: DisplayLanguage, reference: CityReference)
        -> HotlineReportDTO
    {
        guard var triage = report.triage else { return report }
        var named = report
        triage.reason = TriageReasonText.display(triage, language)
        triage.theme = ConsoleText.themeName(triage.theme, language)
        if let code = triage.categoryCode { triage.categoryName = reference.categoryName(code, in: language) }
        triage.regionName = reference.regionName(triage.regionCode, in: language)
        named.triage = triage
        return named
    }
}
