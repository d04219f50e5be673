import CityDomain
import Vapor

/// `GET /console/trends?window=&from=&to=&district=` — the trend charts (issue #12 §4), drawn by CityNet itself
/// (``SeriesChart``) with a data table under each: cases received and closed per Asia/Shanghai day over the window
/// (the last 30 days by default), and on-time closure rate and first-dispatch accuracy per ISO week over the last
/// ``weeks`` weeks (``TrendQueries``), for the operator's scope or one district of it.
///
/// A page of its own rather than more panels on the city screen: the wall screen stays one glance, and the charts
/// get the width a month of days needs; the city screen's league links here with its window.
struct TrendsController {
    /// Weeks the rates chart shows, the current one included.
    static let weeks = 12

    struct Chart: Encodable {
        var id: String
        var title: String
        var desc: String
        var geometry: SeriesChart
        /// The series' names, in drawing order (the first is ``SeriesChart/segments``, then ``SeriesChart/others``).
        var names: [String]
        var columns: [String]
        var rows: [[String]]
    }

    struct Page: Encodable {
        var page: ConsolePage
        var window: WindowChoice
        var scopeText: String
        /// The daily chart, then the weekly one.
        var charts: [Chart]
    }

    @Sendable func show(req: Request) async throws -> Response {
        let scope = try req.auth.require(ConsoleUser.self).scope
        let language = ConsoleText.language(req)
        let words = ConsoleText.table(language)
        let reference = req.reference
        let hierarchy = reference.hierarchy
        // A district of the scope to narrow to (as the city screen's `?district=`); anything else: the whole scope.
        let district = req.query[String.self, at: "district"].flatMap { hierarchy[$0] }.flatMap {
            $0.level == .district && hierarchy.isWithin($0.code, ancestor: scope.regionCode) ? $0 : nil
        }
        let (choice, asked) = WindowChoice.read(
            req, path: "/console/trends", keep: district.map { [("district", $0.code)] } ?? [], fallback: .month)
        let today = CalendarDay(containing: req.now)
        let window = asked ?? ReportingWindow.lastDays(30, endingOn: today, choice: .month)
        let regions = district.map { hierarchy.subtree(of: $0.code) }
        let sql = try req.db.sql()
        let days = try await TrendQueries.daily(
            window, scope: scope, regions: regions, reference: reference, on: sql)
        let weeks = try await TrendQueries.weekly(
            weeks: Self.weeks, today: today, scope: scope, regions: regions, reference: reference, on: sql)
        func short(_ date: Date) -> String { String(CalendarDay(containing: date).description.dropFirst(5)) }
        func fill(_ key: String, _ values: [String: String]) -> String {
            values.reduce(words[key, default: ""]) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
        }
        let daily = Chart(
            id: "daily", title: words["trend_daily", default: ""],
            desc: fill(
                "trend_daily_desc",
                [
                    "from": window.first.description, "to": window.last.description,
                    "r": String(days.map(\.received).reduce(0, +)), "c": String(days.map(\.closed).reduce(0, +)),
                ]),
            geometry: SeriesChart(
                points: days.map { (t: $0.day.startDate, value: Double($0.received)) }, from: window.start,
                to: window.last.startDate, stepSeconds: 86_400, threshold: nil,
                others: [days.map { (t: $0.day.startDate, value: Double($0.closed)) }], label: short),
            names: [words["trend_received", default: ""], words["trend_closed", default: ""]],
            columns: ["trend_day", "trend_received", "trend_closed"].map { words[$0, default: $0] },
            rows: days.map { [$0.day.description, String($0.received), String($0.closed)] })
        func rate(_ value: Double?, _ tally: TrendQueries.Tally) -> String {
            value.map { String(format: "%.0f%% (%d/%d)", $0, tally.kept, tally.count) } ?? "—"
        }
        let firstMonday = weeks.first?.monday ?? today.weekStart
        let lastMonday = weeks.last?.monday ?? today.weekStart
        let weekly = Chart(
            id: "weekly", title: words["trend_weekly", default: ""],
            desc: fill("trend_weekly_desc", ["n": String(weeks.count)]),
            geometry: SeriesChart(
                points: weeks.compactMap { week in week.onTimeRate.map { (t: week.monday.startDate, value: $0) } },
                from: firstMonday.startDate, to: lastMonday.startDate, stepSeconds: 7 * 86_400, threshold: nil,
                others: [
                    weeks.compactMap { week in week.firstDispatchRate.map { (t: week.monday.startDate, value: $0) } }
                ],
                covering: [100], label: short),
            names: [words["trend_on_time", default: ""], words["trend_first_dispatch", default: ""]],
            columns: ["trend_week", "trend_on_time", "trend_first_dispatch"].map { words[$0, default: $0] },
            rows: weeks.map {
                [$0.monday.description, rate($0.onTimeRate, $0.closed), rate($0.firstDispatchRate, $0.received)]
            })
        let scopeName = reference.regionName(district?.code ?? scope.regionCode, in: language)
        let page = Page(
            page: ConsolePage(req, title: "trends", active: "trends"), window: choice,
            scopeText: fill("trend_scope", ["scope": scopeName]), charts: [daily, weekly])
        let response = try await req.view.render("console/trends", page).encodeResponse(for: req)
        if choice.problem != nil { response.status = .badRequest }
        return response
    }
}
