import CityDomain
import Vapor

/// The console's search page, `GET /console/search` (issue #12 §2): the header's search box on every page leads
/// here. A case number the operator may see opens the case (303); anything else lists the hits of
/// ``SearchQueries`` with the filters, newest report first, in the operator's language. A refused search shows its
/// reason (``SearchProblem``) on the page with the status 400 or 403.
struct SearchDeskController {
    struct Option: Encodable {
        var code: String
        var name: String
        var selected: Bool
    }

    struct Row: Encodable {
        var reportID: Int
        var received: Date
        var channel: String
        var text: String
        var address: String
        var caseID: Int?
        var stateName: String
        var regionName: String
        var overdue: Bool
    }

    struct SearchPage: Encodable {
        var page: ConsolePage
        var q: String
        var placeholder: String
        var districts: [Option]
        var streets: [Option]
        var categories: [Option]
        var states: [Option]
        var channels: [Option]
        var units: [Option]
        var overdue: Bool
        var from: String
        var to: String
        var searched: Bool
        var problem: String?
        var notices: [String]
        var rows: [Row]
        var totalText: String?
        var windowText: String?
        var nextURL: String?
    }

    @Sendable func show(req: Request) async throws -> Response {
        let scope = try req.auth.require(OperatorScope.self)
        let language = ConsoleText.language(req)
        let words = ConsoleText.table(language)
        let reference = req.reference
        let parameters = try req.query.decode(SearchRequest.Parameters.self)
        var view = Self.form(parameters, scope: scope, reference: reference, language: language, req: req)
        var status = HTTPResponseStatus.ok
        if parameters.q != nil {
            view.searched = true
            do {
                let request = try SearchRequest(parameters, scope: scope, reference: reference)
                let result = try await SearchQueries.search(
                    request, scope: scope, reference: reference, on: req.db, now: req.now)
                if let id = result.caseID, request.before == nil {
                    return req.redirect(to: "/console/cases/\(id)", redirectType: .normal)
                }
                if case .caseNumber(let id, _) = request.query {
                    view.notices.append(
                        words["search_no_case", default: ""].replacingOccurrences(of: "{n}", with: "\(id)"))
                }
                if result.phoneNotEntitled { view.notices.append(words["search_phone_not_entitled", default: ""]) }
                view.rows = result.hits.map { Self.row($0, reference: reference, language: language, words: words) }
                let key = result.totalExact ? "search_total" : "search_total_estimate"
                view.totalText = words[key, default: ""].replacingOccurrences(of: "{n}", with: "\(result.total)")
                view.windowText = result.searchedTo.map {
                    words["search_window", default: ""].replacingOccurrences(of: "{n}", with: "\($0)")
                }
                if let next = result.next {
                    var components = URLComponents(string: req.url.string) ?? URLComponents()
                    components.path = "/console/search"
                    components.queryItems =
                        (components.queryItems ?? []).filter { $0.name != "cursor" }
                        + [URLQueryItem(name: "cursor", value: String(next))]
                    view.nextURL = components.string
                }
            } catch let problem as SearchProblem {
                view.problem = req.refusalText(problem)
                status = problem.status
            }
        }
        let response = try await req.view.render("console/search", view).encodeResponse(for: req)
        response.status = status
        return response
    }

    private static func row(
        _ hit: SearchQueries.Hit, reference: CityReference, language: DisplayLanguage, words: [String: String]
    ) -> Row {
        let region = hit.caseRegion ?? hit.regionCode
        return Row(
            reportID: hit.reportID, received: hit.receivedAt,
            channel: hit.channel.map { ConsoleText.term($0, language) } ?? words[hit.source]
                ?? ConsoleText.term(hit.source, language),
            text: hit.description ?? "", address: hit.address ?? "", caseID: hit.caseID,
            stateName: hit.caseState.flatMap(CaseState.init(rawValue:))?.name(in: language)
                ?? words["waiting_triage", default: ""],
            regionName: region.map { reference.regionName($0, in: language) } ?? "", overdue: hit.overdue)
    }

    /// The form, filled with what was asked, its choices limited to the operator's scope.
    private static func form(
        _ p: SearchRequest.Parameters, scope: OperatorScope, reference: CityReference, language: DisplayLanguage,
        req: Request
    ) -> SearchPage {
        let hierarchy = reference.hierarchy
        let visible = Set(hierarchy.subtree(of: scope.regionCode))
        func regions(_ level: RegionLevel, _ chosen: String?) -> [Option] {
            hierarchy.all.filter { $0.level == level && visible.contains($0.code) }.map {
                Option(code: $0.code, name: $0.name(in: language), selected: $0.code == chosen)
            }
        }
        let chosenStates = Set((p.state ?? "").split(separator: ",").map(String.init))
        let words = ConsoleText.table(language)
        let channels =
            ReportSource.allCases.map(\.rawValue) + HotlineChannel.allCases.map(\.rawValue)
        return SearchPage(
            page: ConsolePage(req, title: "search", active: "search"), q: p.q ?? "",
            placeholder: words[scope.seesReporterContact ? "search_box" : "search_box_no_phone", default: ""],
            districts: regions(.district, p.district), streets: regions(.street, p.street),
            categories: reference.taxonomy.all.map {
                Option(code: $0.code, name: $0.name(in: language), selected: $0.code == p.category)
            },
            states: CaseState.allCases.map {
                Option(code: $0.rawValue, name: $0.name(in: language), selected: chosenStates.contains($0.rawValue))
            },
            channels: channels.map {
                Option(
                    code: $0, name: words[$0] ?? ConsoleText.term($0, language), selected: $0 == p.channel)
            },
            units: reference.units.values.filter { visible.contains($0.regionCode) }
                .sorted { $0.code < $1.code }
                .map { Option(code: $0.code, name: $0.name(in: language), selected: $0.code == p.unit) },
            overdue: ["true", "1", "on"].contains(p.overdue ?? ""), from: p.from ?? "", to: p.to ?? "",
            searched: false, problem: nil, notices: [], rows: [], totalText: nil, windowText: nil, nextURL: nil)
    }
}
