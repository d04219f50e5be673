import CityDomain
import Vapor

extension CaseDeskController {
    /// The desk's filters as asked for (`?region=`, `?state=`, `?overdue=1`, `?mine=1`): what the desk page and its
    /// CSV export (`GET /console/cases.csv`) both list.
    struct Filters {
        /// A region code (a street or district, from the map), checked by the query (400 unknown, 403 outside).
        var region: String?
        /// State codes, comma-separated; nil: every open state.
        var state: String?
        var overdue: Bool
        /// "Assigned to me": only grid workers are assigned cases, so only their desk offers and honours it.
        var mine: Bool

        init(_ req: Request, user: ConsoleUser) {
            region = req.query[String.self, at: "region"].flatMap { $0.isEmpty ? nil : $0 }
            state = req.query[String.self, at: "state"].flatMap { $0.isEmpty ? nil : $0 }
            overdue = req.query[String.self, at: "overdue"] == "1"
            mine = req.query[String.self, at: "mine"] == "1" && user.scope.role == .gridWorker
        }

        var filter: CaseFilter {
            CaseFilter(
                region: region,
                states: state.map { $0.split(separator: ",").map(String.init) }
                    ?? CaseState.allCases.filter { $0 != .closed }.map(\.rawValue),
                assignee: mine ? "me" : nil, overdue: overdue)
        }

        /// `path` with these filters (and `extra` items) as its query.
        func url(_ path: String, _ extra: [URLQueryItem] = []) -> String {
            var components = URLComponents()
            components.path = path
            let items =
                [
                    region.map { URLQueryItem(name: "region", value: $0) },
                    state.map { URLQueryItem(name: "state", value: $0) },
                    overdue ? URLQueryItem(name: "overdue", value: "1") : nil,
                    mine ? URLQueryItem(name: "mine", value: "1") : nil,
                ].compactMap { $0 } + extra
            components.queryItems = items.isEmpty ? nil : items  // no bare "?"
            return components.string ?? path
        }
    }
}
