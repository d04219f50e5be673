import CityDomain
import Vapor

/// CSV exports of console views with their filters (issue #12 §4), in the page's language (``ConsoleCSV``):
/// `GET /console/cases.csv` (the case desk) and `GET /console/league.csv` (the city screen's league). Each exports
/// exactly what the operator's own page shows: the same queries, the same scope (a region outside it is a 403).
struct ConsoleExportController {
    /// The most cases one desk export holds. The export reads them as the desk reads a page (in queue order) and
    /// builds the file in memory, so it is capped rather than streamed; a cut file says so in a last line
    /// (``ConsoleText`` `csv_truncated`) — narrow the filters to get the rest.
    static let caseLimit = 50_000

    /// `GET /console/cases.csv?region=&state=&overdue=1&mine=1` — the desk's cases (every page), queue order: case
    /// number, category, region, unit, grid worker, state, received, step due, overall due (Asia/Shanghai,
    /// `YYYY-MM-DD HH:mm`), overdue, address, the citizen's text.
    /// - Throws: 400 for an unknown region or state, 403 for a region outside the scope (as the desk).
    @Sendable func cases(req: Request) async throws -> Response {
        let user = try req.auth.require(ConsoleUser.self)
        let filters = CaseDeskController.Filters(req, user: user)
        let language = ConsoleText.language(req)
        let words = ConsoleText.table(language)
        let now = req.now
        let found = try await CaseQueries.page(
            filters.filter, scope: user.scope, reference: req.reference, on: req.db, now: now, number: 1,
            size: Self.caseLimit)
        func when(_ date: Date?) -> String { date?.formatted(WhenTag.style) ?? "" }
        var rows: [[String]] = [
            [
                "case", "category", "region", "unit", "assignee", "state", "created", "step_due", "csv_due",
                "csv_overdue",
                "csv_address", "csv_description",
            ].map { words[$0, default: $0] }
        ]
        for record in found.listing.cases {
            let summary = CaseSummaryDTO(record, reference: req.reference, now: now, language: language)
            rows.append([
                String(summary.id), summary.categoryName, summary.regionName, summary.unitName,
                summary.assignee ?? "", summary.stateName, when(summary.createdAt), when(summary.stepDueAt),
                when(summary.dueAt), words[summary.overdue ? "csv_yes" : "csv_no", default: ""],
                ConsoleCSV.text(summary.address), ConsoleCSV.text(summary.description),
            ])
        }
        if found.listing.total > found.listing.cases.count {
            rows.append([
                words["csv_truncated", default: ""].replacingOccurrences(of: "{n}", with: String(Self.caseLimit))
                    .replacingOccurrences(of: "{total}", with: String(found.listing.total))
            ])
        }
        return try ConsoleCSV.response(rows, filename: "cases-\(CalendarDay(containing: now)).csv")
    }

    /// `GET /console/league.csv?district=&window=&from=&to=` — the league as the city screen shows it for the same
    /// parameters (``CityScreenController/counts(_:scope:window:)``): one row per district — per street for a district
    /// operator, per unit for a street operator (``RoleLeagueQueries``) — most open first, with
    /// the window, received, closed, closed on time, on-time closure rate, kept by the first unit, first-dispatch
    /// accuracy, open and overdue (now).
    /// - Throws: ``LocalizedRefusal`` 400 for refused window parameters (``ReportingWindowProblem``, `window.*`).
    @Sendable func league(req: Request) async throws -> Response {
        let scope = try req.auth.require(ConsoleUser.self).scope
        let language = ConsoleText.language(req)
        let words = ConsoleText.table(language)
        let (choice, window) = CityScreenController.window(req)
        if let problem = choice.problemMessage { throw LocalizedRefusal(.badRequest, problem) }
        let period = window.map { "\($0.first)–\($0.last)" } ?? words["window_all", default: ""]
        // A district or street operator's screen shows their streets or units (``RoleLeague``): so does the file.
        let league: [(code: String, name: String, row: CityScreenCounts.DistrictRow)]
        let columns: (code: String, name: String)
        if let role = try await RoleLeagueQueries.league(
            scope: scope, reference: req.reference, on: req.db, now: req.now, window: window)
        {
            league = role.rows.map {
                (
                    $0.code,
                    RoleLeague.name(
                        of: $0.code, level: role.level, scope: scope, reference: req.reference, language: language),
                    $0
                )
            }
            columns = role.level == .unit ? ("csv_unit_code", "league_unit") : ("csv_street_code", "league_street")
        } else {
            let counts = try await CityScreenController.counts(req, scope: scope, window: window)
            league = counts.districts.map { ($0.code, req.reference.regionName($0.code, in: language), $0) }
            columns = ("csv_district_code", "district")
        }
        var rows: [[String]] = [
            [
                columns.code, columns.name, "csv_window", "league_received", "league_closed", "csv_on_time",
                "on_time_rate", "csv_first_kept", "first_dispatch", "open_cases", "overdue",
            ].map {
                words[$0, default: $0]
            }
        ]
        for (code, name, row) in league {
            rows.append([
                code, name, period, String(row.total), String(row.closed), String(row.onTime), row.onTimeRate,
                String(row.firstDispatchOK), row.firstDispatchRate, String(row.open), String(row.overdue),
            ])
        }
        let suffix = window.map { "-\($0.first)-\($0.last)" } ?? ""
        return try ConsoleCSV.response(rows, filename: "league\(suffix).csv")
    }
}
