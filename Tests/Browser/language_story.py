"""Every word in the operator's language (CityNet issue 12 §6) in headless Chromium, called by console_browser.py.

With the city operator signed in and a new Open311 report in 浦东新区: the case page (after a refused action, so its
flash shows), the case desk, a console 404 page, an unknown incident and league.csv's refused window are read in Chinese and in English;
so are the triage desk with a vague 12345 call waiting (and its refusal of a bulk decision naming no report) and the
search desk with hits and with a refused search (an unknown state, named in the page's language). Citizens' and operators' own
words are left out (elements marked data-own-words, the case's description and the address given, the reports' texts, the address typed on a 404 page, the
desk's descriptions) and so is the language switch (a link in the other language by design); then no Chinese page may
hold an English sentence (three Latin words in a row) and no English page a Han character.
"""
import re

from a11y_story import post_call
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

ENGLISH_SENTENCE = re.compile(r"[A-Za-z]{2,}(?:[ ,;:'’\-]+[A-Za-z]{2,}){2,}")
# Han characters and the full-width punctuation of Chinese text (CJK symbols, full-width forms).
HAN = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff60]+")
# Citizens' and operators' own words, and the language switch.
OWN_WORDS = "[data-own-words], #case-description, #case-reports .text, #case-reports .muted, td.what .text, a.lang"
DESCRIPTION = "陆家嘴环路积水较深（语言测试）"
ADDRESS = "世纪大道100号"
MISSING = "/console/no-such-page"  # the address typed, which the 404 page names
# Refusals of an address's form (issue 12 §6): the page, and its sentence in Chinese and in English.
REFUSED = [
    ("/console/incidents/99999", "事件 99999 不存在或不在您的管辖范围内", "incident 99999 not found"),
    ("/console/league.csv?window=bogus", "统计时段只能是 today、7d、30d 或 custom，收到 bogus",
     "The period is one of today, 7d, 30d or custom, not 'bogus'"),
]


def visible_text(driver):
    """The page's text without its own-words elements (removed from the page before reading)."""
    return driver.execute_script(
        "document.querySelectorAll(arguments[0]).forEach(e => e.remove()); return document.body.innerText;",
        OWN_WORDS).replace(ADDRESS, " ").replace(MISSING, " ")


def check_language(driver, check, language, where):
    text = visible_text(driver)
    if language == "zh":
        found = ENGLISH_SENTENCE.findall(text)
        check(not found, f"{where} (zh): no English sentence ({found[:3]})")
    else:
        found = HAN.findall(text)
        check(not found, f"{where} (en): no Chinese ({found[:5]})")


def refuse_an_action(driver, base, case_id):
    """Posts `return` (not a city operator's action) from the case page, as a stale form would."""
    driver.execute_script(
        """const f = document.createElement('form'); f.method = 'post'; f.action = arguments[0];
        for (const [k, v] of [['action', 'return'], ['note', '不属本市'],
            ['_csrf', document.querySelector('input[name=_csrf]').value]]) {
          const i = document.createElement('input'); i.type = 'hidden'; i.name = k; i.value = v; f.appendChild(i); }
        document.body.appendChild(f); f.submit();""",
        f"/console/cases/{case_id}/actions")


def run(driver, wait, args, api, check):
    base = args.base
    token = api(base, "/api/v1/sessions", body={"username": args.username, "password": args.password})["token"]
    api(base, "/open311/v2/requests.json", form={
        "api_key": args.api_key, "service_code": "road.ponding", "lat": "31.2397", "long": "121.4998",
        "description": DESCRIPTION, "address_string": ADDRESS})
    listed = api(base, "/api/v1/cases?category=road.ponding&region=310115", token=token)
    case_id = max((item["id"] for item in listed.get("items", [])), default=None)
    check(case_id is not None, f"the Open311 report became case {case_id}")
    for language in ("zh", "en"):
        driver.get(f"{base}/console/cases/{case_id}?lang={language}")
        wait.until(EC.presence_of_element_located((By.ID, "case-description")))
        refuse_an_action(driver, base, case_id)
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".flash.error")))
        flash = driver.find_element(By.CSS_SELECTOR, ".flash.error").text
        expected = "不能执行“退回”" if language == "zh" else "may not perform “Return”"
        check(expected in flash, f"the refusal is in the page's language ({language}): {flash}")
        check_language(driver, check, language, "case page with a refusal")
        driver.get(f"{base}/console/cases?lang={language}")
        wait.until(EC.presence_of_element_located((By.TAG_NAME, "main")))
        check_language(driver, check, language, "case desk")
        driver.get(f"{base}{MISSING}?lang={language}")
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".flash.error")))
        check_language(driver, check, language, "console 404 page")
        for path, zh, en in REFUSED:
            driver.get(f"{base}{path}{'&' if '?' in path else '?'}lang={language}")
            wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".flash.error")))
            flash = driver.find_element(By.CSS_SELECTOR, ".flash.error").text
            check((zh if language == "zh" else en) in flash, f"{path} refused in the page's language: {flash}")
            check_language(driver, check, language, path)
    desks(driver, wait, args, api, check, token)
    driver.get(f"{base}/console?lang=zh")


# The triage and search desks (issue 12 §6): a refusal of each, its sentence in Chinese and in English.
BULK_REFUSED = ("请至少选择一条来件", "Select at least one report (report_ids)")
SEARCH_REFUSED = ("没有名为 lost 的案件状态（可选：已受理、", "No case state is called 'lost' (one of Accepted, ")


def desks(driver, wait, args, api, check, token):
    """The triage desk with a queued call, its bulk form refused, and the search desk, in Chinese and English."""
    base = args.base
    call = post_call(base, args.api_key, "这边最近老是有问题，希望有关部门管一管（语言测试）")
    check(call.get("case_id") is None, f"a vague call waits in triage ({call.get('id')})")
    for language in ("zh", "en"):
        pick = 0 if language == "zh" else 1
        driver.get(f"{base}/console/triage?lang={language}")
        wait.until(EC.presence_of_element_located((By.ID, f"report-{call['id']}")))
        check_language(driver, check, language, "triage desk")
        driver.execute_script(
            """const f = document.createElement('form'); f.method = 'post'; f.action = '/console/triage/bulk';
            for (const [k, v] of [['action', 'dismiss'], ['_csrf', document.querySelector('input[name=_csrf]').value]]) {
              const i = document.createElement('input'); i.type = 'hidden'; i.name = k; i.value = v; f.appendChild(i); }
            document.body.appendChild(f); f.submit();""")
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".flash.error")))
        flash = driver.find_element(By.CSS_SELECTOR, ".flash.error").text
        check(BULK_REFUSED[pick] in flash, f"the triage desk refuses in the page's language ({language}): {flash}")
        check_language(driver, check, language, "triage desk with a refusal")
        driver.get(f"{base}/console/search?q=%E7%A7%AF%E6%B0%B4&lang={language}")
        wait.until(EC.presence_of_element_located((By.TAG_NAME, "main")))
        check(DESCRIPTION in driver.page_source, f"the search desk finds the report ({language})")
        check_language(driver, check, language, "search desk")
        driver.get(f"{base}/console/search?q=%E7%A7%AF%E6%B0%B4&state=lost&lang={language}")
        wait.until(EC.presence_of_element_located((By.ID, "search-problem")))
        problem = driver.find_element(By.ID, "search-problem").text
        check(SEARCH_REFUSED[pick] in problem, f"the search desk refuses in the page's language ({language}): {problem}")
        check_language(driver, check, language, "search desk with a refusal")
    api(base, f"/api/v1/triage/{call['id']}", token=token, body={"dismiss": True, "note": "语言测试清理"})
