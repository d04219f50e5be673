#!/usr/bin/env python3
"""Weak unit-kind labels from official replies (CityNet issue 10, section 2).

Reads messages_with_replies_full2816_fujian4.csv (shared/data/teddy2020_gov_messages) and writes
routing_unit_labels.csv with columns message_id, text, unit_kind, evidence, noise_scenario.

Rules, in order (first that names a unit kind wins):
  1. forward  - a forwarding clause (已转/已交/交由/转交/转至/转给/责成/交给/转由/移交) naming a unit;
  2. self     - a self-reference (我局/我委/我大队/我支队/我镇/我街道/我校/我院/我中心/我所/我公司...)
                resolved by a unit name in the reply whose suffix matches (我局 -> "...局");
  3. signature- a unit named in the last 60 characters of the reply (the signature before the date);
  4. mention  - the unit kind named most often in the reply (ties: earliest).
Rows where no rule names a kind are left out.
Usage: label_units.py IN.csv OUT.csv [noise_scenarios_read.csv]
(the noise file fills noise_scenario for messages read as noise complaints)
"""
import csv
import re
import sys

# (kind, regex) — order matters: the more specific first.
KINDS = [
    ("traffic_police", r"交警|交通警察|交管|公安交通管理|车管|驾考|驾驶人考试|考场|交通管理局|交通管理支队|交通管理大队|高速.{0,3}大队"),
    ("police", r"公安|派出所|警务|治安|刑侦|户籍|出入境|禁毒|网警|巡警|特警"),
    ("chengguan", r"城管|城市管理|综合执法|行政执法局|城管执法|执法局|市容执法"),
    ("environment", r"生态环境|环境保护|环保|环境监察|环境监测|环境局|环境分局"),
    ("greening_sanitation", r"环卫|环境卫生|园林|绿化|市容|垃圾处理"),
    ("housing", r"市政局|住建|住房和城乡建设|住房城乡建设|城乡建设局|住房保障|房产|房管|房屋征收|不动产|物业|建设局|住保|建管|城建"),
    ("market_regulation", r"市场监督|市场监管|工商|食药|食品药品|质监|质量技术监督|物价|价格监督|知识产权|消费者协会|消协"),
    ("water", r"水务|水利|自来水|供水|排水|水司|污水处理|水电站"),
    ("transport", r"驾校|驾培|交通运输|交通局|运管|运输管理|公交|道路运输|客运|出租车|铁路|地铁|轨道|公路|港航|航道|高速公路|收费站|机场"),
    ("culture_tourism", r"文化|旅游|文旅|文广|文体|广电|新闻出版|体育局|文物"),
    ("education", r"教育|学校|中学|小学|幼儿园|学院|大学|教体|招生|考试院|职业技术|中心校|学区"),
    ("health", r"卫生|卫健|卫计|计生|计划生育|医院|疾控|医疗保障|医保|卫生院|妇幼|药监"),
    ("street_office", r"街道|镇人民政府|镇政府|乡人民政府|乡政府|镇党委|乡党委|社区|居委会|村委会|村民委员会|[^城乡集小]镇(?!长|中心校|卫生院|中学|小学)|乡(?=人民|政府|党委|财政所)"),
    ("other", r"人社|人力资源|社会保障|社保|劳动保障|劳动监察|民政|残联|国土|自然资源|规划|发改|发展和改革|财政|农业|农委|农业农村|林业|扶贫|公积金|税务|地税|国税|供电|电力|燃气|电信|移动公司|联通|银行|法院|检察院|司法|信访|退役军人|统计|审计|商务|粮食|畜牧|科技|工信|经信|应急管理|安监|安全生产|人防|气象|烟草|邮政|政务|行政审批|机关事务|组织部|宣传部|工会|妇联|团委|红十字|住房公积金|开发区|管委会|人民政府|政府办|县委|市委|区委"),
]
COMPILED = [(k, re.compile(p)) for k, p in KINDS]

FORWARD = re.compile(r"(已转|已交|交由|转交|转至|转给|责成|交给|转由|移交|转请|交办)([^。；;]{0,24})")
SELF = re.compile(r"我(局|委|厅|办|中心|街道|镇|乡|院|队|大队|支队|所|公司|校|处|分局|站)")
# suffix of a self-reference -> kinds it can be when no matching unit name is found
SELF_DEFAULT = {"街道": "street_office", "镇": "street_office", "乡": "street_office", "校": "education"}


def kinds_in(span):
    """All (position, kind, matched) in span, one per match, the more specific kinds first at equal position."""
    found = []
    for order, (kind, rx) in enumerate(COMPILED):
        for m in rx.finditer(span):
            found.append((m.start(), order, kind, m.group()))
    found.sort()
    # drop matches covered by an earlier-listed kind at an overlapping position
    result = []
    taken = []
    for pos, order, kind, text in sorted(found, key=lambda f: (f[1], f[0])):
        if any(pos < e and pos + len(text) > s for s, e in taken):
            continue
        taken.append((pos, pos + len(text)))
        result.append((pos, kind, text))
    return sorted(result)


def unit_names(reply):
    """Unit names in the reply: a run of CJK ending with an organisational suffix."""
    return re.finditer(r"[\u4e00-\u9fffA-Z0-9]{1,14}?(局|委员会|委|厅|办公室|办事处|中心|街道|镇|乡|医院|卫生院|学院|大学|学校|中学|小学|大队|支队|分局|所|公司|处|站)", reply)


SUBJECT = re.compile(r"(?:经|由|根据)?([\u4e00-\u9fffA-Z0-9]{2,16}?(?:局|委员会|委|厅|办公室|办事处|中心|街道|镇|乡|医院|卫生院|学院|学校|中学|小学|大队|支队|中队|分局|所|公司|处|站|党委、政府|政府))(?:党委)?(?:高度重视|调查核实|立即|迅速|牵头|已于|经调查|组织|安排|接到)")


def org_kind(name):
    ks = kinds_in(name)
    return ks[-1][1] if ks else None


def label(reply):
    reply = reply.replace("\u3000", " ")
    # 1. forwarding clause naming a unit
    for m in FORWARD.finditer(reply):
        span = m.group(2)
        if re.match(r"(相关|有关)(部门|单位|科室)", span) or re.search(r"电子政务|网信|政府办|信访|我单位", span):
            continue  # a relay, not the acting unit
        ks = kinds_in(span)
        if ks:
            return ks[0][1], "forward:" + m.group(1) + span[: ks[0][0] + len(ks[0][2])]
    # 2. a unit as the subject of the investigation (经X调查核实, X高度重视, X牵头)
    for m in SUBJECT.finditer(reply):
        kind = org_kind(m.group(1))
        if kind:
            return kind, "subject:" + m.group(1)
    # 3. self-reference resolved by a unit name with the same suffix
    selves = SELF.findall(reply)
    if selves:
        suffix = max(set(selves), key=selves.count)
        for m in unit_names(reply):
            if m.group(1) == suffix or (suffix in ("队", "大队") and m.group(1) in ("大队", "支队")):
                kind = org_kind(m.group())
                if kind:
                    return kind, "self:我" + suffix + "=" + m.group()
        if suffix in SELF_DEFAULT:
            return SELF_DEFAULT[suffix], "self:我" + suffix
    # 4. signature: a unit name ending the reply (before the date)
    tail = re.sub(r"[0-9０-９年月日号\s.．:：]+$", "", reply)[-30:]
    names = [m for m in unit_names(tail) if m.end() >= len(tail) - 2]
    if names:
        kind = org_kind(names[-1].group())
        if kind:
            return kind, "signature:" + names[-1].group()
    # 5. the kind of unit named most often (organisation names only)
    counts = {}
    first = {}
    for i, m in enumerate(unit_names(reply)):
        kind = org_kind(m.group())
        if kind:
            counts[kind] = counts.get(kind, 0) + 1
            first.setdefault(kind, i)
    if counts:
        best = max(counts, key=lambda k: (counts[k], -first[k]))
        return best, "mention:" + best
    return None, ""


def main(src, dst, noise_file=None):
    rows = list(csv.DictReader(open(src, encoding="utf-8")))
    scenarios = {}
    if noise_file:
        for r in csv.DictReader(open(noise_file, encoding="utf-8")):
            if r["source_id"].startswith("messages:"):
                scenarios[r["source_id"].split(":", 1)[1]] = r["noise_scenario"]
    out = []
    for r in rows:
        kind, evidence = label(r["reply"])
        if kind is None:
            continue
        text = (r["title"] + "\n" + r["detail"]).strip()
        out.append({"message_id": r["message_id"], "text": text, "unit_kind": kind, "evidence": evidence,
                    "noise_scenario": scenarios.get(r["message_id"], "")})
    with open(dst, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["message_id", "text", "unit_kind", "evidence", "noise_scenario"])
        w.writeheader()
        w.writerows(out)
    print(len(rows), "replies,", len(out), "labelled", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
