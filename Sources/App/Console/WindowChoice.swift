import CityDomain
import Vapor

/// The time-window chooser of the city screen, the league and the trends page (issue #12 §4): links for 今日 /
/// 近7天 / 近30天 (and 累计 where the page has an all-time view), a custom from–to form, the window in force and, for
/// refused parameters, what is wrong in the page's language. Read with ``read(_:path:keep:fallback:)``.
struct WindowChoice: Encodable {
    struct Option: Encodable {
        var code: String
        var name: String
        var url: String
        var active: Bool
    }

    var options: [Option]
    /// The form's address and the parameters it keeps as hidden fields (name, value).
    var action: String
    var hidden: [[String: String]]
    var custom: Bool
    /// The custom form's values (`YYYY-MM-DD`), and today for the inputs' `max`.
    var from: String
    var to: String
    var today: String
    /// The window in force in words (`2026-11-08 至 2026-12-07（北京时间，共 30 天）`); nil for all time.
    var span: String?
    /// Why the window asked for was refused; the page then shows `fallback`'s window.
    var problem: String?
    /// The refusal's catalogue message (`window.*`), for a file that answers it as a 400 instead.
    var problemMessage: Message?
    /// `&window=…` (with `from`, `to` for a custom window) for links that keep the window; empty for the fallback.
    var query: String

    /// Reads `?window=`, `?from=`, `?to=` (``ReportingWindow/parse(window:from:to:today:)``, today being the
    /// Asia/Shanghai day of the request's `now`).
    /// - Parameters:
    ///   - path: the page's address, for the links and the form.
    ///   - keep: other parameters the links keep, in order (name, value), e.g. the chosen district.
    ///   - fallback: the window without parameters or when they are refused; nil: all time (then offered as 累计).
    /// - Returns: the chooser, and the window to count in (nil: all time).
    static func read(
        _ req: Request, path: String, keep: [(String, String)], fallback: ReportingWindow.Choice?
    ) -> (WindowChoice, ReportingWindow?) {
        let language = ConsoleText.language(req)
        let words = ConsoleText.table(language)
        let today = CalendarDay(containing: req.now)
        let asked = req.query[String.self, at: "window"]
        let fromText = req.query[String.self, at: "from"]
        let toText = req.query[String.self, at: "to"]
        var problem: Message?
        var window: ReportingWindow?
        var explicit = false
        do {
            window = try ReportingWindow.parse(window: asked, from: fromText, to: toText, today: today)
            explicit = window != nil
        } catch {
            problem = error.message
        }
        if window == nil, let fallback {
            window = try? ReportingWindow.parse(window: fallback.rawValue, from: nil, to: nil, today: today)
        }
        func url(_ items: [(String, String)]) -> String {
            var components = URLComponents()
            components.path = path
            let all = keep + items
            components.queryItems = all.isEmpty ? nil : all.map { URLQueryItem(name: $0.0, value: $0.1) }
            return components.string ?? path
        }
        var options: [Option] = []
        if fallback == nil {
            options.append(
                Option(code: "all", name: words["window_all", default: ""], url: url([]), active: window == nil))
        }
        for choice in [ReportingWindow.Choice.today, .week, .month] {
            options.append(
                Option(
                    code: choice.rawValue, name: words["window_\(choice.rawValue)", default: choice.rawValue],
                    url: url([("window", choice.rawValue)]), active: window?.choice == choice))
        }
        var query = ""
        if explicit, let window {
            let items =
                window.choice == .custom
                ? [("window", "custom"), ("from", window.first.description), ("to", window.last.description)]
                : [("window", window.choice.rawValue)]
            query = items.map { "&\($0.0)=\($0.1)" }.joined()
        }
        let span =
            window.map {
                words["window_span", default: ""].replacingOccurrences(of: "{from}", with: $0.first.description)
                    .replacingOccurrences(of: "{to}", with: $0.last.description)
                    .replacingOccurrences(of: "{n}", with: String($0.dayCount))
            }
        return (
            WindowChoice(
                options: options, action: path, hidden: keep.map { ["name": $0.0, "value": $0.1] },
                custom: window?.choice == .custom || problem != nil,
                from: window?.choice == .custom ? window?.first.description ?? "" : fromText ?? "",
                to: window?.choice == .custom ? window?.last.description ?? "" : toText ?? "",
                today: today.description, span: span, problem: problem?.text(language),
                problemMessage: problem, query: query),
            window
        )
    }
}
