"""Pages that stay true (CityNet issue 12 §7) in headless Chromium, called by console_browser.py.

With the city operator signed in on the case the story took in (suspended or resumed just before): another seat acts
on the same case through the API, and the open case page — without reloading — shows the new state, offers the
actions of that state and shows the note in its timeline; the operator's own action, already shown by the form's
answer, is not read again when its live event arrives. While the operator is typing a note, a change keeps the
typed form and says the case has changed. The open desk's total follows a new case in the scope without a reload.
"""
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait


# Each read is one script: the live update replaces these parts, and an element found by one WebDriver call can be
# gone by the next (a StaleElementReferenceException that WebDriverWait does not ignore; seen once in CI).
def offered(driver):
    return sorted(driver.execute_script(
        "return Array.from(document.querySelectorAll('form.action'), f => f.getAttribute('data-action'));"))


def state(driver):
    return driver.execute_script(
        "var s = document.getElementById('case-state'); return s ? s.getAttribute('data-state') : null;")


def toggle(before):
    """The suspend/resume action the case's state offers (one of the two always is, see console_browser.py)."""
    return "resume" if before == "suspended" else "suspend"


def run(driver, wait, args, api, check, post_report, case_id):
    base = args.base
    token = api(base, "/api/v1/sessions", body={"username": args.username, "password": args.password})["token"]
    driver.get(f"{base}/console/cases/{case_id}?lang=zh")
    wait.until(EC.presence_of_element_located((By.ID, "case-actions")))
    WebDriverWait(driver, 10).until(lambda d: "on" in d.find_element(By.ID, "live-dot").get_attribute("class"))
    # The operator's own action: the answer already shows the step, so the live event of that step, arriving
    # after the page loaded, must not read the page again (a re-read replaces the parts under the operator).
    own = toggle(state(driver))
    form = driver.find_element(By.CSS_SELECTOR, f'form.action[data-action="{own}"]')
    form.find_element(By.NAME, "note").send_keys("本席位自己的操作")
    form.find_element(By.CSS_SELECTOR, "button").click()
    WebDriverWait(driver, 10).until(lambda d: state(d) != toggle(own) and "本席位自己的操作" in
                                    d.find_element(By.ID, "timeline").text)
    WebDriverWait(driver, 10).until(lambda d: "on" in d.find_element(By.ID, "live-dot").get_attribute("class"))
    time.sleep(1.5)  # three polls of the live feed (500 ms each) and the page's 300 ms delay
    refreshed = driver.execute_script("return document.body.dataset.liveRefreshed || null")
    check(refreshed is None, f"the page does not read itself again for the step it already shows ({refreshed})")
    driver.execute_script("window.__notReloaded = true")
    before, actions = state(driver), offered(driver)
    action = toggle(before)
    check(action in actions, f"the case page offers {action} in state {before} ({actions})")

    sent = time.monotonic()
    api(base, f"/api/v1/cases/{case_id}/actions", token=token, body={"action": action, "note": "另一席位已处理此操作"})
    try:
        WebDriverWait(driver, 5, poll_frequency=0.05).until(lambda d: state(d) != before)
        check(True, f"the open case page shows the new state {state(driver)} after "
                    f"{time.monotonic() - sent:.2f} s without a reload (limit 5 s)")
    except Exception:
        check(False, f"the open case page shows the state another seat set (still {state(driver)})")
    check(driver.execute_script("return window.__notReloaded === true"), "the case page was not reloaded")
    now = offered(driver)
    check(action not in now and toggle(state(driver)) in now,
          f"the actions offered are those of the new state ({actions} → {now})")
    check("另一席位已处理此操作" in driver.find_element(By.ID, "timeline").text, "the timeline shows the other seat's note")
    check(not driver.find_element(By.ID, "case-changed").is_displayed(), "no 'changed' notice when nothing was typed")

    # Typing a note (then Tab to the button) when the case changes: the form and its text are kept, a notice says
    # the case moved on.
    current = state(driver)
    form = driver.find_element(By.CSS_SELECTOR, f'form.action[data-action="{toggle(current)}"]')
    note = form.find_element(By.NAME, "note")
    note.send_keys("正在填写的说明")
    note.send_keys(Keys.TAB)  # on to the form's button: the typed note must survive without the focus in it
    api(base, f"/api/v1/cases/{case_id}/actions", token=token,
        body={"action": toggle(current), "note": "又一次由另一席位操作"})
    try:
        WebDriverWait(driver, 5, poll_frequency=0.05).until(
            lambda d: d.find_element(By.ID, "case-changed").is_displayed())
        check(True, "a change while typing shows the notice that the case has changed")
    except Exception:
        check(False, "a change while typing shows the notice that the case has changed")
    check(note.get_attribute("value") == "正在填写的说明", "the note being typed is kept")
    check(state(driver) != current, f"the state above the form still follows the case ({state(driver)})")
    note.clear()

    driver.get(f"{base}/console/cases?lang=zh")
    wait.until(EC.presence_of_element_located((By.ID, "desk-total")))
    WebDriverWait(driver, 10).until(lambda d: "on" in d.find_element(By.ID, "live-dot").get_attribute("class"))
    driver.execute_script("window.__notReloaded = true")
    total = driver.find_element(By.ID, "desk-total").text
    report = post_report(base, args.api_key, "北蔡镇陈春路垃圾箱满溢无人清运，气味很大")
    if report.get("case_id") is None:
        check(False, f"the report became a case ({report.get('outcome')})")
        return
    try:
        WebDriverWait(driver, 12, poll_frequency=0.1).until(  # the desk re-reads at most every 5 s
            lambda d: d.find_element(By.ID, "desk-total").text != total)
        check(True, f"the open desk's total follows a new case ({total} → "
                    f"{driver.find_element(By.ID, 'desk-total').text}) without a reload")
    except Exception:
        check(False, f"the open desk's total follows a new case (still {total})")
    check(driver.execute_script("return window.__notReloaded === true"), "the desk was not reloaded")
