"""Each role's landing page, the phone layout and the case page's print (CityNet issue 12 §8), called by
console_browser.py (or alone with --roles-only).

The grid worker signs in and lands on "my tasks"; at 360, 390 and 414 px wide his tasks, the desk and a case page
never scroll sideways, the header stays within two lines (≤ 130 px), and the task and case-action buttons are at
least 44×44 px. The case page printed (Chromium's printToPDF) is a PDF with the photo in it when the case has one
(`pdfimages -list`, from poppler-utils, when installed), and under emulated print media the header, attention strip
and forms are hidden and the timeline shows. With INCIDENT_ROOM_BIN and INCIDENT_ROOM_DATABASE (CI sets them) it
creates a district operator (黄浦区) and a street operator (南京东路街道) and checks their landings: the district's
streets as the league, the street's units and grid workers. axe runs on every page opened (axe_check).

Pages that stay true on the landings (issue 12 §7, with `api`): while the grid worker's tasks page is open, another
seat (the city operator, over the API) assigns him a new case, and it appears in his list without a reload (and the
page reads itself no more once nothing changes); while
the district operator's landing is open, a new case in 外滩街道 raises the league's open count without a reload.
"""
import base64
import os
import shutil
import subprocess
import tempfile
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

WIDTHS = (360, 390, 414)
HEADER_MAX = 130


def phone_checks(driver, check, where, buttons):
    for width in WIDTHS:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": True})
        driver.execute_script("return document.body.offsetWidth")
        wide = driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        check(wide <= 0, f"{where} at {width} px: no sideways scroll (overflows by {wide} px)")
        height = driver.execute_script("return document.querySelector('header.top').getBoundingClientRect().height")
        check(height <= HEADER_MAX, f"{where} at {width} px: the header is {height:.0f} px tall (≤ {HEADER_MAX})")
        small = driver.execute_script("""
            return Array.prototype.filter.call(document.querySelectorAll(arguments[0]), function (b) {
              var r = b.getBoundingClientRect(); return r.width > 0 && (r.width < 44 || r.height < 44);
            }).map(function (b) { var r = b.getBoundingClientRect(); return b.textContent.trim() + ' ' + Math.round(r.width) + 'x' + Math.round(r.height); });
        """, buttons)
        check(not small, f"{where} at {width} px: touch targets ≥ 44×44 px ({small[:3]})")


def print_checks(driver, check, case_id):
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    driver.get(f"{driver.__base}/console/cases/{case_id}")
    WebDriverWait(driver, 10).until(EC.presence_of_element_located((By.ID, "timeline")))
    photos = len(driver.find_elements(By.CSS_SELECTOR, "#timeline .photos img"))
    lazy = driver.execute_script("return document.querySelectorAll('img[loading=lazy]').length")
    check(lazy == 0, f"the case page loads its photos at once, not lazily ({lazy} lazy)")
    pdf = base64.b64decode(driver.print_page())
    check(pdf.startswith(b"%PDF") and len(pdf) > 5000, f"the case page prints ({len(pdf)} bytes of PDF)")
    if photos and shutil.which("pdfimages"):
        with tempfile.NamedTemporaryFile(suffix=".pdf") as out:
            out.write(pdf)
            out.flush()
            listed = subprocess.run(["pdfimages", "-list", out.name], capture_output=True, text=True).stdout
        images = [line for line in listed.splitlines()[2:] if line.strip()]
        check(len(images) >= photos, f"the printed case holds its {photos} photo(s) ({len(images)} image(s) in the PDF)")
    elif photos:
        print("note: pdfimages not installed; the photo in the PDF is not counted")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    hidden = driver.execute_script("""
        var shown = function (s) { var n = document.querySelector(s); return n ? getComputedStyle(n).display !== 'none' : null; };
        return {header: shown('header.top'), attention: shown('#attention'), actions: shown('#case-actions'),
                live: shown('#live-dot'), timeline: shown('#case-timeline'), facts: shown('#case-facts'),
                photo: shown('#timeline .photos img'), bg: getComputedStyle(document.body).backgroundColor};
    """)
    check(not hidden["header"] and not hidden["attention"] and not hidden["actions"] and not hidden["live"],
          f"printed, the header, attention strip, actions and live dot are hidden ({hidden})")
    check(hidden["timeline"] and hidden["facts"] and hidden["photo"] is not False,
          f"printed, the facts, timeline and photos show ({hidden})")
    check(hidden["bg"] in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"), f"printed on white ({hidden['bg']})")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def live_dot(driver):
    WebDriverWait(driver, 10).until(lambda d: "on" in d.find_element(By.ID, "live-dot").get_attribute("class"))


def rubbish(args, api, address, description):
    """A rubbish report by Open311 in a street of 黄浦区 (named by `address`)."""
    api(args.base, "/open311/v2/requests.json", form={
        "api_key": args.api_key, "service_code": "sanitation.garbage", "lat": "31.2304", "long": "121.4737",
        "address_string": address, "description": description})


def live_tasks(driver, args, api, check):
    """Another seat assigns the grid worker a new case: his open tasks page lists it without a reload."""
    base = args.base
    live_dot(driver)
    driver.execute_script("window.__notReloaded = true")
    token = api(base, "/api/v1/sessions", body={"username": args.username, "password": args.password})["token"]
    rubbish(args, api, "南京东路街道", "南京东路九江路口垃圾桶满溢，请尽快清运（实时任务）")
    listed = api(base, "/api/v1/cases?category=sanitation.garbage&unit=310101002.greening_sanitation&state=dispatched",
                 token=token)
    if not listed["items"]:
        check(False, "the new rubbish report became a dispatched case of 南京东路街道's sanitation unit")
        return
    case_id = max(item["id"] for item in listed["items"])
    sent = time.monotonic()
    api(base, f"/api/v1/cases/{case_id}/actions", token=token,
        body={"action": "assign", "assignee": args.grid_username})
    try:
        WebDriverWait(driver, 10, poll_frequency=0.1).until(
            lambda d: d.find_elements(By.CSS_SELECTOR, f'#task-list li.task[data-case="{case_id}"]'))
        check(True, f"the open tasks page lists case {case_id}, assigned by another seat, after "
                    f"{time.monotonic() - sent:.2f} s without a reload")
    except Exception:
        check(False, f"the open tasks page lists case {case_id}, assigned by another seat, within 10 s")
    check(driver.execute_script("return window.__notReloaded === true"), "the tasks page was not reloaded")
    # No loop: with nothing more happening, the page does not read itself again.
    count = "return document.body.dataset.liveRefreshed || '0'"
    reads = driver.execute_script(count)
    time.sleep(3)
    check(driver.execute_script(count) == reads,
          f"the tasks page reads itself once per change, not again by itself ({reads} → {driver.execute_script(count)})")


def live_league(driver, args, api, check):
    """A new case in 外滩街道: the open district landing's league counts it without a reload."""
    live_dot(driver)
    driver.execute_script("window.__notReloaded = true")
    total = """return Array.prototype.reduce.call(document.querySelectorAll('#role-league-rows td.open'),
                 function (n, cell) { return n + Number(cell.textContent); }, 0)"""
    before = driver.execute_script(total)
    sent = time.monotonic()
    rubbish(args, api, "外滩街道", "外滩中山东一路垃圾堆放无人清运（实时排行）")
    try:
        WebDriverWait(driver, 10, poll_frequency=0.1).until(lambda d: d.execute_script(total) != before)
        check(True, f"the district's league counts the new case ({before} → {driver.execute_script(total)} open) "
                    f"after {time.monotonic() - sent:.2f} s without a reload")
    except Exception:
        check(False, f"the district's league counts a new case within 10 s (still {before} open)")
    check(driver.execute_script("return window.__notReloaded === true"), "the district landing was not reloaded")


def operator(username, unit, role, password):
    binary, database = os.environ.get("INCIDENT_ROOM_BIN"), os.environ.get("INCIDENT_ROOM_DATABASE")
    if not binary or not database:
        return False
    subprocess.run([binary, "operator", "create", "--username", username, "--unit", unit, "--role", role,
                    "--password", password, "--database", database], capture_output=True, timeout=60)
    return True  # created now, or already there from a previous run


def run(args, browser, check, sign_in, sign_out, case_id=None, api=None):
    driver = browser()
    driver.__base = args.base
    wait = WebDriverWait(driver, 10)
    try:
        sign_in(driver, wait, args.base, args.grid_username, args.grid_password)
        check(driver.current_url.rstrip("/").endswith("/console/tasks"), f"the grid worker lands on his tasks ({driver.current_url})")
        check(driver.find_elements(By.ID, "tasks") != [], "the tasks page is shown")
        if api:
            live_tasks(driver, args, api, check)
        phone_checks(driver, check, "my tasks", ".task-actions a.button, .task-actions button")
        ids = [li.get_attribute("data-case") for li in driver.find_elements(By.CSS_SELECTOR, "#task-list li.task")]
        driver.get(args.base + "/console/cases?mine=1")
        phone_checks(driver, check, "the desk", "table.desk td:first-child a")
        target = case_id or (ids[0] if ids else None)
        if target:
            driver.get(f"{args.base}/console/cases/{target}")
            wait.until(EC.presence_of_element_located((By.ID, "case-facts")))
            phone_checks(driver, check, f"case {target}", "#case-actions button")
            print_checks(driver, check, target)
        else:
            check(False, "the grid worker has a case to open")
        sign_out(driver, wait)
        for username, unit, role, level in (("ci.hp.district", "310101.operations_centre", "district_operator", "street"),
                                            ("ci.nj.street", "310101002.operations_centre", "street_operator", "unit")):
            if not operator(username, unit, role, "ci roles pass 1"):
                print("note: INCIDENT_ROOM_BIN/DATABASE not set; district and street landings not checked")
                break
            sign_in(driver, wait, args.base, username, "ci roles pass 1")
            league = driver.find_elements(By.ID, "role-league")
            check(league != [] and league[0].get_attribute("data-level") == level,
                  f"{role} lands on the city screen with the league of {level}s")
            check(driver.find_elements(By.CSS_SELECTOR, "#map path.district") and
                  len(driver.find_elements(By.CSS_SELECTOR, "#map path.district")) == 1,
                  f"{role}: the map is their district's outline")
            if level == "street" and api:
                live_league(driver, args, api, check)
            phone_checks(driver, check, f"{role}'s city screen", "header .who button")
            driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
            sign_out(driver, wait)
    finally:
        driver.quit()
