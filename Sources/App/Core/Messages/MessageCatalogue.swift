/// CityNet's sentences in Chinese (the default) and English, one definition each: code → (zh, en), with `{name}`
/// placeholders filled from a ``Message``'s parameters. Split by topic (refusals of the console's pages, the case
/// rules, system notes); ``MessageCatalogueTests`` checks that both languages hold the same placeholders, that the
/// Chinese holds no English sentence and the English no Han character.
enum MessageCatalogue {
    /// Every entry, from the topic tables.
    static let entries: [String: (zh: String, en: String)] = pageEntries.merging(caseEntries) { first, _ in first }
        .merging(noteEntries) { first, _ in first }.merging(inputEntries) { first, _ in first }
        .merging(wordsEntries) { first, _ in first }
        .merging(incidentEntries) { first, _ in first }

    /// The template of `code` in `language`, or nil for an unknown code.
    static func template(_ code: String, _ language: DisplayLanguage) -> String? {
        entries[code].map { language == .zh ? $0.zh : $0.en }
    }

    /// Refusals met on the console's pages: error pages by status, sign-in and forms, desks' filters, triage, alarms.
    static let pageEntries: [String: (zh: String, en: String)] = [
        "status.400": ("请求有误，未作任何更改", "The request was not valid; nothing was changed"),
        "status.401": ("请先登录", "Sign in first"),
        "status.403": ("您无权执行此操作", "You may not do this"),
        "status.404": ("没有找到所请求的内容", "Nothing was found at this address"),
        "status.405": ("此地址不接受该请求方式", "This address does not take that method"),
        "status.409": (
            "与当前状态冲突（可能已被他人处理），请刷新后重试",
            "This conflicts with the current state (someone may have acted meanwhile); reload and try again"
        ),
        "status.413": ("提交的内容过大", "What was sent is too large"),
        "status.415": ("不支持的内容类型", "That content type is not accepted"),
        "status.422": ("提交的内容无法处理", "What was sent cannot be processed"),
        "status.429": ("请求过于频繁，请稍后再试", "Too many requests; try again later"),
        "status.500": ("系统内部错误，请稍后再试", "internal error"),
        "status.503": ("服务暂不可用，请稍后再试", "The service is unavailable for now; try again later"),
        "console.no_page": ("控制台没有此页面：{path}", "no console page at {path}"),
        "console.csrf": (
            "表单安全令牌缺失或已过期，请刷新页面后重试", "the form's security token is missing or stale; reload the page and try again"
        ),
        "console.login_csrf": (
            "登录表单安全令牌缺失或已过期，请刷新页面", "the sign-in form's security token is missing or stale; reload the page"
        ),
        "console.signed_out": (
            "尚未登录或会话已过期，请重新登录", "not signed in to the console (or the session expired): sign in again"
        ),
        "case.id_not_integer": ("案件编号须为整数", "case id must be an integer"),
        "case.not_found": ("案件 {id} 不存在或不在您的管辖范围内", "case {id} not found"),
        "report.id_not_integer": ("来件编号须为整数", "report id must be an integer"),
        "photo.not_found": ("案件 {case} 没有照片 {id}", "photo {id} not found on case {case}"),
        "filter.unknown_region": ("没有代码为 {code} 的区域", "unknown region '{code}'"),
        "filter.region_outside": (
            "区域 {region} 不在您的管辖范围（{region_scope}）内", "region '{region}' is outside your scope ({region_scope})"
        ),
        "filter.unknown_unit": ("没有代码为 {code} 的责任单位", "unknown unit '{code}'"),
        "filter.no_state": (
            "未指定案件状态；可选：{states_known}（以逗号分隔）",
            "state names no state; give one or more of {states_known}, comma-separated"
        ),
        "filter.unknown_state": (
            "没有名为 {value} 的案件状态；可选：{states_known}", "unknown state '{value}'; one of {states_known}"
        ),
        "filter.unknown_category": ("没有代码为 {code} 的类别", "unknown category '{code}'"),
        "triage.not_triager": (
            "您的角色（{role}）不能分拨来件，分拨由城运中心负责", "role '{role}' may not triage reports; operations centres do"
        ),
        "triage.both": ("请在“按类别派遣”与“不予立案”中二选一", "give either category_code or dismiss, not both"),
        "triage.dismiss_note": ("不予立案须填写理由", "dismissing a report needs a note giving the reason"),
        "triage.neither": ("请选择派遣类别，或不予立案", "give category_code (the fine category to dispatch) or dismiss: true"),
        "triage.not_found": ("12345 来件 {id} 不存在或不在您的管辖范围内", "hotline report {id} not found"),
        "triage.not_queued": (
            "来件 {id} 已不在分拨队列中（分拨状态 {triage_state}，可能已被他人处理）",
            "report {id} is not in the triage queue (triage state {triage_state})"
        ),
        "triage.unknown_region": ("没有代码为 {code} 的区域", "unknown region_code '{code}'"),
        "triage.region_outside": (
            "区域 {region} 不在您的管辖范围（{region_scope}）内", "region_code '{region}' is outside your scope ({region_scope})"
        ),
        "triage.no_place": (
            "您的辖区内没有名为“{text}”的区、街道或镇，请从列表中选择",
            "no district, street or town called '{text}' in your area; choose one from the list"
        ),
        "triage.many_places": (
            "“{text}”对应 {n} 个地方，请从列表中选择（列表中含所属区）",
            "'{text}' names {n} places; choose one from the list (it names the district too)"
        ),
        "split.not_allowed": (
            "您的角色（{role}）不能拆分来件，拆分由城运中心负责", "role '{role}' may not split reports off cases; operations centres do"
        ),
        "split.not_in_case": ("来件 {report} 不属于案件 {case}", "Report {report} is not attached to case {case}"),
        "split.only_report": (
            "案件 {case} 只有一条来件，无可拆分", "Case {case} has only one report; there is nothing to split off"
        ),
        "split.first_report": (
            "来件 {report} 是案件 {case} 的首条来件，须保留；请拆分并入的来件",
            "Report {report} opened case {case} and stays with it; split off the reports merged into it"
        ),
        "alarm.not_found": ("告警 {id} 不存在", "alarm {id} not found"),
        "alarm.no_action": ("没有告警操作“{action_code}”", "no alarm action '{action_code}'"),
        "alarm.not_active": ("告警 {id} 已消除", "alarm {id} is not active"),
        "alarm.centres_only": ("只有城运中心可以手动消除告警", "only operations centres clear alarms by hand"),
        "role.city_operator": ("市城运中心操作员", "city operations centre operator"),
        "role.district_operator": ("区城运中心操作员", "district operations centre operator"),
        "role.street_operator": ("街镇城运中心操作员", "street/town operations centre operator"),
        "role.caseworker": ("承办人员", "caseworker"),
        "role.grid_worker": ("网格员", "grid worker"),
        "role.administrator": ("系统管理员", "administrator"),
    ]
}
