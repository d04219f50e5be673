/// The map's words (issue #12 §5: a district's zoom, dots and clusters), merged into ``ConsoleText/table(_:)``.
extension ConsoleText {
    static let mapEntries: [String: (String, String)] = [
        "map_cases": ("案件分布", "Cases on the map"),
        "map_dot": ("{category} #{n}", "{category} #{n}"),
        "map_dot_overdue": ("{category} #{n}，超期", "{category} #{n}, overdue"),
        "map_cluster": ("{n} 件在办案件，其中 {k} 件超期，{area}", "{n} open cases, {k} overdue, {area}"),
        "map_cluster_mostly": (
            "{n} 件在办案件，其中 {k} 件超期，主要在{area}", "{n} open cases, {k} overdue, mostly in {area}"
        ),
        "map_dots_legend": (
            "圆点：有坐标的在办案件（红色为超期）；圆圈数字：聚合的案件数（含超期为红色）。无坐标的案件（如按地名定位的12345热线来电）不画点，只计入所在街镇和区的数字。",
            "Dots: open cases with a stored position (red: overdue); numbered circles: cases clustered together (red if any is overdue). Cases with no position (such as 12345 calls located by the place they name) get no dot: they count in their street's and district's numbers only."
        ),
        "map_streets": ("各街镇在办案件", "Open cases by street / town"),
        "map_street": ("街镇", "Street / town"),
        "map_on_map": ("地图上", "On the map"),
        "map_district_only": ("仅定位到区", "Located to the district only"),
        "map_no_outlines": (
            "内置边界数据只有区界，没有街镇边界：街镇以列表显示。",
            "The bundled boundary data hold district outlines only, no street outlines: streets are listed."
        ),
        "map_zoom_back": ("返回全市", "Back to the whole city"),
    ]
}
