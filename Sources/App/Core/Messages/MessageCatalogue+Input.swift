import CityDomain

/// Refusals of a request's form rather than its content, which a console page shows too: a body or query that does
/// not decode (``Request/decodeBody(_:)``, ``MultipartGuard``), list paging (``PageWindow``, ``CaseCursor``), an
/// address naming no incident or alarm action, a refused reporting window (``ReportingWindowProblem``). The English
/// is each refusal's API `reason`, as `/openapi.json` and API clients have it.
extension MessageCatalogue {
    static let inputEntries: [String: (zh: String, en: String)] = [
        "body.empty": (
            "请求内容为空：请按 /openapi.json 的说明提交各字段",
            "the request body is empty; send the fields as documented at /openapi.json"
        ),
        "body.not_utf8": ("请求内容不是有效的 UTF-8 文本", "invalid request body: not valid UTF-8 text"),
        "body.not_object": ("请求内容须为 JSON 对象（{…}）", "invalid request body: must be a JSON object ({…})"),
        "body.unreadable": ("请求内容无法解析{detail}", "invalid request body: {detail}"),
        "body.boundary_too_long": (
            "多部分请求的分隔符超过 70 个字符（RFC 2046）", "the multipart boundary is longer than 70 characters (RFC 2046)"
        ),
        "body.part_header": (
            "多部分请求中有部分的头部名称不是 ASCII 字符，未保存任何内容",
            "a part header of the multipart body has a name that is not ASCII; nothing was stored"
        ),
        "input.missing_field": ("{phrase_input}缺少字段 {name}", "{phrase_input}: missing field '{name}'"),
        "input.type": (
            "{phrase_input}中字段 {name} 须为{phrase_expected}", "{phrase_input}: field '{name}' must be {phrase_expected}"
        ),
        "input.null": (
            "{phrase_input}中字段 {name} 须为{phrase_expected}，不能为空值",
            "{phrase_input}: field '{name}' must be {phrase_expected}, not null"
        ),
        "input.not_json": (
            "{phrase_input}不是有效的 JSON，或结构不符", "{phrase_input}: not valid JSON (or not the expected shape)"
        ),
        "input.invalid_value": (
            "{phrase_input}中字段 {name} 的值无效{detail}", "{phrase_input}: field '{name}' has an invalid value: {detail}"
        ),
        "phrase.body": ("请求内容", "invalid request body"),
        "phrase.query": ("查询参数", "invalid query"),
        "phrase.bool": ("true 或 false", "true or false"),
        "phrase.int": ("整数", "a whole number"),
        "phrase.number": ("数字", "a number"),
        "phrase.string": ("字符串", "a string"),
        "phrase.documented": ("文档所述的类型", "of the documented type"),
        "paging.limit": ("每页条数（limit）须为 1…{maximum}，收到 {value}", "limit must be 1…{maximum}, got {value}"),
        "paging.offset": ("起始位置（offset）须为 0…{maximum}，收到 {value}", "offset must be 0…{maximum}, got {value}"),
        "paging.limit_offset": (
            "每页条数（limit）须为 1…{maximum}，起始位置（offset）不能为负", "limit must be 1…{maximum} and offset ≥ 0"
        ),
        "paging.bad_cursor": (
            "翻页标记（cursor）不是本系统给出的，请原样使用 next_cursor",
            "cursor is not one this server gave (use next_cursor as it came)"
        ),
        "paging.cursor_and_offset": ("翻页标记（cursor）与起始位置（offset）只能二选一", "give either cursor or offset, not both"),
        "paging.after_and_offset": ("after 与起始位置（offset）只能二选一", "give after or offset, not both"),
        "paging.after_unknown": ("after 指定的 12345 来件 {id} 不存在", "after names no hotline report ({id})"),
        "paging.category_by_after": ("按类别筛选时请用 after 翻页，不能用 offset", "a category filter pages by after, not offset"),
        "incident.no_action": ("事件指挥室没有操作“{action}”", "no incident action '{action}'"),
        "incident.id_not_integer": ("事件编号须为整数", "incident id must be an integer"),
        "incident.not_found": ("事件 {id} 不存在或不在您的管辖范围内", "incident {id} not found"),
        "alarm.no_alarm": ("告警 {id} 不存在", "no alarm {id}"),
        "console.no_asset": ("没有此文件", "no such asset"),
        "gov.unknown_item": ("没有代码为 {code} 的事项", "unknown item_code '{code}' (see GET /api/v1/service-items)"),
        "gov.unknown_material": ("材料 {code} 不是本事项所需的材料", "material '{code}' is not one this item asks for"),
        "gov.repeated_material": ("材料 {code} 提交了两次", "material '{code}' is sent twice"),
        "gov.not_an_upload": (
            "材料 {code} 是政府已有的电子证照，无须上传文件",
            "material '{code}' is an e-licence the government already holds; send no file for it"
        ),
        "gov.bad_base64": ("材料 {code} 的内容不是有效的 base64 编码", "material '{code}': content_base64 is not valid base64"),
        "gov.token_required": (
            "请提供 Idempotency-Key 请求头（或 client_token），以免重试时重复申请",
            "send an Idempotency-Key header (or client_token) so that a retry never makes a second application"
        ),
        "gov.token_reused": (
            "此 Idempotency-Key 已用于另一份申请", "this Idempotency-Key was already used for a different application"
        ),
        "gov.not_found": ("没有此办件", "no such application"),
        "gov.too_many_files": ("提交了 {count} 个文件，最多 {maximum} 个", "{count} files sent; at most {maximum}"),
        "gov.illegal": (
            "办件当前状态（{application_state}）不能执行 {application_action}",
            "'{application_action}' is not possible while the application is {application_state}"
        ),
        "note.alarm_raise_moved": (
            "告警 #{alarm} 的触发时间更正为 {when}（读数 {value}）：{when_late} 起观测的读数迟到",
            "alarm #{alarm} raised at {when} at reading {value}: readings observed from {when_late} arrived late"
        ),
        "note.alarm_clear_moved": (
            "告警 #{alarm} 的消除时间更正为 {when}（读数 {value}）：{when_late} 起观测的读数迟到",
            "alarm #{alarm} cleared at {when} at reading {value}: readings observed from {when_late} arrived late"
        ),
        "note.alarm_reopened": (
            "告警 #{alarm} 重新生效：{when_late} 起观测的读数迟到，且条件仍成立",
            "alarm #{alarm} active again: readings observed from {when_late} arrived late and continue the condition"
        ),
        "note.alarm_withdrawn": (
            "告警 #{alarm} 已撤销：{when_late} 起观测的读数迟到，计入后该告警的条件从未成立",
            "alarm #{alarm} withdrawn: readings observed from {when_late} arrived late; with them the rule's condition never held for this alarm"
        ),
        "route.rule": ("依据“{category}”类别的规则，关键词：", "by the rule for {category}, on the words"),
        "route.learned": ("依据文本模型，关键片段：", "by the text model, on the fragments"),
        "window.unknown": (
            "统计时段只能是 today、7d、30d 或 custom，收到 {value}", "The period is one of today, 7d, 30d or custom, not '{value}'"
        ),
        "window.missing_from": ("自定义时段须填写起始日期", "A custom period needs its first day (from)"),
        "window.bad_from": (
            "起始日期须为“年-月-日”格式（如 2026-01-31），收到 {value}", "from must be a date YYYY-MM-DD, not '{value}'"
        ),
        "window.bad_to": ("截止日期须为“年-月-日”格式（如 2026-01-31），收到 {value}", "to must be a date YYYY-MM-DD, not '{value}'"),
        "window.reversed": ("截止日期 {to} 早于起始日期 {from}", "The period ends ({to}) before it starts ({from})"),
        "window.future": (
            "起始日期 {from} 晚于今天（{today}，北京时间）", "The period starts ({from}) after today ({today}, Beijing time)"
        ),
        "window.too_long": (
            "统计时段最长 {maximum} 天，所选为 {days} 天", "A period is at most {maximum} days; this one is {days}"
        ),
    ]
}

extension ReportingWindowProblem {
    /// The refusal as a catalogue message (`window.*`).
    var message: Message {
        switch self {
        case .unknownWindow(let value): Message("window.unknown", ["value": value])
        case .missingFrom: Message("window.missing_from")
        case .badDate(let field, let value):
            Message(field == "from" ? "window.bad_from" : "window.bad_to", ["value": value])
        case .reversed(let from, let to): Message("window.reversed", ["from": "\(from)", "to": "\(to)"])
        case .future(let from, let today): Message("window.future", ["from": "\(from)", "today": "\(today)"])
        case .tooLong(let days):
            Message("window.too_long", ["maximum": "\(ReportingWindow.maxDays)", "days": "\(days)"])
        }
    }
}
