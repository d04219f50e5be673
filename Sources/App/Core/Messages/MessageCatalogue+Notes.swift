/// The notes CityNet itself writes on a case's events (``MessageNote``), worded when the timeline is shown.
extension MessageCatalogue {
    static let noteEntries: [String: (zh: String, en: String)] = [
        "note.words": ("{text}", "{text}"),
        "triage_reason.no_category": ("文本中未识别出具体类别", "No fine category recognised in the text"),
        "triage_reason.no_place": (
            "地址和文本中未识别出地点，由受理中心定位", "No place recognised in the address or text; the receiving centre locates it"
        ),
        "triage_reason.low_confidence": (
            "类别置信度 {confidence} 低于阈值 {threshold}", "Category confidence {confidence} is below the threshold {threshold}"
        ),
        "note.accept": ("来件 #{report}，来源：{term_source}", "Report #{report} via {term_source}"),
        "note.accept_alarm": ("来件 #{report}，来自感知告警 #{alarm}", "Report #{report} from sensor alarm #{alarm}"),
        "note.accept_split": ("来件 #{report} 从案件 #{case} 拆分而来", "Report #{report} split off case #{case}"),
        "note.split_to": ("来件 #{report} 已拆分为案件 #{case}", "Report #{report} split off to case #{case}"),
        "note.register": ("{category}；定位方式：{term_method}", "{category}; located by: {term_method}"),
        "note.dispatch_hop": ("{reason}", "{reason}"),
        "merge.category": ("同一类别（{category}）", "same category ({category})"),
        "merge.region": ("同一区域（{region}）", "same region ({region})"),
        "merge.distance": ("相距 {metres} 米（≤ {limit} 米）", "{metres} m apart (≤ {limit} m)"),
        "merge.hours": ("距案件立案 {hours} 小时（≤ {limit} 小时）", "{hours} h from the case opening (≤ {limit} h)"),
        "merge.similarity": ("文本相似度 {score}（≥ {limit}）", "text similarity {score} (≥ {limit})"),
        "note.escalated_overdue": ("超时自动升级", "Escalated automatically: overdue"),
        "note.time_limits_recounted": (
            "节假日表已更新至 {year} 年，时限重新计算", "Time limits recounted with the holiday table through {year}"
        ),
        "note.extension_total": ("累计延期 {days} 个工作日", "{days} working day(s) of extension in total"),
        "note.extension_requested": ("申请 {days} 个工作日", "{days} working day(s) asked for"),
        "note.supervising_unit": ("督办单位：{unit}", "Supervised by {unit}"),
        "note.grid_worker": ("网格员 {name}", "Grid worker {name}"),
        "note.grid_worker_changed": ("网格员 {name}（原 {previous}）", "Grid worker {name} (before: {previous})"),
        "note.photos": ("照片 {count} 张", "{count} photo(s)"),
        "note.merged": ("来件 #{report}（{term_channel}）合并入本案", "Report #{report} ({term_channel}) merged into this case"),
        "note.merged_camera": (
            "来件 #{report} 经城市之眼摄像头 {camera}（事件 #{incident}）合并入本案",
            "Report #{report} via camera {camera} (incident #{incident}) merged into this case"
        ),
        "note.alarm_cleared": ("告警 #{alarm} 已消除（{when}）", "Alarm #{alarm} cleared ({when})"),
        "note.alarm_cleared_reading": (
            "告警 #{alarm} 已消除（{when}，读数 {value}）", "Alarm #{alarm} cleared ({when}, reading {value})"
        ),
    ]
}
