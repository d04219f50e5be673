import CityDomain
import Foundation
import Vapor

/// A search as asked for (the console's search box and `GET /api/v1/search`), checked: the query, the filters that
/// narrow it, where the page starts and how long it is.
struct SearchRequest: Sendable {
    /// The query's meaning (``CityDomain/SearchText/parse(_:)``).
    var query: SearchText.Query
    /// The query as typed, trimmed.
    var typed: String
    var filter: SearchFilter
    /// Only reports older than this one (keyset paging down the report ids: newest first).
    var before: Int?
    var limit: Int

    static let defaultLimit = 20
    static let maxLimit = 100

    /// The query parameters both the console and the API take.
    struct Parameters: Content {
        var q: String?
        var district: String?
        var street: String?
        var unit: String?
        var category: String?
        /// State codes, comma-separated.
        var state: String?
        /// `true` or `false`.
        var overdue: String?
        /// First day of the window (`YYYY-MM-DD`, Asia/Shanghai), inclusive.
        var from: String?
        /// Last day of the window (`YYYY-MM-DD`, Asia/Shanghai), inclusive.
        var to: String?
        /// A report source (`hotline`, `open311`, `api`, `sensor`, `camera`, `gov_rating`) or a hotline channel
        /// (`phone`, `web`, `app`, `wechat`, `mini_program`).
        var channel: String?
        var cursor: String?
        var limit: Int?
    }

    /// Checks `parameters` against the reference data and `scope`.
    /// - Throws: ``SearchProblem`` naming the first thing wrong (in the order of the parameters above).
    init(_ p: Parameters, scope: OperatorScope, reference: CityReference) throws(SearchProblem) {
        do {
            query = try SearchText.parse(p.q ?? "")
        } catch {
            switch error {
            case .empty: throw .emptyQuery
            case .tooLong(let count): throw .queryTooLong(count)
            }
        }
        typed = (p.q ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var filter = SearchFilter()
        let hierarchy = reference.hierarchy
        func region(_ value: String?, level: RegionLevel, problem: (String) -> SearchProblem) throws(SearchProblem)
            -> String?
        {
            guard let code = value.nonBlank else { return nil }
            guard let found = hierarchy[code], found.level == level else { throw problem(code) }
            guard
                hierarchy.isWithin(code, ancestor: scope.regionCode)
                    || hierarchy.isWithin(scope.regionCode, ancestor: code)
            else { throw .outsideScope(code) }
            return code
        }
        filter.district = try region(p.district, level: .district) { .unknownDistrict($0) }
        filter.street = try region(p.street, level: .street) { .unknownStreet($0) }
        if let unit = p.unit.nonBlank {
            guard reference.units[unit] != nil else { throw .unknownUnit(unit) }
            filter.unit = unit
        }
        if let category = p.category.nonBlank {
            guard reference.taxonomy[category] != nil else { throw .unknownCategory(category) }
            filter.categories = reference.taxonomy.all.map(\.code).filter {
                $0 == category || $0.hasPrefix(category + ".")
            }
        }
        if let states = p.state.nonBlank {
            filter.states = try states.split(separator: ",").map { value throws(SearchProblem) in
                let text = value.trimmingCharacters(in: .whitespaces)
                guard let state = CaseState(rawValue: text) else { throw .unknownState(text) }
                return state.rawValue
            }
        }
        switch p.overdue.nonBlank {
        case nil, "false", "0": filter.overdue = false
        case "true", "1", "on": filter.overdue = true
        case let other?: throw .badOverdue(other)
        }
        filter.from = try Self.day(p.from, field: "from")
        filter.to = try Self.day(p.to, field: "to").map { $0.addingTimeInterval(86_400) }
        if let from = filter.from, let to = filter.to, to <= from { throw .windowReversed }
        if let channel = p.channel.nonBlank {
            if let source = ReportSource(rawValue: channel) {
                filter.source = source.rawValue
            } else if let hotline = HotlineChannel(rawValue: channel) {
                filter.hotlineChannel = hotline.rawValue
            } else {
                throw .unknownChannel(channel)
            }
        }
        self.filter = filter
        if let cursor = p.cursor.nonBlank {
            guard cursor.count <= 12, let id = Int(cursor), id > 0 else { throw .badCursor }
            before = id
        }
        limit = p.limit ?? Self.defaultLimit
        guard (1...Self.maxLimit).contains(limit) else { throw .badLimit(limit) }
    }

    /// Midnight starting `text` (`YYYY-MM-DD`) in Asia/Shanghai.
    private static func day(_ text: String?, field: String) throws(SearchProblem) -> Date? {
        guard let text = text.nonBlank else { return nil }
        let parts = text.split(separator: "-").compactMap { Int($0) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        guard text.count == 10, parts.count == 3, (1...12).contains(parts[1]), (1...31).contains(parts[2]),
            let date = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])),
            calendar.component(.day, from: date) == parts[2]
        else { throw .badDate(field: field, value: text) }
        return date
    }
}

/// The filters a search combines (all optional; each narrows further).
struct SearchFilter: Equatable, Sendable {
    /// A district code: its cases (and waiting reports located there).
    var district: String?
    /// A street code: likewise.
    var street: String?
    var unit: String?
    /// The category asked for and every category below it.
    var categories: [String]?
    var states: [String]?
    /// Only cases overdue at the search's `now` (``CaseOverdue``).
    var overdue = false
    /// Reports received at or after this instant.
    var from: Date?
    /// Reports received before this instant.
    var to: Date?
    /// `reports.source`.
    var source: String?
    /// `reports.channel` (hotline calls).
    var hotlineChannel: String?

    /// Whether only cases can match (a filter of the case's own fields): reports still waiting in triage cannot.
    var casesOnly: Bool { unit != nil || categories != nil || states != nil || overdue }
}

/// Why a search was refused; worded by the catalogue (``message``, `search.*`): in the operator's language on the
/// console, in English for the API.
enum SearchProblem: Error, Equatable, Sendable {
    case emptyQuery
    case queryTooLong(Int)
    case unknownDistrict(String)
    case unknownStreet(String)
    case outsideScope(String)
    case unknownUnit(String)
    case unknownCategory(String)
    case unknownState(String)
    case badOverdue(String)
    case badDate(field: String, value: String)
    case windowReversed
    case unknownChannel(String)
    case badCursor
    case badLimit(Int)

    /// 403 for a region outside the operator's scope, else 400.
    var status: HTTPResponseStatus { if case .outsideScope = self { .forbidden } else { .badRequest } }

    /// The API's error: the status and the English message.
    var abort: LocalizedRefusal { LocalizedRefusal(status, message) }
}
