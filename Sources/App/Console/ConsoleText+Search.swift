/// The search page's words (issue #12 §2), merged into ``ConsoleText/table(_:)``.
extension ConsoleText {
    static let searchEntries: [String: (String, String)] = [
        "search": ("搜索", "Search"),
        "search_box": ("案件编号、文字、地址或来电号码", "Case number, text, address or caller's phone"),
        "search_box_no_phone": ("案件编号、文字或地址", "Case number, text or address"),
        "search_results": ("搜索结果", "Search results"),
        "search_total": ("共 {n} 条", "{n} found"),
        "search_total_estimate": ("至少 {n} 条（估计）", "At least {n} (estimate)"),
        "search_window": (
            "已检索至来件 #{n}；更早的来件见下一页", "Searched down to report #{n}; older reports are on the next page"
        ),
        "search_no_hits": ("没有找到符合条件的案件或来件", "No case or report matches"),
        "search_no_case": (
            "您的管辖范围内没有案件 #{n}；以下是文字匹配结果", "No case #{n} within your scope; text matches below"
        ),
        "search_phone_not_entitled": (
            "您的岗位不能按来电号码搜索，已按文字搜索", "Your role cannot search by caller's phone; searched as text instead"
        ),
        "search_order": ("按来件时间从新到旧排列", "Newest report first"),
        "search_next": ("下一页", "Next page"),
        "report": ("来件", "Report"),
        "received": ("收到时间", "Received"),
        "channel": ("渠道", "Channel"),
        "street": ("街镇", "Street / town"),
        "any": ("全部", "Any"),
        "from_day": ("起始日期", "From"),
        "to_day": ("截止日期", "To"),
        "waiting_triage": ("待分拨", "Waiting in triage"),
        "gov_rating": ("差评整改", "Bad rating"),
    ]
}
