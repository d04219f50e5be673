"""The console's alarm desk (CityNet issue 11 §5) in headless Chromium, called by console_browser.py.

Registers a bridge-deck sensor on 曹杨路桥 through the API, sends eleven minutes of deck readings at 1.5 °C (the
default ice rule: ≤ 2 °C held 10 minutes, major, opens a road-maintenance case), then in the browser: finds the alarm
on the desk in orange, checks the SVG series chart CityNet drew (no script, no CDN), follows the case link,
acknowledges and clears the alarm through the forms, and checks the filters and the English desk.
"""
import datetime
import os
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from gov_story import detached


def raise_ice_alarm(base, token, api):
    sensor = f"ci.deck.{int(time.time())}"
    api(base, "/api/v1/sensors", token=token, body={
        "id": sensor, "kind": "road_surface", "name": "曹杨路桥桥面（浏览器测试）", "lat": 31.2455, "long": 121.4160,
        "address": "曹杨新村街道曹杨路桥", "unit_code": "310107.road_maintenance",
        "attributes": [{"name": "surfaceTemperature", "unit": "CEL"}]})
    now = datetime.datetime.now(datetime.timezone.utc).replace(second=0, microsecond=0)
    readings = [{"sensor_id": sensor, "attribute": "surfaceTemperature", "value": 1.5,
                 "observed_at": (now - datetime.timedelta(minutes=12 - i)).strftime("%Y-%m-%dT%H:%M:%SZ")}
                for i in range(11)]
    result = api(base, "/api/v1/readings/batch", token=token, body={"readings": readings})
    return sensor, result


def submit(form, wait):
    """Submits a form and waits for the next page (its old page gone, a message shown)."""
    form.find_element(By.CSS_SELECTOR, "button").click()
    wait.until(lambda _: detached(form))  # not EC.staleness_of: see gov_story.detached
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".flash")))


def run(driver, wait, args, api, check):
    base = args.base
    token = api(base, "/api/v1/sessions", body={"username": args.username, "password": args.password})["token"]
    sensor, result = raise_ice_alarm(base, token, api)
    check(result.get("accepted") == 11, f"eleven deck readings accepted ({result.get('accepted')})")
    driver.get(base + "/console/alarms?lang=zh")
    check("告警台" in driver.title or "告警台" in driver.page_source, "the alarm desk opens in Chinese")
    rows = [r for r in driver.find_elements(By.CSS_SELECTOR, "tr.alarm-row") if sensor in r.text]
    check(len(rows) == 1, f"the desk lists the new ice alarm of {sensor} once ({len(rows)})")
    if not rows:
        return
    row = rows[0]
    alarm_id = row.get_attribute("id").removeprefix("alarm-")
    badge = row.find_element(By.CSS_SELECTOR, ".severity")
    check("sev-orange" in badge.get_attribute("class") and "橙色" in badge.text, "a major alarm shows in orange")
    colour = driver.execute_script("return getComputedStyle(arguments[0]).backgroundColor", badge)
    check(colour == "rgb(255, 140, 26)", f"the orange badge is drawn orange ({colour})")
    row.find_element(By.CSS_SELECTOR, "td a").click()
    wait.until(EC.presence_of_element_located((By.ID, "alarm-detail")))
    check(driver.find_element(By.ID, "alarm-detail").get_attribute("data-alarm") == alarm_id, "the alarm is selected")
    chart = driver.find_elements(By.CSS_SELECTOR, "#alarm-chart polyline.series")
    check(len(chart) >= 1 and chart[0].get_attribute("points").count(",") >= 1,
          "the sensor's series is drawn as an SVG polyline")
    box = driver.execute_script("var r = document.getElementById('alarm-chart').getBoundingClientRect();"
                                "return [r.width, r.height]")
    check(box[0] > 300 and box[1] > 90, f"the chart is laid out on the page ({box[0]:.0f}x{box[1]:.0f} px)")
    check(len(driver.find_elements(By.CSS_SELECTOR, "#alarm-chart line.threshold")) == 1,
          "the chart draws the rule's threshold")
    scripts = [s.get_attribute("src") for s in driver.find_elements(By.TAG_NAME, "script")]
    check(all(src.startswith(base) for src in scripts), f"no script from outside CityNet ({scripts})")
    if args.screenshots:
        driver.save_screenshot(os.path.join(args.screenshots, "alarm-desk.png"))
    case_link = driver.find_element(By.CSS_SELECTOR, "#alarm-detail a.case-link")
    case_href = case_link.get_attribute("href")
    form = driver.find_element(By.ID, "acknowledge-form")
    form.find_element(By.NAME, "note").send_keys("除冰车已出发")
    submit(form, wait)
    check(f"#{alarm_id}" in driver.find_element(By.CSS_SELECTOR, ".flash.ok").text, "acknowledging says so")
    check(not driver.find_elements(By.ID, "acknowledge-form"), "an acknowledged alarm offers no second acknowledge")
    form = driver.find_element(By.ID, "clear-form")
    form.find_element(By.NAME, "note").send_keys("已撒融雪剂")
    submit(form, wait)
    row = driver.find_element(By.ID, "alarm-" + alarm_id)
    check(row.get_attribute("data-status") == "cleared" and row.get_attribute("data-acknowledged") == "true",
          "the alarm is cleared and acknowledged")
    driver.get(base + "/console/alarms")
    check(not driver.find_elements(By.ID, "alarm-" + alarm_id), "the default (active) list no longer shows it")
    driver.get(base + "/console/alarms?status=cleared&ack=yes&lang=en")
    check(driver.find_elements(By.ID, "alarm-" + alarm_id) and "Alarm desk" in driver.page_source
          and "Orange · major" in driver.page_source, "the English desk lists it under cleared and acknowledged")
    driver.get(case_href + "?lang=zh")
    wait.until(EC.presence_of_element_located((By.ID, "timeline")))
    check("告警消除" in driver.find_element(By.ID, "timeline").text, "the case's timeline records the clearing")
