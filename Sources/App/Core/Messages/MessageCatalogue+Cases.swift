/// Refusals of the case rules and of case input (``CaseRuleError``, ``CaseActionError``, ``CaseTransitionError``,
/// `TextRuleError`, ``PhotoError``, ``IntakeError``) as the console words them.
extension MessageCatalogue {
    static let caseEntries: [String: (zh: String, en: String)] = [
        "case.only_in": (
            "案件当前为“{state}”，不能{action}：仅限于{states}",
            "A case in state {state} cannot be given “{action}”: only in {states}"
        ),
        "case.callback_recorded": (
            "案件当前为“{state}”，不能{action}：回访结果已记录",
            "A case in state {state} cannot be given “{action}”: the callback is already recorded"
        ),
        "case.no_prior_state": (
            "案件当前为“{state}”，不能{action}：没有记录挂起前的状态",
            "A case in state {state} cannot be given “{action}”: no state before the suspension was recorded"
        ),
        "case.top_level": (
            "案件当前为“{state}”，不能{action}：已达最高督办级别",
            "A case in state {state} cannot be given “{action}”: already at the highest escalation level"
        ),
        "case.extension_pending": (
            "案件当前为“{state}”，不能{action}：已有待批准的延期申请",
            "A case in state {state} cannot be given “{action}”: an extension request is already pending"
        ),
        "case.no_extension_pending": (
            "案件当前为“{state}”，不能{action}：没有待批准的延期申请",
            "A case in state {state} cannot be given “{action}”: no extension request is pending"
        ),
        "case.role_not_allowed": ("您的角色（{role}）不能执行“{action}”", "Your role ({role}) may not perform “{action}”"),
        "case.note_required": ("“{action}”须填写说明理由", "“{action}” needs a note giving the reason"),
        "case.photos_not_taken": ("“{action}”不能附带照片", "“{action}” takes no photos"),
        "case.callback_result_required": ("回访须选择回访结果", "A callback needs its result"),
        "case.callback_result_not_taken": (
            "回访结果只能随“回访”提交，不能随“{action}”", "A callback result goes with “Callback” only, not with “{action}”"
        ),
        "case.unit_required": ("“{action}”须选择责任单位", "“{action}” needs the unit to send the case to"),
        "case.unknown_unit": ("没有代码为 {code} 的责任单位", "No unit has the code '{code}'"),
        "case.same_unit": ("案件已在{unit}，请改派给其他单位", "The case is already with {unit}; reassign it to another unit"),
        "case.unit_outside_region": (
            "{unit}不负责{region}：请选该区域、其上级或其下属区域的单位",
            "{unit} does not serve {region}: choose a unit of that region, one above it or one inside it"
        ),
        "case.invalid_extension": (
            "延期天数须为 1–30 个工作日的整数（收到：{days}）",
            "Extension days must be a whole number of working days between 1 and 30 (got {days})"
        ),
        "case.assignee_required": ("“指派网格员”须选择网格员", "“Assign grid worker” needs the grid worker to send"),
        "case.already_assigned": ("案件已指派给网格员 {name}", "The case is already assigned to {name}"),
        "case.limit_not_computable": (
            "无法计算新的时限，未作任何更改", "The new time limit cannot be computed, so nothing was changed"
        ),
        "case.not_street_held": (
            "“{action}”仅供持有案件的街镇城运中心使用；此案件在{unit}",
            "“{action}” is for the street/town centre holding a case; this case is with {unit}"
        ),
        "case.not_holding_centre": (
            "只有持有案件的街镇城运中心（{unit}）的操作员可以执行“{action}”",
            "Only operators of {unit}, the street/town centre holding the case, may perform “{action}”"
        ),
        "case.unit_not_of_street": (
            "{unit}不是{region}的单位：下派只能派给本街镇的单位或网格员",
            "{unit} is not a unit of {region}: dispatching down goes only to the street's own units or grid workers"
        ),
        "case.target_required": (
            "下派须选择本街镇的单位或网格员", "Dispatching down needs a unit of the street/town or one of its grid workers"
        ),
        "case.no_centre_above": (
            "{region}之上没有区城运中心可退回", "{region} has no district operations centre above it to return the case to"
        ),
        "case.concurrent": (
            "案件 {id} 刚被他人更新，请刷新后重试", "Case {id} was changed by someone else meanwhile; reload it and try again"
        ),
        "case.self_verification": (
            "{name} 处置了此案件，不能自行核查：核查须由他人完成（CJ/T 315 核查）",
            "{name} resolved this case and may not verify it: someone else verifies (CJ/T 315)"
        ),
        "case.unknown_assignee": (
            "{name} 不是持有案件的{unit}的在岗网格员", "{name} is not an enabled grid worker of {unit}, the unit holding the case"
        ),
        "case.unknown_grid_worker": (
            "{name} 不是在岗网格员：下派只能派给持有案件的街镇的网格员",
            "{name} is not an enabled grid worker: dispatching down goes to a grid worker of the street/town holding the case"
        ),
        "case.extension_days_text": (
            "延期天数须为整数个工作日（收到：{text}）", "extension_days must be a whole number of working days, got '{text}'"
        ),
        "case.unknown_callback_result": (
            "没有回访结果 {text}；可选：{known}", "unknown callback_result '{text}'; one of {known}"
        ),
        "case.unknown_action": ("没有操作 {text}；可选：{known}", "unknown action '{text}'; one of {known}"),
        "text.empty": ("“{field}”不能为空", "{field} must not be empty"),
        "text.too_long": (
            "“{field}”有 {length} 个字符，最多 {maximum} 个",
            "{field} is {length} characters long; at most {maximum} are allowed"
        ),
        "text.markup": ("“{field}”须为纯文本，不能含标记 {fragment}", "{field} must be plain text; it contains markup {fragment}"),
        "text.control": ("“{field}”含有控制字符 {char}", "{field} contains the control character {char}"),
        "text.noncharacter": ("“{field}”含有非字符码位 {char}", "{field} contains {char}, which is not a character"),
        "text.encoding": ("“{field}”不是有效的 UTF-8 文本", "{field} is not valid UTF-8"),
        "photo.empty": ("照片 {name} 是空文件", "Photo {name} is empty"),
        "photo.too_large": ("照片 {name} 有 {bytes} 字节，超过 5 MB 上限", "Photo {name} is {bytes} bytes; the limit is 5 MB"),
        "photo.not_image": ("照片 {name} 不是 JPEG、PNG 或 WebP 图片", "Photo {name} is not a JPEG, PNG or WebP image"),
        "photo.too_many": (
            "提交了 {count} 张照片，每次操作最多 {maximum} 张", "{count} photos sent; at most {maximum} go with one action"
        ),
        "intake.unknown_category": ("没有代码为 {code} 的类别", "No category has the code '{code}'"),
        "intake.group_category": (
            "{category}是大类，请选择其下的小类", "{category} is a group of categories; choose one of its sub-categories"
        ),
        "intake.location": ("位置无效，请检查坐标或地址", "The location cannot be used; check the coordinates or the address"),
        "field.note": ("说明", "note"), "field.description": ("描述", "description"), "field.address": ("地址", "address"),
        "field.reason": ("理由", "reason"), "field.q": ("搜索内容", "search"),
    ]
}
