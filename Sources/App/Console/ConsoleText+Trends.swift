import CityDomain

/// The words of time windows, trend charts and CSV exports (issue #12 §4), merged into ``ConsoleText/table(_:)``.
extension ConsoleText {
    static let trendsEntries: [String: (String, String)] = [
        "window": ("统计时段", "Period"),
        "window_all": ("累计", "All time"),
        "window_today": ("今日", "Today"),
        "window_7d": ("近7天", "Last 7 days"),
        "window_30d": ("近30天", "Last 30 days"),
        "window_custom": ("自定义", "Custom"),
        "window_from": ("起始日期", "From"),
        "window_to": ("截止日期", "To"),
        "window_apply": ("查看", "Show"),
        "window_span": ("{from} 至 {to}（北京时间，共 {n} 天）", "{from} to {to} (Beijing time, {n} day(s))"),
        "window_league_note": (
            "按期结案率按时段内结案的案件计（其下为按期/结案件数），一次派遣准确率按时段内受理的案件计（其下为准确/受理件数）；"
                + "在办、超期为当前数。",
            "On-time closure counts the cases closed in the period (below: on time/closed), first-dispatch accuracy "
                + "the cases received in it (below: kept/received); open and overdue are as of now."
        ),
        "league_received": ("受理", "Received"),
        "league_closed": ("结案", "Closed"),
        "trends": ("趋势", "Trends"),
        "trend_daily": ("每日受理与结案", "Cases received and closed per day"),
        "trend_daily_desc": (
            "{from} 至 {to}，每日一点：受理共 {r} 件，结案共 {c} 件。", "{from} to {to}, one point a day: {r} received, {c} closed."
        ),
        "trend_weekly": ("每周按期结案率与一次派遣准确率", "On-time closure and first-dispatch accuracy per week"),
        "trend_weekly_desc": (
            "最近 {n} 周（周一至周日），每周一点，按百分比。", "The last {n} weeks (Monday to Sunday), one point a week, in percent."
        ),
        "trend_day": ("日期", "Day"),
        "trend_week": ("周（周一）", "Week (Monday)"),
        "trend_received": ("受理", "Received"),
        "trend_closed": ("结案", "Closed"),
        "trend_on_time": ("按期结案率", "On-time closure"),
        "trend_first_dispatch": ("一次派遣准确率", "First-dispatch accuracy"),
        "trend_data": ("数据表", "Data table"),
        "trend_scope": ("范围：{scope}", "Scope: {scope}"),
        "export_csv": ("导出 CSV", "Export CSV"),
        "csv_priority": ("优先级", "Priority"),
        "csv_due": ("结案时限", "Due"),
        "csv_overdue": ("超期", "Overdue"),
        "csv_yes": ("是", "yes"),
        "csv_no": ("否", "no"),
        "csv_address": ("地址", "Address"),
        "csv_description": ("诉求内容", "Description"),
        "csv_district_code": ("区代码", "District code"),
        "csv_street_code": ("街镇代码", "Street / town code"),
        "csv_unit_code": ("单位代码", "Unit code"),
        "csv_on_time": ("按期结案", "Closed on time"),
        "csv_first_kept": ("一次派遣准确", "Kept by the first unit"),
        "csv_window": ("统计时段", "Period"),
    ]
}
