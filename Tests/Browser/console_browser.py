#!/usr/bin/env python3
"""Drives CityNet's operations console in real headless Chromium (Debian's chromium + chromedriver).

Against a running server (`citynet serve`) with an operator account and an API key:
  1. signs in through the login form,
  2. opens the city screen and checks the 16 districts and the panels are there, with Chinese text rendered,
  3. submits a hotline report through the API and checks it appears in the live feed within 2 seconds,
  4. opens that case from the feed, checks the complaint's <script> shows as text, acts on it (suspend with a note)
     and sees the new state and the timeline entry,
  5. opens a second tab and checks it gets the live feed through the first tab's stream (one per browser),
  6. vital signs (issue 11 §5): registers an air-quality station and a ponding gauge in 普陀区 through the API,
     sends a fresh PM2.5 reading and a ponding reading older than its indicator's maximum age, and checks the tiles
     (value, trend, freshness; the stale one marked, its old number not shown as current), then colours the map by
     PM2.5 with the selector and checks the district fills the browser computes and the legend, in Chinese and
     English,
  7. checks the English names (regions too) and that the city screen fits a 1366x768 laptop without scrolling
     sideways,
  8. with --grid-username: reports rubbish in 南京东路街道 through Open311, assigns the case to that grid worker,
     signs in as the grid worker, starts the case and resolves it with a note and a photo, and sees the photo in
     the timeline,
  9. the alarm desk: a bridge-deck ice alarm raised through the API, shown in orange with its SVG series chart,
     acknowledged and cleared through the forms, its clearing on the case (alarm_desk.py);
  9b. pages that stay true (live_pages.py): another seat acts on the case, the open case page shows the new state and
     its actions without a reload, a change while typing keeps the form and says so, the desk's total follows;
  10. the attention strip: its counts and links, the ticking clock and countdowns, English (attention_strip.py);
      the map (map_story.py): a district's zoom with its streets' counts, a dot per located case that opens it, red
      when overdue on a seeded history of its own, clusters under the cap, the way back to the city;
      issue 12 §6 (language_story.py): a case page with a refused action, the desk and a 404 page in Chinese and in
      English, none holding a sentence of the other language apart from citizens' and operators' own words;
      issue 12 §9/§10 (a11y_story.py): a tour of the pages no other step reads; a triage decision, and on a handled
     case verify, close, a 回访 未接通, a 回访 不满意 and 重新办理, all with the keyboard only (Tab, arrows, Enter), each
     focused control showing a focus ring; a merged 12345 report split off into its own case; then signs out;
      issue 12 §3 (triage_story.py): 55 vague calls; page 2, a decision lands at the next report; 转办 with a reason
      seen on the case page; bulk dismissal of three; the keyboard shortcuts;
      issue 12 §4 (trends_story.py): the league counted 今日, 近7天 and over a custom window, a refused window, the
      trend charts (one point a day, at most 12 weeks) and the league and desk CSV exports;
  11. with --caseworker-username (an operator of 浦东公安分局): the government-services story of issue #13, a citizen
     on a phone and the caseworker at a desktop (gov_story.py);
  12. with --caseworker-username too: the newborn bundle of issue #14 (bundle_story.py), whose first wave goes to the
     caseworkers of --health-username (浦东新区卫生健康委员会) and --medins-username (浦东新区医疗保障局) and whose
     户口登记 leg goes to the --caseworker-username, and the social-security card to --hr-username
     (上海市人力资源和社会保障局); all seven legs to 已全部办结.
  13. with --facts-key: the personal status code of issue #16 (status_story.py), its checkpoint page verifying in
     the browser with the network cut (and no request reaching the server).
Every page any step reads is checked with axe-core (axe_check.py): each serious or critical violation fails.
With --screenshots DIR it also saves the city screen and a case page at 1920x1080 and at 1366x768 as PNG.

Usage: console_browser.py --base http://127.0.0.1:8391 --username U --password P --api-key K
       [--grid-username G --grid-password GP] [--caseworker-username C --caseworker-password CP]
       [--health-username H --health-password HP] [--medins-username M --medins-password MP]
       [--hr-username R --hr-password RP]
       [--facts-key F] [--screenshots DIR] [--bundle-only | --status-only | --trends-only | --i18n-only]
Exit status 0 when every check passed; each failed check is printed.
"""
import argparse
import json
import os
import struct
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

import a11y_story
import alarm_desk
import attention_strip
import axe_check
import bundle_story
import gov_story
import incident_room
import language_story
import live_pages
import roles_story
import map_story
import search_story
import status_story
import trends_story
import triage_story

FAILURES = []


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message)
    if not condition:
        FAILURES.append(message)


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=1920,1080", "--lang=zh-CN", "--force-device-scale-factor=1"):
        options.add_argument(flag)
    service = Service(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = axe_check.AuditingChrome(service=service, options=options)
    count_streams(driver)
    return driver


def count_streams(driver):
    """Counts the EventSources each page of this tab opens, in window.__streams (set before the page's scripts)."""
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": """
        (function () {
          var Original = window.EventSource;
          if (!Original) return;
          window.__streams = 0;
          window.EventSource = class extends Original {
            constructor(url, options) { super(url, options); window.__streams += 1; }
          };
        })();"""})


def post_report(base, key, text):
    body = json.dumps({"text": text, "channel": "phone"}).encode()
    request = urllib.request.Request(base + "/api/v1/hotline/reports", data=body, method="POST",
                                     headers={"Content-Type": "application/json", "X-API-Key": key})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def api(base, path, token=None, body=None, form=None, key=None):
    headers = {}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if token:
        headers["Authorization"] = "Bearer " + token
    if key:
        headers["X-API-Key"] = key
    request = urllib.request.Request(base + path, data=data, headers=headers, method="POST" if data else "GET")
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def photo_file():
    """A real 64x48 PNG (a colour gradient), written to a temporary file."""
    width, height = 64, 48
    rows = b"".join(b"\x00" + bytes(v for x in range(width) for v in (x * 4, y * 5, 160)) for y in range(height))

    def chunk(kind, payload):
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
    handle, path = tempfile.mkstemp(suffix=".png")
    with os.fdopen(handle, "wb") as out:
        out.write(png)
    return path


def sign_in(driver, wait, base, username, password):
    driver.get(base + "/console")
    driver.find_element(By.NAME, "username").send_keys(username)
    driver.find_element(By.NAME, "password").send_keys(password)
    driver.find_element(By.ID, "login-submit").click()
    # A grid worker lands on his tasks (issue 12 §8), everyone else on the city screen.
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#map, #tasks")))


def sign_out(driver, wait):
    driver.find_element(By.CSS_SELECTOR, "header form button").click()
    wait.until(EC.presence_of_element_located((By.NAME, "username")))


def metrics(driver, width, height):
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})


def one_stream_for_two_tabs(driver, base, key):
    first = driver.current_window_handle
    driver.get(base + "/console")
    WebDriverWait(driver, 10).until(lambda d: "on" in d.find_element(By.ID, "live-dot").get_attribute("class"))
    check(driver.execute_script("return window.__streams") == 1, "the first tab opened the stream")
    driver.switch_to.new_window("tab")
    count_streams(driver)
    driver.get(base + "/console")
    try:
        WebDriverWait(driver, 10).until(lambda d: "on" in d.find_element(By.ID, "live-dot").get_attribute("class"))
        check(True, "a second tab shows the stream as live")
    except Exception:
        check(False, "a second tab shows the stream as live")
    own = driver.execute_script("return window.__streams")
    check(own == 0, f"the second tab opened no stream of its own ({own})")
    second = driver.current_window_handle
    for text, label in (("北蔡镇沪南路路口夜里施工噪音扰民，吵得睡不着", "the second tab"),
                        ("北蔡镇莲园路工地半夜还在打桩，噪音太大", "after the first tab moved on, the second tab")):
        sent = time.monotonic()
        report = post_report(base, key, text)
        case_id = report.get("case_id")
        if case_id is None:
            check(False, f"the report became a case ({report.get('outcome')})")
        else:
            try:
                WebDriverWait(driver, 2, poll_frequency=0.05).until(
                    EC.presence_of_element_located((By.CSS_SELECTOR, f'#feed li[data-case="{case_id}"]')))
                check(True, f"{label} showed case {case_id} after {time.monotonic() - sent:.2f} s (limit 2 s)")
            except Exception:
                check(False, f"{label} showed the new case within 2 s")
        if label == "the second tab":
            # The first tab (holding the stream) goes to another page: the second must neither reload nor go quiet.
            driver.execute_script("window.__stayed = true")
            driver.switch_to.window(first)
            driver.get(base + "/console/cases")
            driver.switch_to.window(second)
            time.sleep(1.0)
            check(driver.execute_script("return window.__stayed === true"),
                  "navigating in one tab does not reload the other")
    driver.close()
    driver.switch_to.window(first)
    driver.get(base + "/console")


def iso(seconds_ago):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - seconds_ago))


def vital_signs(driver, wait, args):
    base = args.base
    token = api(base, "/api/v1/sessions", body={"username": args.username, "password": args.password})["token"]
    for sensor_id, kind, attribute, unit in (("ci.vitals.air", "air_quality", "pm25", "GQ"),
                                             ("ci.vitals.pond", "ponding", "waterDepth", "CMT")):
        try:
            api(base, "/api/v1/sensors", token=token, body={
                "id": sensor_id, "kind": kind, "name": "曹杨路 " + sensor_id, "lat": 31.2455, "long": 121.4160,
                "unit_code": "310107.road_maintenance", "attributes": [{"name": attribute, "unit": unit}]})
        except urllib.error.HTTPError as error:
            check(error.code == 409, f"sensor {sensor_id} registered (or already there from a previous run)")
    # PM2.5 120 µg/m³ ten minutes ago (band 4, red); the gauge last heard 20 minutes ago (its maximum age is 15).
    api(base, "/api/v1/readings/batch", token=token, body={"readings": [
        {"sensor_id": "ci.vitals.air", "attribute": "pm25", "value": 120, "observed_at": iso(600)},
        {"sensor_id": "ci.vitals.pond", "attribute": "waterDepth", "value": 8.5, "observed_at": iso(1200)}]})
    driver.get(base + "/console")
    tile = driver.find_element(By.ID, "tile-pm25_mean")
    value = tile.find_element(By.CSS_SELECTOR, ".value").text
    check(value.startswith("120.0") and "µg/m³" in value, f"the PM2.5 tile shows the current value ({value})")
    check(tile.get_attribute("data-stale") == "false" and "观测于" in tile.text,
          f"the PM2.5 tile is current and says when it was observed ({tile.text!r})")
    pond = driver.find_element(By.ID, "tile-ponding_max")
    shown = pond.find_element(By.CSS_SELECTOR, ".value").text
    check(pond.get_attribute("data-stale") == "true" and shown == "—",
          f"the ponding tile is marked stale and shows no current value ({shown!r})")
    check("数据中断" in pond.text and "8.5 cm" in pond.text, f"the stale tile says stale, with its last value ({pond.text!r})")
    border = driver.execute_script("return getComputedStyle(arguments[0]).borderLeftStyle", pond)
    check(border == "dashed", f"the stale tile is drawn dashed ({border})")
    driver.find_element(By.CSS_SELECTOR, '#indicator-choice a[data-indicator="pm25_mean"]').click()
    wait.until(EC.presence_of_element_located((By.ID, "indicator-legend")))
    check("indicator=pm25_mean" in driver.current_url, "the selector colours the map by PM2.5")

    def fill(code):
        return driver.execute_script(
            "return getComputedStyle(document.getElementById('d-' + arguments[0])).fill", code)

    check(fill("310107") == "rgb(214, 69, 69)", f"普陀区 is drawn red for PM2.5 120 ({fill('310107')})")
    check(fill("310115") == "rgb(29, 42, 54)", f"浦东新区, without a station, is drawn as no data ({fill('310115')})")
    legend = driver.find_element(By.ID, "indicator-legend").text
    check("< 35" in legend and "≥ 115" in legend and "数据中断" in legend, f"the legend gives the bands ({legend})")
    check("PM2.5 平均浓度" in driver.find_element(By.ID, "legend").text, "the legend names the indicator")
    driver.get(base + "/console?indicator=ponding_max")
    check(fill("310107") == "rgb(74, 85, 97)", f"with ponding chosen 普陀区 is drawn stale, not coloured ({fill('310107')})")
    driver.get(base + "/console?lang=en&indicator=pm25_mean")
    check("Map colour: Mean PM2.5" in driver.find_element(By.ID, "legend").text, "the legend is in English")
    check("Stale · last 8.5 cm" in driver.find_element(By.ID, "tile-ponding_max").text, "the stale tile in English")
    driver.get(base + "/console?lang=zh")


def english_and_laptop(driver, base, screenshots, case_id):
    driver.get(base + "/console?lang=en")
    page = driver.page_source
    check("City screen" in page and "Pudong New Area" in page and "Huangpu District" in page,
          "English mode names the screen and the districts in English")
    driver.get(base + "/console?lang=zh")
    for width, height in ((1920, 1080), (1366, 768)):
        metrics(driver, width, height)
        for lang in ("zh", "en"):
            driver.get(base + "/console?lang=" + lang)
            tall = driver.execute_script("return document.documentElement.scrollHeight - window.innerHeight")
            check(tall <= 0, f"the city screen ({lang}) fits {width}x{height} without scrolling (overflows by {tall} px)")
            cut = driver.execute_script(
                "var t = document.querySelector('.league .scroll'); return t.scrollWidth - t.clientWidth")
            check(cut <= 0, f"the league ({lang}) shows every column at {width}x{height} (cut by {cut} px)")
    driver.get(base + "/console?lang=zh")
    for path, name in (("/console", "city-screen-laptop.png"), (f"/console/cases/{case_id}", "case-page-laptop.png")):
        driver.get(base + path)
        wide = driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        check(wide <= 0, f"{path} fits a 1366-pixel laptop screen (overflows by {wide} px)")
        if screenshots:
            time.sleep(0.5)
            driver.save_screenshot(os.path.join(screenshots, name))
    metrics(driver, 1920, 1080)


def field_work(driver, wait, args):
    base = args.base
    token = api(base, "/api/v1/sessions", body={"username": args.username, "password": args.password})["token"]
    api(base, "/open311/v2/requests.json", form={
        "api_key": args.api_key, "service_code": "sanitation.garbage", "lat": "31.2304", "long": "121.4737", "address_string": "南京东路街道",
        "description": "南京东路步行街旁垃圾堆放三天无人清运"})
    listed = api(base, "/api/v1/cases?category=sanitation.garbage&unit=310101002.greening_sanitation&state=dispatched",
                 token=token)
    if not listed["items"]:
        check(False, "the rubbish report became a dispatched case of 南京东路街道's sanitation unit")
        return
    case_id = max(item["id"] for item in listed["items"])
    driver.get(f"{base}/console/cases/{case_id}")
    form = driver.find_element(By.CSS_SELECTOR, 'form.action[data-action="assign"]')
    form.find_element(By.CSS_SELECTOR, f'select[name="assignee"] option[value="{args.grid_username}"]').click()
    form.find_element(By.CSS_SELECTOR, "button").click()
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".flash.ok")))
    shown = driver.find_element(By.ID, "case-assignee").text
    check(shown == args.grid_username, f"the case is assigned to {shown}")
    sign_out(driver, wait)

    sign_in(driver, wait, base, args.grid_username, args.grid_password)
    driver.get(f"{base}/console/cases?mine=1")
    check(driver.find_elements(By.CSS_SELECTOR, f'a[href="/console/cases/{case_id}"]') != [],
          "the grid worker finds the case under 'assigned to me'")
    driver.get(f"{base}/console/cases/{case_id}")
    driver.find_element(By.CSS_SELECTOR, 'form.action[data-action="start"] button').click()
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, 'form.action[data-action="resolve"]')))
    form = driver.find_element(By.CSS_SELECTOR, 'form.action[data-action="resolve"]')
    form.find_element(By.NAME, "note").send_keys("已清运完毕")
    form.find_element(By.CSS_SELECTOR, 'input[type="file"]').send_keys(photo_file())
    form.find_element(By.CSS_SELECTOR, "button").click()
    # The page still shows the start action's confirmation until the resolve answer replaces it: wait for the old
    # page to go first, or the state is read from it.
    wait.until(lambda _: gov_story.detached(form))  # not EC.staleness_of: see gov_story.detached
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".flash.ok")))
    state = driver.find_element(By.ID, "case-state").get_attribute("data-state")
    check(state == "handled", f"after resolving the case is {state}")
    try:
        WebDriverWait(driver, 5).until(lambda d: d.execute_script(
            "var i = document.querySelector('#timeline .photos img'); return i && i.complete && i.naturalWidth === 64"))
        check(True, "the timeline shows the uploaded photo (64 px wide, decoded by the browser)")
    except Exception:
        check(False, "the timeline shows the uploaded photo")
    if args.screenshots:
        driver.save_screenshot(os.path.join(args.screenshots, "case-page-photo.png"))
    return case_id


def sign_in_over_session(driver, wait, args):
    """Tab A shows the grid worker's desk; in tab B the city operator signs in over that session. Tab A must not
    go on showing the new session's events under the old name: it reloads as the new operator."""
    first = driver.current_window_handle
    driver.get(args.base + "/console")
    WebDriverWait(driver, 10).until(lambda d: "on" in d.find_element(By.ID, "live-dot").get_attribute("class"))
    driver.switch_to.new_window("tab")
    count_streams(driver)
    driver.get(args.base + "/console/login")
    driver.find_element(By.NAME, "username").send_keys(args.username)
    driver.find_element(By.NAME, "password").send_keys(args.password)
    driver.find_element(By.ID, "login-submit").click()
    wait.until(EC.presence_of_element_located((By.ID, "map")))
    driver.switch_to.window(first)
    try:
        WebDriverWait(driver, 20, poll_frequency=0.5).until(
            lambda d: d.find_element(By.CSS_SELECTOR, "header .who b").text == args.username)
        check(True, "a tab of the session signed in over reloads as the new operator")
    except Exception:
        seen = driver.execute_script(
            "var b = document.querySelector('header .who b'); var dot = document.getElementById('live-dot');"
            " return [location.pathname, b ? b.textContent : null, document.body.dataset.liveKey,"
            " dot ? dot.className : null, document.visibilityState]")
        check(False, f"a tab of the session signed in over reloads as the new operator ({seen})")
    driver.switch_to.window(first)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--api-key", required=True)
    parser.add_argument("--grid-username")
    parser.add_argument("--grid-password")
    parser.add_argument("--caseworker-username")
    parser.add_argument("--caseworker-password")
    parser.add_argument("--health-username", default="ci.health")
    parser.add_argument("--health-password", default="ci health pass 1")
    parser.add_argument("--medins-username", default="ci.medins")
    parser.add_argument("--medins-password", default="ci medins pass 1")
    parser.add_argument("--hr-username", default="ci.hr")
    parser.add_argument("--hr-password", default="ci hr pass 1")
    parser.add_argument("--transport-username", default="ci.transport")
    parser.add_argument("--transport-password", default="ci transport pass 1")
    parser.add_argument("--traffic-username", default="ci.traffic")
    parser.add_argument("--traffic-password", default="ci traffic pass 1")
    parser.add_argument("--facts-key", help="an API key with scope facts_carrier (status_story.py)")
    parser.add_argument("--screenshots")
    parser.add_argument("--incident-only", action="store_true", help="run the incident room story alone")
    parser.add_argument("--bundle-only", action="store_true", help="run the bundle story alone (for working on it)")
    parser.add_argument("--status-only", action="store_true", help="run the status-code story alone")
    parser.add_argument("--map-only", action="store_true", help="run the map story alone (for working on it)")
    parser.add_argument("--triage-only", action="store_true", help="run the triage desk story alone")
    parser.add_argument("--trends-only", action="store_true", help="run the windows, trends and CSV story alone")
    parser.add_argument("--i18n-only", action="store_true", help="run the language story alone (for working on it)")
    parser.add_argument("--roles-only", action="store_true", help="run the roles story alone (landings, phone, print)")
    args = parser.parse_args()
    axe_check.configure(check)
    if args.incident_only:
        incident_room.run(args, browser, check, api, metrics, args.screenshots)
        print(f"{len(FAILURES)} check(s) failed" if FAILURES else "incident room: all checks passed")
        return 1 if FAILURES else 0
    if args.status_only:
        status_story.run(args, browser, check, args.screenshots)
        print(f"{len(FAILURES)} check(s) failed" if FAILURES else "status story: all checks passed")
        return 1 if FAILURES else 0
    if args.bundle_only:
        bundle_story.run(args, browser, check, args.screenshots)
        print(f"{len(FAILURES)} check(s) failed" if FAILURES else "bundle story: all checks passed")
        return 1 if FAILURES else 0
    if args.roles_only:
        driver = browser()
        try:
            sign_in(driver, WebDriverWait(driver, 10), args.base, args.username, args.password)
            handled = field_work(driver, WebDriverWait(driver, 10), args)  # a case of his with a photo
        finally:
            driver.quit()
        roles_story.run(args, browser, check, sign_in, sign_out, handled, api=api)
        axe_check.summary()
        print(f"{len(FAILURES)} check(s) failed" if FAILURES else "roles story: all checks passed")
        return 1 if FAILURES else 0
    # Stories run alone (for working on one), each in a signed-in browser of its own.
    alone = {
        "map": (args.map_only, lambda d, w: map_story.run(d, w, args, api, check, browser, sign_in)),
        "triage": (args.triage_only, lambda d, w: triage_story.run(d, args, check)),
        "trends": (args.trends_only, lambda d, w: trends_story.run(d, w, args, check, post_report)),
        "language": (args.i18n_only, lambda d, w: language_story.run(d, w, args, api, check)),
    }
    for name, (chosen, story) in alone.items():
        if not chosen:
            continue
        driver = browser()
        try:
            sign_in(driver, WebDriverWait(driver, 10), args.base, args.username, args.password)
            story(driver, WebDriverWait(driver, 10))
        finally:
            driver.quit()
        axe_check.summary()
        print(f"{len(FAILURES)} check(s) failed" if FAILURES else f"{name} story: all checks passed")
        return 1 if FAILURES else 0

    handled = None
    driver = browser()
    # The page itself at 1920×1080 (a window of that size loses some height to its frame).
    metrics(driver, 1920, 1080)
    wait = WebDriverWait(driver, 10)
    try:
        driver.get(args.base + "/console")
        check("/console/login" in driver.current_url, "an anonymous visit is sent to the login page")
        driver.find_element(By.NAME, "username").send_keys(args.username)
        driver.find_element(By.NAME, "password").send_keys(args.password)
        driver.find_element(By.ID, "login-submit").click()
        wait.until(EC.presence_of_element_located((By.ID, "map")))
        check(driver.current_url.rstrip("/").endswith("/console"), "signing in opens the city screen")
        districts = driver.find_elements(By.CSS_SELECTOR, "#map path.district")
        check(len(districts) == 16, f"the map draws 16 districts (got {len(districts)})")
        check("一屏观全城" in driver.page_source and "浦东新区" in driver.page_source, "the screen is in Chinese")
        wait.until(lambda d: "on" in d.find_element(By.ID, "live-dot").get_attribute("class"))
        check(True, "the live event stream is connected")

        text = "北蔡镇莲溪路小区楼上装修电钻声太吵<script>window.hacked=1</script>"
        sent = time.monotonic()
        report = post_report(args.base, args.api_key, text)
        case_id = report.get("case_id")
        check(case_id is not None, f"the report became case {case_id}")
        selector = f'#feed li[data-case="{case_id}"]'
        try:
            WebDriverWait(driver, 2, poll_frequency=0.05).until(
                EC.presence_of_element_located((By.CSS_SELECTOR, selector)))
            seen = time.monotonic() - sent
            check(seen <= 2.0, f"the new case appeared in the live feed after {seen:.2f} s (limit 2 s)")
        except Exception:
            check(False, "the new case appeared in the live feed within 2 s")
        check(driver.execute_script("return window.hacked === undefined"), "markup in a complaint never runs")

        if args.screenshots:
            os.makedirs(args.screenshots, exist_ok=True)
            time.sleep(2.5)  # let the arrival highlight fade
            driver.save_screenshot(os.path.join(args.screenshots, "city-screen.png"))

        driver.find_element(By.CSS_SELECTOR, selector + " a").click()
        wait.until(EC.presence_of_element_located((By.ID, "case-description")))
        shown = driver.find_element(By.ID, "case-description").text
        check("<script>" in shown, "the case page shows the complaint's <script> as text")
        chain = driver.find_element(By.ID, "dispatch-chain").text
        check(chain.startswith("上海市城市运行管理中心 → 浦东新区城市运行管理中心 → "),
              f"the case page shows the dispatch chain ({chain})")
        actions = [f.get_attribute("data-action") for f in driver.find_elements(By.CSS_SELECTOR, "form.action")]
        # A fresh database gives a dispatched case (suspend offered); a re-run may merge into the case suspended last
        # time (resume offered).
        action = "suspend" if "suspend" in actions else "resume"
        check(action in actions, f"the case page offers the operator's actions ({', '.join(actions)})")
        if args.screenshots:
            driver.save_screenshot(os.path.join(args.screenshots, "case-page.png"))
        form = driver.find_element(By.CSS_SELECTOR, f'form.action[data-action="{action}"]')
        form.find_element(By.NAME, "note").send_keys("等待产权单位确认")
        form.find_element(By.CSS_SELECTOR, "button").click()
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".flash.ok")))
        state = driver.find_element(By.ID, "case-state").get_attribute("data-state")
        check((state == "suspended") == (action == "suspend"), f"after {action} the case is {state}")
        check("等待产权单位确认" in driver.find_element(By.ID, "timeline").text, "the timeline shows the note")

        search_story.run(driver, wait, args, check, case_id)
        live_pages.run(driver, wait, args, api, check, post_report, case_id)
        one_stream_for_two_tabs(driver, args.base, args.api_key)
        vital_signs(driver, wait, args)
        english_and_laptop(driver, args.base, args.screenshots, case_id)
        alarm_desk.run(driver, wait, args, api, check)
        attention_strip.run(driver, wait, args, check)
        map_story.run(driver, wait, args, api, check, browser, sign_in)
        language_story.run(driver, wait, args, api, check)
        a11y_story.tour(driver, args.base)
        a11y_story.keyboard_triage(driver, args, check)
        a11y_story.split_story(driver, args, check)
        triage_story.run(driver, args, check)
        trends_story.run(driver, wait, args, check, post_report)
        if args.grid_username:
            handled = field_work(driver, wait, args)
            sign_in_over_session(driver, wait, args)
            if handled:
                a11y_story.callback_story(driver, args, check, handled)

        sign_out(driver, wait)
        driver.get(args.base + "/console/cases/" + str(case_id))
        check("/console/login" in driver.current_url, "after signing out the case page needs a login again")
        a11y_story.tour_signed_out(driver, args.base)
    finally:
        driver.quit()
    incident_room.run(args, browser, check, api, metrics, args.screenshots)
    if args.grid_username:
        roles_story.run(args, browser, check, sign_in, sign_out, handled, api=api)
    if args.caseworker_username:
        gov_story.run(args, browser, check, args.screenshots)
        bundle_story.run(args, browser, check, args.screenshots)
        status_story.run(args, browser, check, args.screenshots)
    axe_check.summary()
    if FAILURES:
        print(f"{len(FAILURES)} console check(s) failed")
        return 1
    print("console: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
