import CityDomain

/// Refusals of the triage desk's forwarding and bulk forms (``TriageProblem``), of a search (``SearchProblem``) and
/// of the request's form on pages that take photos or name a photo, an alarm or a report, which the console shows in
/// the page's language. The English is each refusal's API `reason`, as API clients and
/// `/openapi.json` have it; a search's bad date, cursor and page length say what the reporting window and paging say
/// (`window.bad_from`, `paging.bad_cursor`, `paging.limit`).
extension MessageCatalogue {
    static let wordsEntries: [String: (zh: String, en: String)] = [
        "triage.reason_missing": ("转办须填写理由", "Forwarding needs a reason"),
        "triage.reason_too_long": (
            "转办理由最多 {maximum} 个字，现有 {n} 个", "A reason is at most {maximum} characters; this one has {n}"
        ),
        "triage.unit_missing": ("请选择转办的责任单位", "Choose the unit to forward to (unit_code)"),
        "triage.unit_unknown": ("没有名为或代码为 {value} 的责任单位", "No unit has the code or name '{value}'"),
        "triage.unit_outside": (
            "责任单位 {unit} 不在您的管辖范围（{region}）内", "Unit '{unit}' is outside your area ({region})"
        ),
        "triage.unit_not_serving": (
            "责任单位 {unit} 不负责来件所在区域 {region}：请选该区域、其上级或其下属区域的单位",
            "Unit '{unit}' does not serve region '{region}': choose a unit of that region, one above it or inside it"
        ),
        "triage.category_missing": (
            "该来件没有推荐类别，请选择类别", "The report has no suggested category; give category_code"
        ),
        "triage.none_selected": ("请至少选择一条来件", "Select at least one report (report_ids)"),
        "triage.too_many": (
            "一次最多处理 {maximum} 条来件，本次选了 {n} 条", "At most {maximum} reports per bulk decision; {n} were given"
        ),
        "triage.bulk_action_missing": (
            "请选择批量不予立案（须填写理由）或批量归类（须选择类别）",
            "Give either dismiss: true with a note, or category_code — one of them"
        ),
        "triage.category_too_long": (
            "推荐类别筛选最多 100 个字符，收到 {n} 个", "category must be at most 100 characters, got {n}"
        ),
        "photo.id_not_uuid": ("照片编号须为 UUID", "photo id must be a UUID"),
        "alarm.id_not_integer": ("告警编号须为整数", "alarm id must be an integer"),
        "body.no_boundary": ("多部分请求缺少分隔符（boundary）", "multipart body without a boundary"),
        "body.cut_off": (
            "多部分请求不完整（缺少结束分隔符），未保存任何内容，请重新提交",
            "the multipart body is cut off (its closing boundary is missing); nothing was stored, send it again"
        ),
        "body.malformed": (
            "多部分请求格式有误{detail}，未保存任何内容", "the multipart body is malformed ({detail}); nothing was stored"
        ),
        "body.stray_file": (
            "文件只能放在 photos[] 字段中，收到字段 {name}，未保存任何内容",
            "a file came in field '{name}'; photos go in 'photos[]' (nothing was stored)"
        ),
        "search.empty": ("请输入要搜索的内容", "Type something to search for"),
        "search.too_long": (
            "搜索内容最多 {maximum} 个字，现有 {n} 个", "A search is at most {maximum} characters; this one has {n}"
        ),
        "search.unknown_district": ("没有代码为 {value} 的区", "No district has the code '{value}'"),
        "search.unknown_street": ("没有代码为 {value} 的街镇", "No street or town has the code '{value}'"),
        "search.outside_scope": ("区域 {region} 不在您的管辖范围内", "Region '{region}' is outside your scope"),
        "search.unknown_unit": ("没有代码为 {value} 的责任单位", "No unit has the code '{value}'"),
        "search.unknown_category": ("没有代码为 {value} 的类别", "No category has the code '{value}'"),
        "search.unknown_state": (
            "没有名为 {value} 的案件状态（可选：{states_known}）", "No case state is called '{value}' (one of {states_known})"
        ),
        "search.bad_overdue": ("超期筛选只能是 true 或 false，收到 {value}", "overdue is true or false, not '{value}'"),
        "search.window_reversed": ("截止日期早于起始日期", "The window ends before it starts"),
        "search.unknown_channel": (
            "没有名为 {value} 的来源渠道（可选：{term_known}）", "No channel is called '{value}' (one of {term_known})"
        ),
    ]
}

extension TriageProblem {
    /// The refusal as a catalogue message (`triage.*`): a unit and a region it names are codes, named on pages.
    var message: Message {
        switch self {
        case .reasonMissing: Message("triage.reason_missing")
        case .reasonTooLong(let n):
            Message("triage.reason_too_long", ["maximum": "\(TriageForward.maxReasonLength)", "n": "\(n)"])
        case .unitMissing: Message("triage.unit_missing")
        case .unknownUnit(let value): Message("triage.unit_unknown", ["value": value])
        case .unitOutsideScope(let unit, let region): Message("triage.unit_outside", ["unit": unit, "region": region])
        case .unitNotServing(let unit, let region):
            Message("triage.unit_not_serving", ["unit": unit, "region": region])
        case .categoryMissing: Message("triage.category_missing")
        case .noneSelected: Message("triage.none_selected")
        case .tooMany(let n): Message("triage.too_many", ["maximum": "\(TriageBulk.maxReports)", "n": "\(n)"])
        case .bulkActionMissing: Message("triage.bulk_action_missing")
        }
    }
}

extension SearchProblem {
    /// The refusal as a catalogue message (`search.*`, and the reporting window's and paging's own sentences for a
    /// bad date, cursor or page length). The lists of known states and channels are codes, named on pages.
    var message: Message {
        switch self {
        case .emptyQuery: Message("search.empty")
        case .queryTooLong(let n): Message("search.too_long", ["maximum": "\(SearchText.maxQueryLength)", "n": "\(n)"])
        case .unknownDistrict(let value): Message("search.unknown_district", ["value": value])
        case .unknownStreet(let value): Message("search.unknown_street", ["value": value])
        case .outsideScope(let region): Message("search.outside_scope", ["region": region])
        case .unknownUnit(let value): Message("search.unknown_unit", ["value": value])
        case .unknownCategory(let value): Message("search.unknown_category", ["value": value])
        case .unknownState(let value):
            Message(
                "search.unknown_state",
                ["value": value, "states_known": CaseState.allCases.map(\.rawValue).joined(separator: ", ")])
        case .badOverdue(let value): Message("search.bad_overdue", ["value": value])
        case .badDate(let field, let value):
            Message(field == "from" ? "window.bad_from" : "window.bad_to", ["value": value])
        case .windowReversed: Message("search.window_reversed")
        case .unknownChannel(let value):
            Message("search.unknown_channel", ["value": value, "term_known": Self.channels])
        case .badCursor: Message("paging.bad_cursor")
        case .badLimit(let n): Message("paging.limit", ["maximum": "\(SearchRequest.maxLimit)", "value": "\(n)"])
        }
    }

    /// Every report source and hotline channel a search takes, comma-separated.
    private static let channels = (ReportSource.allCases.map(\.rawValue) + HotlineChannel.allCases.map(\.rawValue))
        .joined(separator: ", ")
}
