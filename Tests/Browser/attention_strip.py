"""The attention strip (CityNet issue 12 §1) in headless Chromium, called by console_browser.py.

Every operator page loads /console/attention under its header: counts of overdue, due-soon and supervised (督办)
cases, the triage backlog and active alarms of the operator's scope, and the most urgent cases with countdowns that
tick in the browser. Checks: the strip appears on the city screen and the desk, the header clock ticks in Beijing
time, the triage count is the triage desk's backlog, every count links where it says, and the English strip.
"""
import datetime
import re
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait


def count(driver, name):
    return int(driver.find_element(By.CSS_SELECTOR, f"#att-{name} b").text)


def run(driver, wait, args, check):
    base = args.base
    driver.get(base + "/console/cases")
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#attention .attention-counts")))
    check(True, "the desk shows the attention strip")
    for name in ["overdue", "due-soon", "supervised", "triage", "alarms"]:
        check(driver.find_elements(By.ID, f"att-{name}") != [], f"the strip counts {name}")
    clock = driver.find_element(By.ID, "clock")
    first = clock.text
    time.sleep(1.2)
    second = clock.text
    shanghai = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8)))
    check(re.fullmatch(r"\d\d:\d\d:\d\d", second or "") is not None and first != second,
          f"the header clock ticks ({first} → {second})")
    check(second[:2] == shanghai.strftime("%H"), f"the clock shows Beijing time ({second}, expected hour {shanghai:%H})")
    countdowns = driver.find_elements(By.CSS_SELECTOR, ".attention-items time.countdown[data-due]")
    for countdown in countdowns[:3]:
        text = countdown.text
        check(text.startswith("剩余 ") or text.startswith("已超时 "), f"a listed case counts down ({text})")

    driver.get(base + "/console/triage")
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#attention .attention-counts")))
    queued = len(driver.find_elements(By.CSS_SELECTOR, "article.triage-item"))
    strip = count(driver, "triage")
    check(strip == queued or (queued == 100 and strip >= 100),
          f"the strip's triage count is the triage desk's backlog ({strip}, desk shows {queued})")
    driver.get(base + "/console")
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#attention .attention-counts")))
    driver.find_element(By.ID, "att-triage").click()
    wait.until(EC.url_contains("/console/triage"))
    check(True, "the triage count opens the triage desk")
    driver.get(base + "/console")
    WebDriverWait(driver, 10).until(EC.element_to_be_clickable((By.ID, "att-overdue"))).click()
    wait.until(EC.url_contains("overdue=1"))
    check(True, "the overdue count opens the desk filtered to overdue cases")

    driver.get(base + "/console/cases?lang=en")
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#attention .attention-counts")))
    text = driver.find_element(By.ID, "attention").text
    check("overdue" in text and "awaiting triage" in text and "超时" not in text, f"the English strip ({text[:80]!r})")
    driver.get(base + "/console/cases?lang=zh")
