/// Joint incidents' and camera incidents' sentences (issue 15, issue 12 §6): the refusals the incident room can show
/// (``LocalizedRefusal``s; their English is the API's `reason`, byte for byte, unless the refusal gives its own), the
/// system's notes on the incidents' timelines (``IncidentNote``, stored as codes and parameters) and the phrases
/// (`phrase…` parameters) both use.
extension MessageCatalogue {
    static let incidentEntries: [String: (zh: String, en: String)] = [
        "incident.not_commander": (
            "只有主办单位（{unit}）或辖区覆盖事件区域的城运中心可以{phrase_action}",
            "only the lead unit ({unit}) or an operations centre over the incident's area may {phrase_action}"
        ),
        "incident.may.start_plans": ("启动预案", "start plans"),
        "incident.may.request_resources": ("请求资源", "request resources"),
        "incident.may.close": ("结束事件", "close it"),
        "incident.may.add_units": ("增加协办单位", "add units"),
        "incident.may.give_tasks": ("下达任务", "give tasks"),
        "incident.may.link": ("关联案件和告警", "link cases and alarms"),
        "incident.decision_forbidden": (
            "只有主办单位或城运中心可以记录决策", "only the lead unit or an operations centre records decisions"
        ),
        "incident.task_id_not_integer": ("任务编号须为整数", "task id must be an integer"),
        "incident.task_not_found": ("事件 {id} 没有任务 {task}", "task {task} not found on incident {id}"),
        "incident.task_not_own": (
            "任务 {task} 属于{unit}，只能由其本单位签收和办结",
            "task {task} belongs to {unit}; only its own unit accepts and signs it off"
        ),
        "incident.task_step": (
            "任务 {task} 不能{phrase_verb}：{phrase_why}", "task {task} cannot be {phrase_verb}: {phrase_why}"
        ),
        "incident.verb.accepted": ("签收", "accepted"),
        "incident.verb.signed_off": ("办结", "signed off"),
        "incident.why.done": ("任务已办结", "it is already done"),
        "incident.why.accepted": ("任务已签收", "it is already accepted"),
        "incident.why.accept_first": ("须先签收", "it must be accepted first"),
        "incident.task_changed": ("任务 {task} 刚被他人更新，请刷新后重试", "task {task} changed meanwhile; read it again"),
        "incident.note_too_long": ("说明最多 2000 个字", "note must be at most 2000 characters"),
        "incident.override_length": ("强制结束理由须为 1–500 个字", "the reason to close anyway must be 1–500 characters"),
        "incident.closed": ("事件 {id} 已结束，不能再操作", "incident {id} is closed"),
        "incident.already_closed": ("事件 {id} 已经结束", "incident {id} is already closed"),
        "incident.open_tasks": (
            "事件 {id} 尚有 {count} 项任务未办结（{tasks}），不能结束；请先办结，或填写理由强制结束",
            "incident {id} has {count} task(s) not signed off ({tasks}); sign them off first, or give a reason to close "
                + "anyway"
        ),
        "incident.case_taken": ("案件 {ref} 已属于另一事件", "case {ref} already belongs to an incident"),
        "incident.alarm_taken": ("告警 {ref} 已属于另一事件", "alarm {ref} already belongs to an incident"),
        "incident.link_case_unknown": ("案件 {ref} 不存在或不在您的管辖范围内", "case_id: case {ref} not found"),
        "incident.link_alarm_unknown": ("告警 {ref} 不存在或不在您的管辖范围内", "alarm_id: alarm {ref} not found"),
        "incident.link_one": ("请只给出案件编号或告警编号中的一个", "give exactly one of case_id and alarm_id"),
        "incident.unknown_unit": ("没有代码为 {code} 的单位", "unit_code: unknown unit '{code}' (see GET /api/v1/units)"),
        "incident.no_assignments": ("没有可操作的资源（每次 1–500 个）", "no resources to move (1–500 at a time)"),
        "incident.assignment_not_own": (
            "资源调派 {assignment} 属于{unit}，只有该单位或指挥单位可以操作",
            "assignment {assignment} belongs to {unit}; only that unit or a commander moves it"
        ),
        "incident.no_assignment": ("事件 {id} 没有资源调派 {ids}", "no assignment {ids} on incident {id}"),
        "incident.cannot_mark": ("不能标记为{phrase_step}：{list}", "cannot mark {phrase_step}: {list}"),
        "assignment.requested": ("已请求", "requested"), "assignment.dispatched": ("已出发", "dispatched"),
        "assignment.arrived": ("已到达", "arrived"), "assignment.released": ("已释放", "released"),
        "resource.bus": ("公交车", "Buses"), "resource.pump_truck": ("抽水泵车", "Pump trucks"),
        "resource.gritter": ("撒布车", "Gritters"), "resource.crew": ("抢险队", "Crews"),
        // Notes on the incidents' timelines.
        "incident_note.declared": ("{type}，{code} 级（{level}）", "{type}, level {code} ({level})"),
        "incident_note.linked": ("{phrase_kind} #{ref}（{phrase_how}）", "{phrase_kind} #{ref} ({phrase_how})"),
        "incident.link.case": ("案件", "Case"), "incident.link.alarm": ("告警", "Alarm"),
        "incident.how.declared": ("发布时关联", "linked when declared"),
        "incident.how.manual": ("手动关联", "linked by hand"),
        "incident.how.auto": ("按区域和类别自动关联", "joined by area and category"),
        "incident_note.task_created": ("{title}（时限 {minutes} 分钟）", "{title} (within {minutes} min)"),
        "incident_note.task": ("{title}", "{title}"),
        "incident_note.plan": ("预案：{name}", "Plan: {name}"),
        "incident_note.units_missing": ("本地没有预案所需的单位：{units}", "No unit here for the plan's {units}"),
        "incident_note.resources_requested": (
            "{phrase_kind}：请求 {count} 个，分配 {assigned} 个", "{phrase_kind}: {count} requested, {assigned} assigned"
        ),
        "incident_note.resources_distance": (
            "最近 {nearest} 公里，最远 {farthest} 公里", "nearest {nearest} km, farthest {farthest} km"
        ),
        "incident_note.pool_short": ("资源池不足，尚缺 {count} 个", "the pool is short by {count}"),
        "incident_note.resources_moved": ("{count} 个资源", "{count} resource(s)"),
        "incident_note.closed_override": ("尚有 {count} 项任务未办结，强制结束", "Closed with {count} task(s) open"),
        "camera_note.start": ("{algorithm}，置信度 {confidence}", "{algorithm}, confidence {confidence}"),
        "camera_note.end": ("超过间隔未再出现", "Not seen for more than the gap"),
        "camera_note.await_confirmation": (
            "已持续 {seconds} 秒，待操作员确认或驳回", "Seen for {seconds} s; an operator confirms or rejects it"
        ),
        "camera_note.case": ("案件 #{case}，来件 #{report}", "Case #{case}, report #{report}"),
    ]
}
