import CityDomain
import Fluent
import Vapor

/// The city screen's league for a district or street operator (``RoleLeagueQueries``), named in the page's
/// language: a district's streets and towns (each a link to the desk narrowed to it), or a street's units with its
/// grid workers' open cases. The city screen shows it in place of the district league (`console/role-league`).
struct RoleLeague: Encodable {
    struct Row: Encodable {
        var code: String
        var name: String
        /// The desk narrowed to the row's street; nil for unit rows and the district's own row.
        var url: String?
        var open: Int
        var overdue: Int
        var overdueApplications: Int
        var onTimeRate: String
        var firstDispatchRate: String
    }

    /// `street` or `unit` (``RoleLeagueQueries/Level``).
    var level: String
    var title: String
    var column: String
    var rows: [Row]
    var workers: [RoleLeagueQueries.Worker]

    /// The league of `scope`'s operator within `window` (Asia/Shanghai days; nil: all time), overdue judged at
    /// `now`, named in `language` (``RoleLeagueQueries/league(scope:reference:on:now:window:)``); nil for the whole
    /// city or a grid cell (the district league applies).
    /// - Throws: database errors.
    static func load(
        scope: OperatorScope, window: ReportingWindow?, reference: CityReference, on db: any Database, now: Date,
        language: DisplayLanguage
    ) async throws -> RoleLeague? {
        guard
            let league = try await RoleLeagueQueries.league(
                scope: scope, reference: reference, on: db, now: now, window: window)
        else { return nil }
        let words = ConsoleText.table(language)
        let streets = league.level == .street
        return RoleLeague(
            level: league.level.rawValue,
            title: words[streets ? "league_streets" : "league_units", default: ""],
            column: words[streets ? "league_street" : "league_unit", default: ""],
            rows: league.rows.map { row in
                let ownRow = streets && row.code == scope.regionCode
                return Row(
                    code: row.code,
                    name: name(
                        of: row.code, level: league.level, scope: scope, reference: reference, language: language),
                    url: streets && !ownRow ? "/console/cases?region=\(row.code)" : nil, open: row.open,
                    overdue: row.overdue, overdueApplications: row.overdueApplications, onTimeRate: row.onTimeRate,
                    firstDispatchRate: row.firstDispatchRate)
            }, workers: league.workers)
    }

    /// The name of a league row in `language`: a unit's name, a street's, or for the district's own row (cases located
    /// only to the district) the words saying so.
    static func name(
        of code: String, level: RoleLeagueQueries.Level, scope: OperatorScope, reference: CityReference,
        language: DisplayLanguage
    ) -> String {
        if level == .unit { return reference.unitName(code, in: language) }
        if code == scope.regionCode { return ConsoleText.table(language)["map_district_only", default: ""] }
        return reference.regionName(code, in: language)
    }
}

/// `GET /console/role-league` — the live part of a district or street operator's league
/// (`console/role-league-rows`, the `data-live` part `#role-league-rows`) within the window the city screen shows
/// (`?window=`, `?from=`, `?to=`; all time without them or when refused, as the screen), in the page's language. The
/// city screen reads it again when the event stream carries a change in the operator's scope (console.js,
/// issue #12 §7), instead of the whole screen (map, tiles, feed). 404 (the console's page) for an operator whose
/// screen has no such league (the whole city, a grid cell).
struct RoleLeagueController {
    struct Fragment: Encodable {
        var page: ConsolePage
        var roleLeague: RoleLeague
    }

    @Sendable func rows(req: Request) async throws -> View {
        let scope = try req.auth.require(ConsoleUser.self).scope
        let window = CityScreenController.window(req).1
        guard
            let league = try await RoleLeague.load(
                scope: scope, window: window, reference: req.reference, on: req.db, now: req.now,
                language: ConsoleText.language(req))
        else { throw LocalizedRefusal(.notFound, "console.no_page", ["path": req.url.path]) }
        return try await req.view.render(
            "console/role-league-rows",
            Fragment(page: ConsolePage(req, title: "city_screen", active: "city"), roleLeague: league))
    }
}
