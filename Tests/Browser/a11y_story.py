"""Keyboard, callback (回访) and split stories of issue 12 §9 and §10, run by console_browser.py.

- `tour` / `tour_signed_out`: open the pages no other story reads (a district's city screen, the desk, the triage
  desk, the error pages, the sign-in pages, the licence check, in Chinese and English), so that axe_check checks
  them too.
- `keyboard_triage`: a vague 12345 call goes to the triage desk; the operator reaches its category drop-down with
  Tab, chooses another category with the arrow keys and dispatches with Enter, without the mouse; the focused
  control shows a focus ring.
- `callback_story`: on a handled case, only with the keyboard: verify, close, a 回访 that reached no one (未接通),
  a second one 不满意, then 重新办理 (reopen); the timeline says "回访 · 不满意" in Chinese and
  "Callback · Dissatisfied" in English.
- `split_story`: two similar 12345 calls merge into one case; the operator splits the second off from the case page
  (note typed, Enter) and lands on its new case, in Chinese and English.
"""
import json
import time
import urllib.request

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from gov_story import detached

FOCUS_RING = """
var e = document.activeElement, s = getComputedStyle(e);
return e === document.body ? null : [e.tagName, s.outlineStyle, parseFloat(s.outlineWidth)];
"""


def press(driver, *keys):
    ActionChains(driver).send_keys(*keys).perform()


def tab_to(driver, css, limit=400):
    """Presses Tab from the top of a freshly loaded page until the focused element matches `css`. Returns whether it
    got there."""
    for _ in range(limit):
        press(driver, Keys.TAB)
        if driver.execute_script("return document.activeElement.matches(arguments[0])", css):
            return True
    return False


def ring_shown(driver, check, what):
    shown = driver.execute_script(FOCUS_RING)
    check(shown is not None and shown[1] != "none" and shown[2] >= 2,
          f"the focused {what} shows a focus ring ({shown})")


def choose_with_arrows(driver, value, limit=30):
    """On the focused <select>, presses Down (then Up) until its value is `value`."""
    for key in (Keys.ARROW_DOWN, Keys.ARROW_UP):
        for _ in range(limit):
            if driver.execute_script("return document.activeElement.value") == value:
                return True
            press(driver, key)
    return driver.execute_script("return document.activeElement.value") == value


def enter_and_wait(driver, form):
    """Presses Enter in the focused field of `form` and waits for the page that answers."""
    press(driver, Keys.ENTER)
    wait = WebDriverWait(driver, 10)
    wait.until(lambda _: detached(form))
    wait.until(lambda d: d.execute_script("return document.readyState") == "complete")


def post_call(base, key, text, channel="phone"):
    body = json.dumps({"text": text, "channel": channel}).encode()
    request = urllib.request.Request(base + "/api/v1/hotline/reports", data=body, method="POST",
                                     headers={"Content-Type": "application/json", "X-API-Key": key})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def tour(driver, base):
    """Pages only this story reads (axe_check checks each as it loads)."""
    for path in ("/console?district=310115&lang=zh", "/console?district=310115&lang=en", "/console/cases?lang=en",
                 "/console/cases?lang=zh", "/console/cases/999999999?lang=zh", "/console/cases/999999999?lang=en",
                 "/console/triage?lang=en", "/console/triage?lang=zh"):
        driver.get(base + path)


def tour_signed_out(driver, base):
    for path in ("/console/login?lang=en", "/console/login?lang=zh", "/console/citizen/login",
                 "/console/citizen/login?lang=en", "/console/citizen/services/NO-SUCH?lang=en",
                 "/console/citizen/services/NO-SUCH?lang=zh", "/console/citizen/licence-check?lang=en",
                 "/console/citizen/licence-check?lang=zh", "/console/citizen/login?lang=zh"):
        driver.get(base + path)


def keyboard_triage(driver, args, check):
    # No place named: the router cannot locate it, so it waits for a person.
    report = post_call(args.base, args.api_key, "这边最近一直有问题，希望有关部门管一管")
    outcome = (report.get("triage") or {}).get("outcome")
    check(report.get("case_id") is None, f"a vague call waits in triage (outcome {outcome})")
    if report.get("case_id") is not None:
        return
    report_id = report["id"]
    driver.get(args.base + "/console/triage?lang=zh")
    select = f'#report-{report_id} select[name="category_code"]'
    if not tab_to(driver, select):
        check(False, f"Tab reaches report {report_id}'s category drop-down on the triage desk")
        return
    check(True, f"Tab reaches report {report_id}'s category drop-down on the triage desk")
    ring_shown(driver, check, "category drop-down")
    chosen = "sanitation.garbage"
    check(choose_with_arrows(driver, chosen), f"the arrow keys choose the category {chosen}")
    press(driver, Keys.TAB)
    check(driver.execute_script("return document.activeElement.name") == "region_code",
          "Tab goes on to the region field")
    ring_shown(driver, check, "region field")
    press(driver, "浦东新区")
    enter_and_wait(driver, driver.find_element(By.CSS_SELECTOR, select))
    flash = driver.find_elements(By.CSS_SELECTOR, ".flash.ok")
    check(flash != [], f"Enter dispatched the report from the triage desk ({[f.text for f in flash]})")
    check(driver.find_elements(By.ID, f"report-{report_id}") == [], "the report has left the triage queue")


def act_by_keyboard(driver, check, base, case_id, action, note=None, choice=None):
    """On the case page: Tab to the `action` form's drop-down (choosing `choice` with the arrows) or its note, type
    `note`, press Enter. Returns the case's state after."""
    driver.get(f"{base}/console/cases/{case_id}")
    form_css = f'form.action[data-action="{action}"]'
    forms = driver.find_elements(By.CSS_SELECTOR, form_css)
    if not forms:
        offered = [f.get_attribute("data-action") for f in driver.find_elements(By.CSS_SELECTOR, "form.action")]
        check(False, f"case {case_id} offers {action} (offered: {offered})")
        return None
    first = f"{form_css} select" if choice else f'{form_css} input[name="note"]'
    reached = tab_to(driver, first)
    check(reached, f"Tab reaches the {action} form of case {case_id}")
    if not reached:
        return None
    ring_shown(driver, check, f"{action} field")
    if choice:
        check(choose_with_arrows(driver, choice), f"the arrow keys choose {choice}")
        press(driver, Keys.TAB)
    if note:
        press(driver, note)
    enter_and_wait(driver, forms[0])
    error = driver.find_elements(By.CSS_SELECTOR, ".flash.error")
    check(error == [], f"{action} by keyboard is accepted ({[e.text for e in error]})")
    return driver.find_element(By.ID, "case-state").get_attribute("data-state")


def callback_story(driver, args, check, case_id):
    base = args.base
    state = act_by_keyboard(driver, check, base, case_id, "verify", note="现场核查已清运")
    check(state == "verified", f"verified by keyboard ({state})")
    state = act_by_keyboard(driver, check, base, case_id, "close", note="办结")
    check(state == "closed", f"closed by keyboard ({state})")
    offered = [f.get_attribute("data-action") for f in driver.find_elements(By.CSS_SELECTOR, "form.action")]
    check("callback" in offered and "reopen" in offered, f"a closed case offers 回访 and 重新办理 ({offered})")
    names = [o.text for o in driver.find_elements(By.CSS_SELECTOR, 'select[name="callback_result"] option')]
    check(names[1:] == ["满意", "基本满意", "不满意", "未接通"], f"the callback choices are named in Chinese ({names})")
    state = act_by_keyboard(driver, check, base, case_id, "callback", note="电话无人接听", choice="unreachable")
    timeline = driver.find_element(By.ID, "timeline").text
    check(state == "closed" and "回访 · 未接通" in timeline, f"an unanswered callback is recorded ({state})")
    offered = [f.get_attribute("data-action") for f in driver.find_elements(By.CSS_SELECTOR, "form.action")]
    check("callback" in offered, f"after 未接通 the callback is offered again ({offered})")
    state = act_by_keyboard(driver, check, base, case_id, "callback", note="市民对处理结果不满意", choice="dissatisfied")
    timeline = driver.find_element(By.ID, "timeline").text
    check("回访 · 不满意" in timeline, "the timeline shows 回访 · 不满意")
    shown = driver.find_elements(By.ID, "callback-result")
    check(shown != [] and shown[0].text == "不满意", f"the case shows the callback result ({[s.text for s in shown]})")
    offered = {f.get_attribute("data-action"): f.text for f in driver.find_elements(By.CSS_SELECTOR, "form.action")}
    check("reopen" in offered and "callback" not in offered,
          f"after 不满意 重新办理 is offered and no second callback ({list(offered)})")
    driver.get(f"{base}/console/cases/{case_id}?lang=en")
    timeline = driver.find_element(By.ID, "timeline").text
    check("Callback · Not reached" in timeline and "Callback · Dissatisfied" in timeline,
          "the English timeline names both callbacks")
    reopen = driver.find_elements(By.CSS_SELECTOR, 'form.action[data-action="reopen"] button')
    check(reopen != [] and reopen[0].text == "Reopen", "the English page offers Reopen")
    driver.get(f"{base}/console/cases/{case_id}?lang=zh")
    state = act_by_keyboard(driver, check, base, case_id, "reopen", note="市民不满意，重新办理")
    check(state is not None and state != "closed", f"重新办理 by keyboard reopens the case ({state})")
    check(driver.find_elements(By.ID, "callback-result") == [], "reopening clears the callback result")


def split_story(driver, args, check):
    base = args.base
    first = post_call(base, args.api_key, "北蔡镇莲溪路一小区楼上装修，每天早上七点就开始电钻声，吵得无法休息")
    time.sleep(1)
    second = post_call(base, args.api_key, "北蔡镇莲溪路小区有人装修，电钻声音太吵了，早上七点就开始", "app")
    case_id = second.get("case_id")
    check(case_id is not None and case_id == first.get("case_id"),
          f"two similar calls merge into one case ({first.get('case_id')}, {case_id})")
    if case_id is None:
        return
    driver.get(f"{base}/console/cases/{case_id}?lang=en")
    english = driver.find_elements(By.CSS_SELECTOR, f'#report-{second["id"]} form.split button')
    check(english != [], f"the English case page offers splitting report {second['id']} off")
    driver.get(f"{base}/console/cases/{case_id}?lang=zh")
    form_css = f'#report-{second["id"]} form.split'
    forms = driver.find_elements(By.CSS_SELECTOR, form_css)
    check(forms != [] and "拆分为新案件" in forms[0].text, "the case page offers 拆分为新案件 on the merged report")
    if not forms:
        return
    check(tab_to(driver, form_css + ' input[name="note"]'), "Tab reaches the split form's note")
    ring_shown(driver, check, "split note")
    press(driver, "不是同一处装修")
    enter_and_wait(driver, forms[0])
    url = driver.current_url
    new_id = url.split("/console/cases/")[-1].split("?")[0].split("#")[0]
    check(new_id.isdigit() and int(new_id) != case_id, f"splitting opens the new case ({url})")
    reports = [li.get_attribute("id") for li in driver.find_elements(By.CSS_SELECTOR, "ul.reports > li")]
    check(reports == [f"report-{second['id']}"], f"the new case holds the split report ({reports})")
    driver.get(f"{base}/console/cases/{case_id}")
    timeline = driver.find_element(By.ID, "timeline").text
    check("不是同一处装修" in timeline, "the old case's timeline records the split with its note")
    remaining = [li.get_attribute("id") for li in driver.find_elements(By.CSS_SELECTOR, "ul.reports > li")]
    check(f"report-{second['id']}" not in remaining, f"the old case no longer lists the report ({remaining})")
    driver.get(f"{base}/console/cases/{case_id}?lang=en")
    driver.get(f"{base}/console/cases/{case_id}?lang=zh")
