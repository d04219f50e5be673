"""The city screen's map (CityNet issue 12 §5) in headless Chromium, called by console_browser.py.

With the city operator signed in: an Open311 report with a point in 浦东新区 becomes a dot; the city map is a group of
named links (16 districts, every dot and cluster a link with an accessible name, never role="img") with a legend that
says cases without a point get no dot; clicking 浦东新区 zooms into it (its outline alone fills the map, its streets'
open/overdue counts listed beside it, the new case a dot); the dot opens the case page and Back returns to the zoom;
the way back leads to the whole city. With INCIDENT_ROOM_BIN and INCIDENT_ROOM_DATABASE (CI sets them) it also seeds
a generated history (`citynet seed-history`) into a database of its own (MAP_STORY_DATABASE_URL in a PostgreSQL run),
serves it on a free port, and checks that overdue located cases are drawn red, that clusters stay under the cap, and
that a red dot opens an overdue case.
"""
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

MAX_MARKS = 160  # CaseMapMarks.maxMarks


def marks(driver):
    return driver.find_elements(By.CSS_SELECTOR, "#map a.dot, #map a.cluster")


def check_map_markup(driver, check, where):
    svg = driver.find_element(By.ID, "map")
    check(svg.get_attribute("role") == "group", f"{where}: the map is a group of links, not an image")
    unnamed = [a.get_attribute("href") for a in marks(driver) if not (a.get_attribute("aria-label") or "").strip()]
    check(not unnamed, f"{where}: every dot and cluster has an accessible name ({unnamed[:3]})")
    count = len(marks(driver))
    check(count <= MAX_MARKS, f"{where}: {count} marks drawn (cap {MAX_MARKS})")


def run(driver, wait, args, api, check, browser, sign_in):
    base = args.base
    token = api(base, "/api/v1/sessions", body={"username": args.username, "password": args.password})["token"]
    api(base, "/open311/v2/requests.json", form={
        "api_key": args.api_key, "service_code": "road.ponding", "lat": "31.2397", "long": "121.4998",
        "description": "陆家嘴环路积水较深，车辆通行困难（地图测试）"})
    listed = api(base, "/api/v1/cases?category=road.ponding&region=310115", token=token)
    case_id = max((item["id"] for item in listed.get("items", [])), default=None)
    check(case_id is not None, f"the located Open311 report became case {case_id}")
    # Let the live feed deliver the new case's steps and its arrival highlight fade (axe reads the page mid-fade).
    time.sleep(3)

    driver.get(base + "/console?lang=zh")
    wait.until(EC.presence_of_element_located((By.ID, "map")))
    check(len(driver.find_elements(By.CSS_SELECTOR, "#map path.district")) == 16, "the city map draws 16 districts")
    check_map_markup(driver, check, "city map")
    check("不画点" in driver.find_element(By.ID, "map-legend").text,
          "the legend says cases without a point (12345 calls) get no dot")

    driver.find_element(By.CSS_SELECTOR, '#map a[aria-label="浦东新区"]').click()
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, '#map[data-zoom="310115"]')))
    check("district=310115" in driver.current_url, f"clicking 浦东新区 zooms into it ({driver.current_url})")
    paths = driver.find_elements(By.CSS_SELECTOR, "#map path.district")
    check(len(paths) == 1, f"the zoom draws the district's outline alone ({len(paths)} outlines)")
    box, view = driver.execute_script(
        "var m = document.getElementById('map'), b = m.querySelector('path.district').getBBox(),"
        " v = m.viewBox.baseVal; return [[b.width, b.height], [v.width, v.height]];")
    check(box[0] >= view[0] * 0.95 or box[1] >= view[1] * 0.95, f"the outline fills the map ({box} in {view})")
    streets = driver.find_elements(By.CSS_SELECTOR, "#streets tbody tr")
    check(len(streets) >= 40, f"the zoom lists 浦东新区's streets and towns with their counts ({len(streets)} rows)")
    check_map_markup(driver, check, "浦东新区 zoom")
    dot = driver.find_elements(By.CSS_SELECTOR, f'#map a.dot[href="/console/cases/{case_id}"]')
    if not dot:
        # Dense enough to be clustered: the case is counted in a cluster instead.
        check(len(driver.find_elements(By.CSS_SELECTOR, "#map a.cluster")) > 0,
              f"case {case_id} is drawn as a dot or inside a cluster")
    else:
        label = dot[0].get_attribute("aria-label")
        check(f"#{case_id}" in label, f"the dot is named after its case ({label})")
        driver.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", dot[0])
        wait.until(EC.presence_of_element_located((By.ID, "case-description")))
        check(driver.current_url.split("?")[0].endswith(f"/console/cases/{case_id}"), "the dot opens its case")
        driver.back()
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, '#map[data-zoom="310115"]')))
        check(True, "Back returns to the district's zoom")
    driver.find_element(By.ID, "map-back").click()
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#map path.district")) == 16)
    check(not driver.find_elements(By.ID, "streets"), "the way back shows the whole city again")

    driver.get(base + "/console?district=310115&lang=en")
    wait.until(EC.presence_of_element_located((By.ID, "streets")))
    check("Open cases by street / town" in driver.find_element(By.ID, "streets").text, "the English zoom")
    driver.get(base + "/console?lang=zh")
    seeded_story(args, check, browser, sign_in)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def seeded_story(args, check, browser, sign_in):
    """A red dot on a generated history, served from a database of its own (needs the binary: INCIDENT_ROOM_BIN)."""
    binary = os.environ.get("INCIDENT_ROOM_BIN")
    if not binary:
        print("skip the seeded map story (INCIDENT_ROOM_BIN is not set)")
        return
    work = tempfile.mkdtemp(prefix="map-story-")
    database = os.path.join(work, "map.sqlite")
    # The history is served from a database of its own: MAP_STORY_DATABASE_URL (an empty PostgreSQL database) in a
    # PostgreSQL run, else a SQLite file here; never the live server's database (DATABASE_URL).
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["MAP_STORY_DATABASE_URL"]
    subprocess.run([binary, "seed-history", "--cases", "3000", "--days", "30", "--database", database], check=True,
                   capture_output=True, timeout=300, env=env)
    subprocess.run([binary, "operator", "create", "--username", "map.city", "--unit", "310000.operations_centre",
                    "--role", "city_operator", "--password", "map story pass 1", "--database", database],
                   check=True, capture_output=True, timeout=60, env=env)
    port = free_port()
    server = subprocess.Popen([binary, "serve", "--database", database, "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    base = f"http://127.0.0.1:{port}"
    driver = None
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(base + "/health", timeout=2)
                break
            except Exception:
                time.sleep(1)
        driver = browser()
        wait = WebDriverWait(driver, 10)
        sign_in(driver, wait, base, "map.city", "map story pass 1")
        driver.get(base + "/console?lang=zh")
        wait.until(EC.presence_of_element_located((By.ID, "map")))
        check_map_markup(driver, check, "seeded city map")
        red = driver.find_elements(By.CSS_SELECTOR, "#map a.overdue")
        overdue_total = int(driver.find_element(By.ID, "overdue-total").text)
        check(overdue_total > 0 and len(red) > 0,
              f"overdue located cases are drawn red ({len(red)} red marks, {overdue_total} overdue cases)")
        fill = driver.execute_script(
            "var c = document.querySelector('#map a.overdue circle'); return c && getComputedStyle(c).fill;")
        channels = [int(v) for v in fill[fill.index("(") + 1:fill.index(")")].split(",")[:3]] if fill else [0, 0, 0]
        check(channels[0] > 150 and channels[1] < 120, f"a red mark is painted red ({fill})")
        dot = driver.find_elements(By.CSS_SELECTOR, "#map a.dot.overdue")
        if not dot:
            # Every red case sits in a cluster on the city's map: its cluster zooms into its district.
            cluster = driver.find_element(By.CSS_SELECTOR, "#map a.cluster.overdue")
            driver.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", cluster)
            wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#map[data-zoom]")))
            check(True, f"a red cluster zooms into its district ({driver.current_url})")
            check_map_markup(driver, check, "seeded district zoom")
            dot = driver.find_elements(By.CSS_SELECTOR, "#map a.dot.overdue")
        if dot:
            href = driver.execute_script("return arguments[0].getAttribute('href')", dot[0])
            driver.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", dot[0])
            wait.until(EC.presence_of_element_located((By.ID, "case-description")))
            tagged = driver.find_elements(By.CSS_SELECTOR, "h1 b.tag.overdue")
            check(bool(tagged) and driver.current_url.split("?")[0].endswith(href),
                  f"the red dot opens its case, marked overdue ({href})")
            driver.back()
            wait.until(EC.presence_of_element_located((By.ID, "map")))
            check(True, "Back returns to the map")
        else:
            check(len(driver.find_elements(By.CSS_SELECTOR, "#map a.cluster.overdue")) > 0,
                  "the zoom still draws the overdue cases red (in clusters)")
    finally:
        if driver:
            driver.quit()
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
