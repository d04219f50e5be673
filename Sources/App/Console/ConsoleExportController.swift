import CityDomain
import Vapor

/// CSV exports of console views with their filters (issue #12 §4), in the page's language (``ConsoleCSV``):
/// `GET /console/cases.csv` (the case desk) and `GET /console/league.csv` (the city screen's league). Each exports
/// exactly what the operator's own page shows: the same queries, the same scope (a region outside it is a 403).
struct ConsoleExportController {
    /// The most cases one desk export holds. The file is streamed in keyset pages of ``streamPage`` cases
    /// (``CaseQueries/queuePage(_:filter:scope:reference:on:now:after:limit:)``), so the server holds one page at a
    /// time however long the file; the cap bounds how long one download keeps a database connection busy. A cut
    /// file says so outside its data (``cutHeader``, the file name, and the desk beside its link): every line of the
    /// file stays a case, so any CSV reader takes it as it is.
    static let caseLimit = 50_000
    /// A smaller cap for one application (tests of the cut file); unset: ``caseLimit``.
    struct CaseLimitKey: StorageKey { typealias Value = Int }

    /// The cap of `app`'s desk exports.
    static func caseLimit(of app: Application) -> Int { app.storage[CaseLimitKey.self] ?? caseLimit }

    /// Cases read and written per step of the stream.
    static let streamPage = 1_000
    /// Response header of a cut export: `<cases in the file> of <cases in the view>`, e.g. `50000 of 61234`.
    static let cutHeader = "X-Export-Truncated"
    /// Response header: how many cases the view holds (exact: ``CaseQueries/total(_:scope:reference:on:now:)``).
    static let totalHeader = "X-Total-Count"

    /// `GET /console/cases.csv?region=&state=&overdue=1&mine=1` — the desk's cases (every page, at most
    /// ``caseLimit``), queue order: case number, category, region, unit, grid worker, state, received, step due,
    /// overall due (Asia/Shanghai, `YYYY-MM-DD HH:mm`), overdue, address, the citizen's text. Streamed (chunked): the
    /// header row first, then each page as it is read. A cut file is named `cases-<day>-first-<n>-of-<total>.csv`
    /// and carries ``cutHeader``. Each page is read on its own, so the file is the queue as each page found it: a
    /// case that closes during the download is written once (ids already written are skipped), and a closed case
    /// that reopens during it, moving back into the part already written, is not in the file.
    /// - Throws: 400 for an unknown region or state, 403 for a region outside the scope (as the desk), before any
    ///   byte is sent; a database error during the stream ends the download early (the file is then incomplete).
    @Sendable func cases(req: Request) async throws -> Response {
        let user = try req.auth.require(ConsoleUser.self)
        let filter = CaseDeskController.Filters(req, user: user).filter
        let language = ConsoleText.language(req)
        let words = ConsoleText.table(language)
        let (now, reference, scope, db) = (req.now, req.reference, user.scope, req.db)
        // Checked before the first byte: an unknown code or a region outside the scope answers 400/403.
        _ = try CaseQueries.matching(filter, scope: scope, reference: reference, on: db, now: now)
        let total = try await CaseQueries.total(filter, scope: scope, reference: reference, on: db, now: now)
        let limit = Self.caseLimit(of: req.application)
        let header = [
            "case", "category", "region", "unit", "assignee", "state", "created", "step_due", "csv_due",
            "csv_overdue", "csv_address", "csv_description",
        ].map { words[$0, default: $0] }
        let (yes, no) = (words["csv_yes", default: ""], words["csv_no", default: ""])
        @Sendable func line(_ record: Case) -> [String] {
            func when(_ date: Date?) -> String { date?.formatted(WhenTag.style) ?? "" }
            let summary = CaseSummaryDTO(record, reference: reference, now: now, language: language)
            return [
                String(summary.id), summary.categoryName, summary.regionName, summary.unitName,
                summary.assignee ?? "", summary.stateName, when(summary.createdAt), when(summary.stepDueAt),
                when(summary.dueAt), summary.overdue ? yes : no, ConsoleCSV.text(summary.address),
                ConsoleCSV.text(summary.description),
            ]
        }
        let body = Response.Body(managedAsyncStream: { writer in
            let head = try ConsoleCSV.lines([header])
            try await writer.write(.buffer(ByteBuffer(bytes: ConsoleCSV.byteOrderMark + Array(head))))
            var (written, cursor): (Int, CaseCursor?) = (0, nil)
            // Each page is its own read: a case written from the open part that closes meanwhile comes round
            // again in the closed part, and is written once only.
            var seen = Set<Int>()
            while written < limit {
                let query = try CaseQueries.matching(filter, scope: scope, reference: reference, on: db, now: now)
                let page = try await CaseQueries.queuePage(
                    query, filter: filter, scope: scope, reference: reference, on: db, now: now,
                    after: cursor, limit: min(Self.streamPage, limit - written))
                guard let last = page.last else { break }
                let fresh = page.filter { seen.insert($0.id ?? 0).inserted }
                if !fresh.isEmpty {
                    try await writer.write(.buffer(ByteBuffer(bytes: try ConsoleCSV.lines(fresh.map(line)))))
                }
                written += fresh.count
                cursor = try CaseCursor(after: last)
            }
        })
        var name = "cases-\(CalendarDay(containing: now))"
        var extra = HTTPHeaders([(Self.totalHeader, String(total))])
        if total > limit {
            name += "-first-\(limit)-of-\(total)"
            extra.add(name: Self.cutHeader, value: "\(limit) of \(total)")
        }
        let response = ConsoleCSV.response(body: body, filename: name + ".csv")
        for (field, value) in extra { response.headers.replaceOrAdd(name: field, value: value) }
        return response
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
            let asked = CityScreenController.asked(req)
            let counts = try await CityScreenController.counts(
                scope: scope, district: asked.district, measure: asked.measure, window: window,
                reference: req.reference, on: req.db, now: req.now)
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
