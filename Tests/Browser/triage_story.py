"""The triage desk at volume (CityNet issue 12 §3) in headless Chromium, called by console_browser.py.

With the city operator signed in: 55 vague 12345 calls wait in triage. The desk shows 50 a page with the total and
a tab per suggested category; on page 2 the operator dismisses the first report and lands on the same page at the
next report (focused, not the top); forwards that one (转办) to 浦东新区交通委员会 with a reason and reads the
forwarding on its case page in Chinese and English; ticks three reports and dismisses them at once; and works with
the keyboard shortcuts: ? opens the help, j/k move, x ticks, d goes to the dismissal reason, keys typed in a field
do nothing. With the desk open, another seat's decisions (through the API) reach it without a reload (§7): the total
and the list follow; while a report is ticked (by a click) the list is kept and a notice says the queue changed.
Finally it dismisses what it queued, through the API, so that later stories see the queue as before.
"""
import json
import re
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from a11y_story import enter_and_wait, post_call, press

CALLS = 55


def rows(driver):
    """The listed reports' ids, read in one script: the live update may replace the list between two WebDriver
    calls (a StaleElementReferenceException once in CI-like runs)."""
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('article.triage-item'), a => a.id.replace('report-', ''));")


def summary(driver):
    return driver.execute_script(
        "var s = document.getElementById('triage-summary'); return s ? s.innerText : '';")


def focused_report(driver):
    return driver.execute_script(
        "var a = document.activeElement; var i = a && a.closest ? a.closest('article.triage-item') : null;"
        " return i ? i.id.replace('report-', '') : null;")


def api(base, path, token, body):
    request = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", "Authorization": "Bearer " + token})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def run(driver, args, check):
    base = args.base
    queued = []
    for n in range(CALLS):
        report = post_call(base, args.api_key, f"这边最近一直有问题（第{n + 1}次反映），希望有关部门管一管")
        if report.get("case_id") is None:
            queued.append(report["id"])
    check(len(queued) == CALLS, f"{CALLS} vague calls wait in triage ({len(queued)})")
    wait = WebDriverWait(driver, 10)

    driver.get(base + "/console/triage?lang=zh")
    total = int(re.search(r"共 (\d+) 条", summary(driver)).group(1))
    check(total >= CALLS and summary(driver).startswith("第 1–50 条"), f"page 1 says where it is ({summary(driver)})")
    tabs = [a.text for a in driver.find_elements(By.CSS_SELECTOR, "nav.tabs a")]
    check(tabs and tabs[0].startswith("全部") and str(total) in tabs[0], f"the tabs count the queue ({tabs})")
    check(len(rows(driver)) == 50, "a page shows 50 reports")

    driver.find_element(By.CSS_SELECTOR, "nav.pager a[rel=next]").click()
    wait.until(lambda d: "after=" in d.current_url)
    check(summary(driver).startswith("第 51–"), f"page 2 follows page 1 ({summary(driver)})")
    page2 = rows(driver)
    first, second = page2[0], page2[1]

    # Decide one: the desk comes back to the same page, at the next report.
    form = driver.find_element(By.CSS_SELECTOR, f"#report-{first} form.dismiss")
    form.find_element(By.NAME, "note").send_keys("重复来电")
    enter_and_wait(driver, form)
    check(driver.current_url.endswith(f"#report-{second}") and "after=" in driver.current_url,
          f"after deciding #{first} the desk is at #{second} on the same page ({driver.current_url})")
    check(summary(driver).startswith("第 51–"), f"still page 2 ({summary(driver)})")
    check(first not in rows(driver) and rows(driver)[0] == second, "the decided report left; the next leads the page")
    check(focused_report(driver) == second, f"the next report has the focus ({focused_report(driver)})")

    # 转办 with the keyboard: f goes to the unit field.
    press(driver, "f")
    check(driver.execute_script("return document.activeElement.name") == "unit_code",
          "f goes to the forward form's unit field")
    forward = driver.find_element(By.CSS_SELECTOR, f"#report-{second} form.forward")
    press(driver, "310115.transport")
    category = forward.find_elements(By.NAME, "category_code")
    if category:  # triage suggested none: the forwarded case's category is asked
        category[0].send_keys("sanitation.garbage")
    forward.find_element(By.NAME, "reason").send_keys("涉及公交站台设施，属交通部门职责")
    enter_and_wait(driver, forward)
    flash = " ".join(f.text for f in driver.find_elements(By.CSS_SELECTOR, ".flash.ok"))
    check("已转办至" in flash, f"the desk says the report was forwarded ({flash})")
    case_id = re.search(r"案件 #(\d+)", flash)
    if case_id:
        driver.get(f"{base}/console/cases/{case_id.group(1)}?lang=zh")
        timeline = driver.find_element(By.ID, "timeline").text
        check("转办" in timeline and "涉及公交站台设施，属交通部门职责" in timeline,
              "the case page shows the forwarding and its reason")
        driver.get(f"{base}/console/cases/{case_id.group(1)}?lang=en")
        check("Forwarded" in driver.find_element(By.ID, "timeline").text, "in English too")
    else:
        check(False, f"the forward flash names the case ({flash})")

    # Bulk: tick three with x (j moves), dismiss them with one reason.
    driver.get(base + "/console/triage?lang=zh")
    press(driver, "?")
    help_open = driver.execute_script("return document.getElementById('triage-help').open")
    check(help_open, "? opens the shortcut help")
    check("下一条来件" in driver.find_element(By.ID, "triage-help").text, "the help lists the keys")
    press(driver, Keys.ESCAPE)
    before = rows(driver)
    press(driver, "j")
    check(focused_report(driver) == before[0], f"j goes to the first report ({focused_report(driver)})")
    press(driver, "j")
    press(driver, "k")
    check(focused_report(driver) == before[0], "j then k comes back")
    for _ in range(3):
        press(driver, "x")
        press(driver, "j")
    ticked = [p.get_attribute("value") for p in driver.find_elements(By.CSS_SELECTOR, "input.pick:checked")]
    check(ticked == before[:3], f"x ticked three reports ({ticked})")
    check("已选 3 条" in driver.find_element(By.ID, "bulk-count").text, "the bulk bar counts them")
    press(driver, "d")
    check(driver.execute_script("return document.activeElement.name") == "note", "d goes to the dismissal reason")
    press(driver, "jjx")
    check(driver.execute_script("return document.activeElement.value") == "jjx", "keys typed in a field stay text")
    driver.execute_script("document.activeElement.value = ''")
    bulk = driver.find_element(By.ID, "bulk")
    bulk.find_element(By.NAME, "note").send_keys("同一事件重复来电")
    bulk.find_element(By.CSS_SELECTOR, "button[value=dismiss]").click()
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".flash"))
    flash = " ".join(f.text for f in driver.find_elements(By.CSS_SELECTOR, ".flash"))
    check("已处理 3 条" in flash, f"bulk dismissal decided three ({flash})")
    check(not set(before[:3]) & set(rows(driver)), "the three left the queue")

    driver.get(base + "/console/triage?lang=en")
    check("Keyboard shortcuts" in driver.find_element(By.ID, "triage-help").text, "the help is in English too")
    driver.get(base + "/console/triage?lang=zh")  # the language sticks (a cookie): later stories expect Chinese
    token = api(base, "/api/v1/sessions", "", {"username": args.username, "password": args.password})["token"]
    live_story(driver, check, base, token)

    # Leave the queue as it was for the stories after this one.
    left = [i for i in queued if str(i) not in (first, second) and str(i) not in before[:3]]
    answer = api(base, "/api/v1/triage/bulk", token, {"report_ids": left, "dismiss": True, "note": "浏览器测试清理"})
    check(answer["decided"] + len(answer["conflicts"]) == len(left), f"cleanup dismissed {answer['decided']}")


def total_in(driver):
    match = re.search(r"共 (\d+) 条", summary(driver))
    return int(match.group(1)) if match else None


def live_story(driver, check, base, token):
    """Issue 12 §7: the open desk follows decisions made elsewhere over the event stream, without a reload; the list
    the operator is working in (a report ticked) is kept and a notice says the queue changed."""
    WebDriverWait(driver, 10).until(lambda d: "on" in d.find_element(By.ID, "live-dot").get_attribute("class"))
    driver.execute_script("window.__notReloaded = true")
    total, shown = total_in(driver), rows(driver)
    api(base, f"/api/v1/triage/{shown[0]}", token, {"dismiss": True, "note": "另一席位已处理"})
    try:
        WebDriverWait(driver, 8, poll_frequency=0.1).until(lambda d: total_in(d) == total - 1 and shown[0] not in rows(d))
        check(True, f"another seat's decision leaves the open desk without a reload ({total} → {total_in(driver)})")
    except Exception:
        check(False, f"another seat's decision reaches the open desk (total {total_in(driver)}, first {rows(driver)[:1]})")
    check(driver.execute_script("return window.__notReloaded === true"), "the triage desk was not reloaded")
    check(not driver.find_element(By.ID, "triage-changed").is_displayed(), "no notice when nothing was being worked on")

    # Working in the list (a report ticked): the list is kept, the counts follow, a notice says so.
    kept = rows(driver)
    driver.find_element(By.CSS_SELECTOR, f"#report-{kept[1]} input.pick").click()
    ticked = driver.find_element(By.CSS_SELECTOR, f"#report-{kept[1]} input.pick").is_selected()
    hit = driver.execute_script(
        "var p = document.querySelector('#report-' + arguments[0] + ' input.pick'); var r = p.getBoundingClientRect();"
        " var e = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);"
        " return [p.checked, JSON.stringify(r), e ? e.outerHTML.slice(0, 160) : null, window.scrollY]", kept[1])
    check(ticked, f"a click ticks another report's box (the layout does not move under the pointer) ({hit})")
    total = total_in(driver)
    api(base, f"/api/v1/triage/{kept[0]}", token, {"dismiss": True, "note": "另一席位已处理"})
    try:
        WebDriverWait(driver, 8, poll_frequency=0.1).until(lambda d: total_in(d) == total - 1)
        check(True, f"while a report is ticked the counts still follow ({total} → {total_in(driver)})")
    except Exception:
        check(False, f"while a report is ticked the counts still follow (still {total_in(driver)})")
    check(driver.find_element(By.ID, "triage-changed").is_displayed(), "a notice says the queue has changed")
    pick = driver.find_element(By.CSS_SELECTOR, f"#report-{kept[1]} input.pick")
    now = rows(driver)
    check(pick.is_selected() and now == kept,
          f"the ticked list is kept as it was ({pick.is_selected()}, {now[:3]}…{len(now)} vs {kept[:3]}…{len(kept)})")
    counted = driver.find_element(By.ID, "bulk-count").text
    check("已选 1 条" in counted, f"the bulk bar still counts the tick ({counted!r})")
    pick.click()
