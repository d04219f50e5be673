/// The words of each role's landing page, the phone layout and the case page's print (issue #12 §8), merged into
/// ``ConsoleText/table(_:)``.
extension ConsoleText {
    static let roleEntries: [String: (String, String)] = [
        "my_tasks": ("我的任务", "My tasks"),
        "tasks_intro": (
            "指派给我的在办案件，最紧急的在前", "Open cases assigned to me, the most urgent first"
        ),
        "tasks_none": ("暂无指派给我的在办案件", "No open cases are assigned to me"),
        "tasks_unit_queue": ("本单位全部在办案件", "All open cases of my unit"),
        "tasks_open": ("查看案件", "Open case"),
        "tasks_act": ("办理", "Act"),
        "tasks_more": ("还有 {n} 件，见本单位工作台", "{n} more: see my unit's desk"),
        "league_streets": ("各街镇排行", "Street and town league"),
        "league_street": ("街镇", "Street or town"),
        "league_units": ("各责任单位排行", "Unit league"),
        "league_unit": ("责任单位", "Unit"),
        "league_workers": ("网格员在办案件", "Grid workers' open cases"),
        "league_worker": ("网格员", "Grid worker"),
        "league_no_workers": ("暂无指派给网格员的在办案件", "No open cases are assigned to grid workers"),
        "printed_at": ("打印时间", "Printed"),
    ]
}
