import CityDomain
import Vapor

/// The console's words in Chinese (the default) and English; pages get the table of the chosen language as `t`.
enum ConsoleText {
    typealias Language = DisplayLanguage

    /// The language of a request: `?lang=` if given, else the `citynet_lang` cookie, else Chinese.
    static func language(_ req: Request) -> Language {
        if let asked = req.query[String.self, at: "lang"].flatMap(Language.init(rawValue:)) { return asked }
        if let stored = req.cookies[ConsoleSession.languageCookie]?.string, let language = Language(rawValue: stored) {
            return language
        }
        return .zh
    }

    /// Key → (Chinese, English).
    static let entries: [String: (String, String)] = [
        "app": ("城市运行一网统管", "CityNet operations"),
        "city_screen": ("一屏观全城", "City screen"),
        "desk": ("案件工作台", "Case desk"),
        "triage": ("分拨队列", "Triage queue"),
        "login": ("登录", "Sign in"),
        "logout": ("退出", "Sign out"),
        "username": ("用户名", "Username"),
        "password": ("密码", "Password"),
        "login_failed": ("用户名或密码错误", "Invalid username or password"),
        "login_throttled": (
            "该用户名登录失败次数过多，请 {n} 分钟后再试", "Too many failed sign-ins for this username; try again in {n} minute(s)"
        ),
        "login_throttled_address": (
            "该地址登录失败次数过多，请 {n} 分钟后再试", "Too many failed sign-ins from this address; try again in {n} minute(s)"
        ),
        "open_cases": ("在办案件", "Open cases"),
        "overdue": ("超期", "Overdue"),
        "overdue_applications": ("超期办件", "Overdue applications"),
        "due_soon": ("即将超期", "Due soon"),
        "by_state": ("案件状态", "Cases by state"),
        "league": ("各区排行", "District league"),
        "district": ("区", "District"),
        "on_time_rate": ("按期结案率", "On-time closure"),
        "first_dispatch": ("一次派遣准确率", "First-dispatch accuracy"),
        "live_feed": ("实时动态", "Live feed"),
        "vital_signs": ("城市体征", "Vital signs"),
        "no_indicators": ("暂无体征指标接入", "No indicators connected yet"),
        "whole_city": ("全市", "Whole city"),
        "colour_open": ("在办", "Open"),
        "colour_overdue": ("超期", "Overdue"),
        "colour_on_time": ("按期结案率", "On-time closure"),
        "colour_first_dispatch": ("一次派遣准确率", "First-dispatch accuracy"),
        "legend_open": ("颜色越深在办案件越多；红点：超期案件", "Darker: more open cases; red dots: overdue cases"),
        "legend_overdue": ("颜色越深超期案件越多；红点：超期案件", "Darker: more overdue cases; red dots: overdue cases"),
        "legend_on_time": (
            "颜色越深按期结案率越低（≥95%、≥85%、≥70%、更低）", "Darker: lower on-time closure (≥95 %, ≥85 %, ≥70 %, lower)"
        ),
        "legend_first_dispatch": (
            "颜色越深一次派遣准确率越低（≥95%、≥85%、≥70%、更低）", "Darker: lower first-dispatch accuracy (≥95 %, ≥85 %, ≥70 %, lower)"
        ),
        "case": ("案件", "Case"),
        "category": ("类别", "Category"),
        "region": ("区域", "Region"),
        "unit": ("责任单位", "Responsible unit"),
        "state": ("状态", "State"),
        "step_due": ("环节时限", "Step due"),
        "due": ("总时限", "Due"),
        "created": ("受理时间", "Received"),
        "timeline": ("处置流程", "Timeline"),
        "reports": ("关联来件", "Reports"),
        "actions": ("可执行操作", "Actions"),
        "note": ("说明", "Note"),
        "days": ("工作日", "Working days"),
        "filter": ("筛选", "Filter"),
        "no_cases": ("没有符合条件的案件", "No cases match"),
        "queue_empty": ("分拨队列为空", "The triage queue is empty"),
        "why_queued": ("转人工原因", "Why a person decides"),
        "model_guess": ("模型判断", "Model's guess"),
        "route_guess": ("派遣建议", "Routing suggestion"),
        "route_unsure": ("把握不足，未自动派遣", "not sure enough to dispatch alone"),
        "dispatch_as": ("按此类别派遣", "Dispatch as"),
        "dismiss": ("不予立案", "Dismiss"),
        "location": ("位置", "Location"),
        "method": ("定位方式", "Located by"),
        "rule": ("派遣依据", "Dispatch rule"),
        "you": ("当前用户", "Signed in as"),
        "lang_switch": ("English", "中文"),
        "error": ("出错了", "Something went wrong"),
        "choose_unit": ("选择单位…", "Choose a unit…"),
        "all_open": ("全部未结案", "All open"),
        "assigned_to_me": ("指派给我的", "Assigned to me"),
        "no_actions": (
            "当前状态下没有您可执行的操作（例如正等待他人核查）",
            "Nothing for you to do on this case in its state (it may be waiting for someone else's verification)"
        ),
        "case_changed_while_typing": (
            "此案件刚被更新；您正在填写的操作表单保持原样，提交前请核对案件状态",
            "This case has just changed; the form you are filling in was kept as it is: check the case's state before you send it"
        ),
        "time_zone": ("北京时间", "Beijing time (UTC+8)"),
        // The alarm desk (CityNet issue 11 §5); severities in China's four warning colours.
        "alarm_desk": ("告警台", "Alarm desk"),
        "alarms_menu": ("告警台", "Alarms"),
        "alarm": ("告警", "Alarm"),
        "sensor": ("感知设备", "Sensor"),
        "severity": ("等级", "Severity"),
        "raised_at": ("发生（观测时间）", "Raised (observed)"),
        "cleared_at": ("消除", "Cleared"),
        "value": ("数值", "Value"),
        "status_active": ("未消除", "Active"),
        "status_cleared": ("已消除", "Cleared"),
        "status_all": ("全部", "All"),
        "ack_yes": ("已确认", "Acknowledged"),
        "ack_no": ("未确认", "Unacknowledged"),
        "ack_filter": ("确认情况", "Acknowledgement"),
        "ack_all": ("确认与否不限", "Acknowledged or not"),
        "acknowledge": ("确认", "Acknowledge"),
        "clear_alarm": ("消除告警", "Clear"),
        "alarm_done_acknowledge": ("已确认", "acknowledged"),
        "alarm_done_clear": ("已消除", "cleared"),
        "no_alarms": ("没有符合条件的告警", "No alarms match"),
        "severity_critical": ("红色·特别严重", "Red · critical"),
        "severity_major": ("橙色·严重", "Orange · major"),
        "severity_minor": ("黄色·较重", "Yellow · minor"),
        "severity_warning": ("蓝色·一般", "Blue · warning"),
        "series": ("数据曲线", "Series"),
        "no_series": ("该告警没有可绘制的数据", "No series to draw for this alarm"),
        "open_case": ("查看案件", "Open the case"),
        "chart_legend": (
            "10 分钟均值（逐时站点为小时均值）；虚线：告警阈值；竖线：告警发生与消除",
            "10-minute means (hourly for hourly stations); dashed: the rule's threshold; vertical lines: raised and cleared"
        ),
        "choose_category": ("选择类别…", "Choose a category…"),
        "region_optional": ("区域（可不填）", "Region (optional)"),
        "choose_grid_worker": ("选择网格员…", "Choose a grid worker…"),
        "chain": ("派遣链路", "Dispatch chain"),
        "choose_street_unit": ("下派至本街镇单位…", "To a unit of this street/town…"),
        "or_street_grid_worker": ("或本街镇网格员…", "or one of its grid workers…"),
        "assignee": ("网格员", "Grid worker"),
        "photos": ("照片（最多 4 张，每张 ≤ 5 MB）", "Photos (up to 4, 5 MB each)"),
        "photo": ("处置照片", "Photo"),
        "attention": ("待办提醒", "Needs attention"),
        "att_overdue": ("超时", "overdue"),
        "att_due_soon": ("即将超时", "due soon"),
        "att_supervised": ("督办", "supervised"),
        "att_triage": ("待分拨", "awaiting triage"),
        "att_alarms": ("告警", "active alarms"),
        "att_none": ("暂无超时、即将超时或督办的案件", "No overdue, due-soon or supervised cases"),
        "att_left": ("剩余", "left"),
        "att_late": ("已超时", "overdue by"),
        "supervised": ("督办", "Supervised"),
        "callback_result": ("回访结果", "Callback result"),
        "choose_callback_result": ("选择回访结果…", "Choose the callback result…"),
        "split_off": ("拆分为新案件", "Split into a new case"),
        "split_reason": ("拆分原因（必填）", "Why it is not this case (required)"),
        "split_done": ("已拆分为新案件", "Split into a new case"),
        "gov_desk": ("政务办件", "Applications"),
        "gov_stats": ("好差评统计", "Rating statistics"),
        "pages": ("翻页", "Pages"),
        // After a label: the full-width colon in Chinese, a colon and a space in English.
        "colon": ("：", ": "),
    ]

    /// The words of `language`.
    static func table(_ language: Language) -> [String: String] {
        entries.merging(searchEntries) { first, _ in first }.merging(triageEntries) { first, _ in first }
            .merging(IncidentRoomText.entries) { first, _ in first }.merging(mapEntries) { first, _ in first }
            .merging(trendsEntries) { first, _ in first }
            .merging(roleEntries) { first, _ in first }.merging(pagingEntries) { first, _ in first }
            .mapValues { language == .zh ? $0.0 : $0.1 }
    }

    /// Names of workflow steps (CJ/T 315), locating methods, channels and unit kinds in the console.
    static func term(_ code: String?, _ language: Language) -> String {
        guard let code else { return "" }
        if let name = terms[code] { return language == .zh ? name.0 : name.1 }
        if let kind = UnitKind(rawValue: code) { return language == .zh ? kind.nameZh : kind.nameEn }
        return code
    }

    private static let terms: [String: (String, String)] = [
        "accept": ("受理", "Accept"), "register": ("立案", "Register"), "dispatch": ("派遣", "Dispatch"),
        "handle": ("处置", "Handle"), "verify": ("核查", "Verify"), "close": ("结案", "Close"),
        "polygon": ("坐标落区", "Map position"), "address_text": ("地址文本", "Address text"),
        "reporter_choice": ("上报人选择", "Reporter's choice"), "district": ("区名", "District name"),
        "operator_choice": ("操作员指定", "Operator's choice"), "none": ("未定位", "Not located"),
        // Channels of 12345 calls and sources of reports.
        "phone": ("电话", "Phone"), "web": ("网站", "Web"), "app": ("App", "App"), "wechat": ("微信", "WeChat"),
        "mini_program": ("小程序", "Mini program"), "hotline": ("12345热线", "12345 hotline"),
        "other": ("其他（由人工分派）", "Other (a person routes it)"),
        "open311": ("Open311", "Open311"), "api": ("接口", "API"), "sensor": ("感知设备", "Sensor"),
        "camera": ("城市之眼", "Camera (City Eye)"),
    ]

    /// Names of actions in the console.
    static func actionName(_ action: String, _ language: Language) -> String {
        guard let name = actionNames[action] else { return action }
        return language == .zh ? name.0 : name.1
    }

    private static let actionNames: [String: (String, String)] = [
        "accept": ("受理", "Accept"), "register": ("立案", "Register"), "dispatch": ("派遣", "Dispatch"),
        "start": ("签收处置", "Start handling"), "resolve": ("处置完成", "Resolve"), "verify": ("核查通过", "Verify"),
        "fail_verification": ("核查不通过", "Fail verification"), "close": ("结案", "Close"),
        "return": ("退回", "Return"), "reassign": ("改派", "Reassign"), "assign": ("指派网格员", "Assign grid worker"),
        "request_extension": ("申请延期", "Request extension"), "approve_extension": ("批准延期", "Approve extension"),
        "suspend": ("挂起", "Suspend"), "resume": ("恢复", "Resume"), "escalate": ("升级", "Escalate"),
        "reopen": ("重新办理", "Reopen"), "callback": ("回访", "Callback"), "merge_report": ("合并来件", "Report merged"),
        "split_report": ("拆分来件", "Report split off"), "time_limit": ("时限", "Time limit"),
        "forward": ("逐级派遣", "Passed down"), "transfer": ("转办", "Forwarded"), "dispatch_down": ("下派", "Dispatch down"),
        "return_up": ("上退", "Return up"),
        "alarm_cleared": ("告警消除", "Alarm cleared"), "alarm_corrected": ("告警更正", "Alarm corrected"),
    ]
}
