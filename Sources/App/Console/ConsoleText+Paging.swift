/// The desk's keyset pager and its export notice (issue #17: deep pages cost what the first does), merged into
/// ``ConsoleText/table(_:)``.
extension ConsoleText {
    static let pagingEntries: [String: (String, String)] = [
        "page_first": ("第一页", "First page"),
        "page_previous": ("上一页", "Previous page"),
        "page_next": ("下一页", "Next page"),
        "page_of": ("第 {n} 页，共 {pages} 页", "Page {n} of {pages}"),
        "export_cut": (
            "导出文件最多 {n} 条：本视图共 {total} 条，请缩小筛选范围以导出其余部分。",
            "An export holds at most {n} cases: this view has {total}; narrow the filters to export the rest."
        ),
    ]
}
